#pragma once

#include "server/store/database.hpp"
#include "server/store/key.hpp"
#include "server/store/writer.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::store {

// Creates a new encrypted database at `path`, applies every migration and records the tenant.
// Fails (changing nothing) if the file exists.
[[nodiscard]] result<void> create_database(const std::filesystem::path& path, const db_key& key,
                                           std::string_view tenant_name, std::int64_t now_ms);

// The open database of a running server: one writer thread owning the write connection and a
// small pool of read-only connections.
class store {
 public:
  // Opens an existing database, applies pending migrations, starts the writer.
  // `unsafe_no_sync`: see database::options (tests only).
  [[nodiscard]] static result<std::unique_ptr<store>> open(const std::filesystem::path& path, db_key key,
                                                           std::int64_t now_ms,
                                                           writer::commit_observer observer = {},
                                                           bool unsafe_no_sync = false);
  store(const store&) = delete;
  store& operator=(const store&) = delete;
  ~store();

  [[nodiscard]] writer& write() noexcept { return *writer_; }

  // Runs `fn` on a reader connection taken from the pool (opened on demand).
  [[nodiscard]] result<void> read(const std::function<result<void>(database&)>& fn);

  // A cheap read through a reader connection: is the database usable?
  [[nodiscard]] result<void> ping();

  [[nodiscard]] const std::string& tenant_name() const noexcept { return tenant_name_; }

  // Drains and stops the writer (idempotent).
  void close();

 private:
  static constexpr std::size_t max_idle_readers = 4;

  store(std::filesystem::path path, db_key key, std::unique_ptr<writer> w, std::string tenant)
      : path_(std::move(path)), key_(std::move(key)), writer_(std::move(w)), tenant_name_(std::move(tenant)) {}

  std::filesystem::path path_;
  db_key key_;
  std::unique_ptr<writer> writer_;
  std::string tenant_name_;
  std::mutex readers_mutex_;
  std::vector<database> readers_;
};

}  // namespace confidant::store
