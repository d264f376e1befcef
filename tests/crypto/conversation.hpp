#pragma once

// Alice and Bob after a real X3DH, with a deterministic random source, for ratchet tests.

#include "crypto/prekeys.hpp"
#include "crypto/random.hpp"
#include "crypto/ratchet/session.hpp"
#include "crypto/x3dh.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace confidant::crypto::test {

inline bytes text(const std::string& s) { return bytes(s.begin(), s.end()); }

struct conversation {
  deterministic_random rng;
  identity_keypair alice_id;
  identity_keypair bob_id;
  signed_prekey bob_spk;
  std::optional<ratchet::session> alice;
  std::optional<ratchet::session> bob;

  explicit conversation(std::uint64_t seed, ratchet::labels labels = {})
      : rng(seed),
        alice_id(identity_keypair::generate(rng)),
        bob_id(identity_keypair::generate(rng)),
        bob_spk(signed_prekey::generate(bob_id, 7, 1700000000, rng)) {
    auto otks = one_time_prekey::generate_batch(100, 1, rng);
    prekey_bundle bundle{bob_id.public_keys(), bob_spk.public_part(), otks[0].public_part()};
    auto init = x3dh::initiate(alice_id, bundle, rng).value();
    auto resp = x3dh::respond(bob_id, bob_spk, &otks[0], alice_id.public_keys(), init.ephemeral).value();
    alice.emplace(ratchet::session::initiate(init.key, init.ad, init.their_signed_prekey, rng, labels).value());
    bob.emplace(ratchet::session::respond(resp.key, resp.ad, bob_spk.keypair().clone(), labels).value());
  }

  ratchet::message alice_sends(const std::string& s) { return alice->encrypt(text(s)).value(); }
  ratchet::message bob_sends(const std::string& s) { return bob->encrypt(text(s)).value(); }
  result<bytes> bob_reads(const ratchet::message& m) { return bob->decrypt(m, rng); }
  result<bytes> alice_reads(const ratchet::message& m) { return alice->decrypt(m, rng); }
};

}  // namespace confidant::crypto::test
