#pragma once

// The one SQLCipher connection behind a local_store, and the write scopes that let every store
// method join a transaction already open (local_store::atomically) instead of committing alone.

#include "client/store/local_store.hpp"
#include "server/store/database.hpp"

#include <utility>

namespace confidant::client {

struct connection {
  store::database db;
  int depth = 0;  // write scopes open on `db` right now
};

// RAII write scope: at depth 0 it is the transaction (BEGIN IMMEDIATE, so the write lock is
// taken up front and a later statement cannot fail with a lock upgrade); inside one it is a
// SAVEPOINT, so a failing method undoes only its own writes and the caller decides for the rest.
// Anything not committed rolls back in the destructor, exceptions included.
class write_scope {
 public:
  [[nodiscard]] static store_result<write_scope> begin(connection& c);
  write_scope(write_scope&& other) noexcept
      : c_(std::exchange(other.c_, nullptr)), level_(other.level_) {}
  write_scope& operator=(write_scope&&) = delete;
  write_scope(const write_scope&) = delete;
  ~write_scope();

  [[nodiscard]] store_result<void> commit();

 private:
  write_scope(connection& c, int level) noexcept : c_(&c), level_(level) {}
  void end() noexcept;

  connection* c_;
  int level_;  // 1 = the transaction itself, 2.. = savepoints
};

// Runs `fn()` (returning a store_result) in a write scope, committed only when it succeeds.
template <class Fn>
[[nodiscard]] auto in_write_scope(connection& c, Fn&& fn) -> decltype(fn()) {
  auto scope = write_scope::begin(c);
  if (!scope) return scope.error();
  auto r = fn();
  if (!r) return r;
  if (auto done = scope->commit(); !done) return done.error();
  return r;
}

}  // namespace confidant::client
