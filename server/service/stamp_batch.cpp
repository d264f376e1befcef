#include "server/service/stamp_batch.hpp"

#include "crypto/stamp.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace confidant::service {

void stamp_batch::add(store::writer& w, std::int64_t message, std::int64_t expires_at_ms,
                      std::shared_ptr<std::vector<store::new_envelope>> rows, std::int64_t sender,
                      std::int64_t recipient, std::uint64_t time) {
  // A batch that failed before its steps ran (SQLite rolled it back) leaves its sends here:
  // they were never stored, so a new batch starts afresh.
  if (batch_ != w.batch_number()) {
    sends_.clear();
    batch_ = w.batch_number();
    w.at_commit([this](store::database& db) { return seal(db); });
  }
  sends_.push_back({message, expires_at_ms, std::move(rows), sender, recipient, time});
}

store::result<void> stamp_batch::seal(store::database& db) {
  const auto sends = std::exchange(sends_, {});
  std::vector<crypto::franking::stamp_fields> fields;
  for (const auto& s : sends) {
    for (const auto& r : *s.rows) {
      crypto::franking::commitment c;
      if (r.commitment.size() != c.bytes.size()) return store::errc::misuse;
      std::copy(r.commitment.begin(), r.commitment.end(), c.bytes.begin());
      fields.push_back({c, std::to_string(s.sender), std::to_string(s.recipient), s.time});
    }
  }
  auto stamps = crypto::franking::sign_batch(server_, fields);
  if (!stamps) return store::errc::misuse;  // a batch beyond max_batch or a name beyond 255 bytes
  std::size_t next = 0;
  for (const auto& s : sends) {
    for (auto& r : *s.rows) r.stamp = (*stamps)[next++].to_bytes();
    if (auto in = store::insert_envelopes(db, s.message, s.expires_at_ms, *s.rows); !in) return in.error();
  }
  return {};
}

}  // namespace confidant::service
