// Exports an X3DH + first ratchet steps transcript as JSON (hex) for crosscheck.py, which
// recomputes it with Python's cryptography package (OpenSSL, not libsodium).
#include "crypto/bundle.hpp"
#include "crypto/random.hpp"
#include "crypto/ratchet/session.hpp"
#include "crypto/x3dh.hpp"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

using namespace confidant::crypto;

namespace {

bytes text(std::string_view s) { return bytes(s.begin(), s.end()); }

}  // namespace

int main() {
  deterministic_random rng(2025);
  const ratchet::labels labels{};
  auto alice = identity_keypair::generate(rng);
  auto bob = identity_keypair::generate(rng);
  auto spk = signed_prekey::generate(bob, 42, 1750000000, rng);
  auto otk = std::move(one_time_prekey::generate_batch(777, 1, rng).front());
  const prekey_bundle bundle{bob.public_keys(), spk.public_part(), otk.public_part()};

  auto init = x3dh::initiate(alice, bundle, rng);
  if (!init) return 1;
  auto resp = x3dh::respond(bob, spk, &otk, alice.public_keys(), init->ephemeral);
  if (!resp) return 1;
  auto alice_session = ratchet::session::initiate(init->key, init->ad, init->their_signed_prekey, rng, labels);
  if (!alice_session) return 1;
  auto bob_session = ratchet::session::respond(resp->key, resp->ad, spk.keypair().clone(), labels);
  if (!bob_session) return 1;

  const auto alice_state = alice_session->to_bytes();
  const std::string plaintext1 = "Hello Bob, this is the first ratchet message.";
  auto m1 = alice_session->encrypt(text(plaintext1));
  if (!m1) return 1;
  if (!bob_session->decrypt(*m1, rng)) return 1;
  const auto bob_state = bob_session->to_bytes();
  const std::string plaintext2 = "Hi Alice: Bob's reply after his DH ratchet step.";
  auto m2 = bob_session->encrypt(text(plaintext2));
  if (!m2) return 1;

  const std::vector<std::pair<std::string, std::string>> fields = {
      {"x3dh_info", to_hex(as_bytes(x3dh::confidant_info))},
      {"root_info", to_hex(as_bytes(labels.root))},
      {"message_info", to_hex(as_bytes(labels.message))},
      {"alice_identity_public", to_hex(alice.public_keys().to_bytes())},
      {"alice_identity_secret", to_hex(alice.to_bytes())},
      {"bob_identity_secret", to_hex(bob.to_bytes())},
      {"bob_bundle", to_hex(bundle.to_bytes())},
      {"bob_signed_prekey_secret", to_hex(spk.to_bytes())},
      {"bob_one_time_prekey_secret", to_hex(otk.to_bytes())},
      {"alice_ephemeral_public", to_hex(init->ephemeral.view())},
      {"alice_shared_key", to_hex(init->key.view())},
      {"bob_shared_key", to_hex(resp->key.view())},
      {"associated_data", to_hex(init->ad)},
      {"alice_state_after_init", to_hex(alice_state)},
      {"message1", to_hex(m1->to_bytes())},
      {"plaintext1", to_hex(text(plaintext1))},
      {"bob_state_after_first_message", to_hex(bob_state)},
      {"message2", to_hex(m2->to_bytes())},
      {"plaintext2", to_hex(text(plaintext2))},
  };
  std::printf("{\n");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::printf("  \"%s\": \"%s\"%s\n", fields[i].first.c_str(), fields[i].second.c_str(),
                i + 1 < fields.size() ? "," : "");
  }
  std::printf("}\n");
  return 0;
}
