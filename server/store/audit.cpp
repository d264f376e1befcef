#include "server/store/audit.hpp"

#include <sodium.h>

#include <algorithm>

namespace confidant::store {
namespace {

constexpr std::string_view hash_context = "Confidant_Audit_v1";

class hasher {
 public:
  hasher() { crypto_generichash_init(&state_, nullptr, 0, 32); }
  void raw(std::span<const unsigned char> b) { crypto_generichash_update(&state_, b.data(), b.size()); }
  void raw(std::string_view s) { raw({reinterpret_cast<const unsigned char*>(s.data()), s.size()}); }
  void u64(std::uint64_t v) {
    std::array<unsigned char, 8> b{};
    for (int i = 7; i >= 0; --i, v >>= 8) b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(v & 0xff);
    raw(b);
  }
  void text(std::string_view s) {
    std::array<unsigned char, 4> b{};
    auto n = static_cast<std::uint32_t>(s.size());
    for (int i = 3; i >= 0; --i, n >>= 8) b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(n & 0xff);
    raw(b);
    raw(s);
  }
  audit_hash finish() {
    audit_hash out{};
    crypto_generichash_final(&state_, out.data(), out.size());
    return out;
  }

 private:
  crypto_generichash_state state_{};
};

audit_hash blob_hash(std::span<const unsigned char> b) {
  audit_hash h{};
  std::copy_n(b.begin(), std::min(b.size(), h.size()), h.begin());
  return h;
}

audit_entry read_entry(const statement& s) {
  return audit_entry{s.column_int64(0), s.column_int64(1), std::string{s.column_text(2)},
                     std::string{s.column_text(3)}, std::string{s.column_text(4)}, std::string{s.column_text(5)},
                     blob_hash(s.column_blob(6)), blob_hash(s.column_blob(7))};
}

constexpr std::string_view columns = "SELECT seq, at_ms, actor, action, object, detail, prev_hash, hash FROM audit_log";

}  // namespace

audit_hash audit_entry_hash(const audit_entry& e) {
  hasher h;
  h.raw(hash_context);
  h.raw(e.prev_hash);
  h.u64(static_cast<std::uint64_t>(e.seq));
  h.u64(static_cast<std::uint64_t>(e.at_ms));
  h.text(e.actor);
  h.text(e.action);
  h.text(e.object);
  h.text(e.detail);
  return h.finish();
}

result<std::int64_t> append_audit(database& db, std::int64_t at_ms, std::string_view actor, std::string_view action,
                                  std::string_view object, std::string_view detail) {
  audit_entry e{0, at_ms, std::string{actor}, std::string{action}, std::string{object}, std::string{detail}, {}, {}};
  auto head = db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1;");
  if (!head) return head.error();
  auto row = head->step();
  if (!row) return row.error();
  e.seq = 1;
  if (*row) {
    e.seq = head->column_int64(0) + 1;
    e.prev_hash = blob_hash(head->column_blob(1));
  }
  e.hash = audit_entry_hash(e);
  auto s = db.prepare(
      "INSERT INTO audit_log (seq, at_ms, actor, action, object, detail, prev_hash, hash)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);");
  if (!s) return s.error();
  s->bind(1, e.seq).bind(2, e.at_ms).bind(3, e.actor).bind(4, e.action).bind(5, e.object).bind(6, e.detail);
  s->bind(7, std::span<const unsigned char>{e.prev_hash}).bind(8, std::span<const unsigned char>{e.hash});
  if (auto r = s->run(); !r) return r.error();
  return e.seq;
}

result<audit_verdict> verify_audit(database& db) {
  auto s = db.prepare(std::string{columns} + " ORDER BY seq;");
  if (!s) return s.error();
  audit_verdict v;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return v;
    const auto e = read_entry(*s);
    const auto broken = [&](std::string why) {
      v.broken_at = e.seq;
      v.problem = std::move(why);
      return v;
    };
    if (e.seq != v.entries + 1) return broken("entry " + std::to_string(v.entries + 1) + " is missing");
    if (e.prev_hash != v.head) return broken("its previous-hash does not match the entry before it");
    if (audit_entry_hash(e) != e.hash) return broken("its hash does not match its contents");
    ++v.entries;
    v.head = e.hash;
  }
}

result<void> for_each_audit(database& db, std::int64_t from_ms, std::int64_t to_ms,
                            const std::function<void(const audit_entry&)>& fn) {
  auto s = db.prepare(std::string{columns} + " WHERE at_ms >= ?1 AND at_ms < ?2 ORDER BY seq;");
  if (!s) return s.error();
  s->bind(1, from_ms).bind(2, to_ms);
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return {};
    fn(read_entry(*s));
  }
}

result<std::vector<audit_entry>> audit_of_object(database& db, std::string_view object) {
  auto s = db.prepare(std::string{columns} + " WHERE object = ?1 ORDER BY seq;");
  if (!s) return s.error();
  s->bind(1, object);
  return all_rows<audit_entry>(*s, read_entry);
}

}  // namespace confidant::store
