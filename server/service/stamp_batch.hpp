#pragma once

// The franking stamps of a group commit (DESIGN.md 3, docs/crypto.md "Stamps"). The server signs
// once per committed writer batch, over the Merkle root of the stamps of every envelope that the
// batch's sends carry; each envelope keeps its stamp with its inclusion path. A send's job stores
// its message row and hands its envelopes here; they are stamped and inserted at the end of the
// batch, before its COMMIT, so that one Ed25519 signature serves every send of the batch.

#include "crypto/ed25519.hpp"
#include "server/store/mailbox.hpp"
#include "server/store/writer.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace confidant::service {

class stamp_batch {
 public:
  explicit stamp_batch(const crypto::ed25519_secret_key& server) : server_(server) {}
  stamp_batch(const stamp_batch&) = delete;
  stamp_batch& operator=(const stamp_batch&) = delete;

  // In a send's writer job, as its last action: the envelopes `rows` of message `message`, each
  // with its commitment, get their stamps (sender, recipient, `time` in seconds) and are inserted
  // when the batch commits. Read the stamps out of `rows` in the job's completion.
  void add(store::writer& w, std::int64_t message, std::int64_t expires_at_ms,
           std::shared_ptr<std::vector<store::new_envelope>> rows, std::int64_t sender, std::int64_t recipient,
           std::uint64_t time);

 private:
  struct send {
    std::int64_t message = 0;
    std::int64_t expires_at_ms = 0;
    std::shared_ptr<std::vector<store::new_envelope>> rows;
    std::int64_t sender = 0;
    std::int64_t recipient = 0;
    std::uint64_t time = 0;
  };
  [[nodiscard]] store::result<void> seal(store::database& db);

  const crypto::ed25519_secret_key& server_;
  std::vector<send> sends_;  // the writer thread's alone, for batch `batch_`
  std::uint64_t batch_ = 0;
};

}  // namespace confidant::service
