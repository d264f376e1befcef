// Writes the crypto fuzz target's seeds: real records made by the library (deterministic
// randomness), each prefixed with the target byte crypto_fuzz.cpp reads first.
//   crypto_seeds tests/fuzz/corpus/crypto
#include "crypto/bundle.hpp"
#include "crypto/envelope.hpp"
#include "crypto/flag.hpp"
#include "crypto/franking.hpp"
#include "crypto/identity.hpp"
#include "crypto/memory_stores.hpp"
#include "crypto/passphrase.hpp"
#include "crypto/prekeys.hpp"
#include "crypto/quote.hpp"
#include "crypto/ratchet/session.hpp"
#include "crypto/sesame.hpp"
#include "crypto/session_record.hpp"
#include "crypto/stamp.hpp"
#include "crypto/x3dh.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace confidant::crypto;

// The order of crypto_fuzz.cpp's `target` enum.
enum target : byte {
  envelope,
  ratchet_header,
  ratchet_message,
  bundle,
  stamp,
  identity,
  invite_code,
  franking_context,
  quote,
  signed_prekey_secret,
  one_time_prekey_secret,
  spoc_certificate,
  sealed_flag,
  passphrase_record,
  ratchet_session,
  session_record,
  franked_payload,
};

std::filesystem::path out_dir;

void write(const std::string& name, target t, byte_view body) {
  std::ofstream f(out_dir / name, std::ios::binary);
  f.put(static_cast<char>(t));
  f.write(reinterpret_cast<const char*>(body.data()), static_cast<std::streamsize>(body.size()));
}

bytes text(std::string_view s) { return bytes(s.begin(), s.end()); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: crypto_seeds DIR\n");
    return 2;
  }
  out_dir = argv[1];
  std::filesystem::create_directories(out_dir);
  deterministic_random rng(2026);

  // Identities, prekeys and a bundle with and without a one-time prekey.
  auto alice = identity_keypair::generate(rng);
  auto bob = identity_keypair::generate(rng);
  auto spk = signed_prekey::generate(bob, 7, 1'790'000'000, rng);
  auto otks = one_time_prekey::generate_batch(100, 2, rng);
  write("identity", identity, alice.public_keys().to_bytes());
  write("signed_prekey", signed_prekey_secret, spk.to_bytes());
  write("one_time_prekey", one_time_prekey_secret, otks[0].to_bytes());
  const prekey_bundle full{bob.public_keys(), spk.public_part(), otks[0].public_part()};
  const prekey_bundle no_otk{bob.public_keys(), spk.public_part(), std::nullopt};
  write("bundle_otk", bundle, full.to_bytes());
  write("bundle_no_otk", bundle, no_otk.to_bytes());

  // Sesame: Alice's first (prekey) envelope, Bob's answer (a plain message), both records.
  const device_address a{"alice", 1};
  const device_address b{"bob", 1};
  memory_identity_store alice_ids(alice.clone());
  memory_identity_store bob_ids(bob.clone());
  memory_prekey_store alice_prekeys;
  memory_prekey_store bob_prekeys;
  (void)bob_prekeys.store_signed_prekey(spk);
  for (const auto& k : otks) (void)bob_prekeys.store_one_time_prekey(k);
  memory_session_store alice_sessions;
  memory_session_store bob_sessions;
  sesame::session_manager alice_mgr(a, alice_ids, alice_prekeys, alice_sessions, rng);
  sesame::session_manager bob_mgr(b, bob_ids, bob_prekeys, bob_sessions, rng);
  const std::array<sesame::device_target, 1> to_bob{sesame::device_target{b, full}};
  const auto first = alice_mgr.encrypt(to_bob, text("Could we meet on Thursday?")).value();
  write("envelope_prekey", envelope, first[0].envelope);
  (void)bob_mgr.decrypt(a, first[0].envelope).value();
  const std::array<sesame::device_target, 1> to_alice{sesame::device_target{a, std::nullopt}};
  const auto reply = bob_mgr.encrypt(to_alice, text("Yes, 4 pm.")).value();
  write("envelope_message", envelope, reply[0].envelope);
  const auto msg = sesame::envelope::from_bytes(reply[0].envelope).value().msg;
  write("ratchet_message", ratchet_message, msg.to_bytes());
  const auto hdr = msg.hdr.to_bytes();
  write("ratchet_header", ratchet_header, hdr);
  write("session_record_initiator", session_record, alice_sessions.load_session(b).value().value());
  write("session_record_responder", session_record, bob_sessions.load_session(a).value().value());
  const auto rec = sesame::session_record::from_bytes(bob_sessions.load_session(a).value().value(), bob.public_keys(), {});
  write("ratchet_session", ratchet_session, rec.value().session.to_bytes());

  // Franking: context, payload, a stamp alone and in a batch of three, a quote.
  auto server = ed25519::generate(rng);
  const franking::context ctx{"u17", "u42", 1'790'000'123, {}};
  write("franking_context", franking_context, ctx.encode().value());
  const auto franked = franking::commit(rng, ctx, text("Could we meet on Thursday?")).value();
  write("franked_payload", franked_payload, franked.payload);
  const franking::stamp_fields one{franked.c, "u17", "u42", 1'790'000'124};
  const auto single = franking::sign_batch(server.secret_key, std::array{one}).value();
  write("stamp_single", stamp, single[0].to_bytes());
  const franking::stamp_fields two{franked.c, "u17", "u43", 1'790'000'124};
  const franking::stamp_fields three{franked.c, "u18", "u42", 1'790'000'125};
  const auto batch = franking::sign_batch(server.secret_key, std::array{one, two, three}).value();
  write("stamp_batch_last", stamp, batch[2].to_bytes());
  write("stamp_batch_first", stamp, batch[0].to_bytes());
  const auto opened = franking::open(franked.payload, franked.c).value();
  write("quote", quote, franking::make_quote(opened, single[0]).to_bytes());

  // Safeguarding flags: a SPOC device certificate and a flag sealed to it.
  auto spoc = identity_keypair::generate(rng);
  const auto device = flag::spoc_device_key::generate(spoc, 3, 1'780'000'000, 1'800'000'000, rng);
  write("spoc_certificate", spoc_certificate, device.certificate().to_bytes());
  const auto sealed = flag::seal(alice, spoc.public_keys().signing, std::array{device.certificate()}, 1'790'000'000,
                                 text("{\"v\":1,\"concern\":\"test\"}"), rng)
                          .value();
  write("sealed_flag", sealed_flag, sealed[0].to_bytes());

  // Passphrase record and invite codes (as people type them, too).
  passphrase::record record{passphrase::recommended, {}};
  record.salt = rng.array<16>();
  write("passphrase_record", passphrase_record, record.to_bytes());
  write("invite_code", invite_code, text("EMG8-5XHQ-0KHZ-MQHG-HHRP-D5SJ-5C"));
  write("invite_code_typed", invite_code, text("emg8 5xhq okhz mqhg hhrp d5sj 5c"));
  return 0;
}
