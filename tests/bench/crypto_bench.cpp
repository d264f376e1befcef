// Crypto core benchmarks (not tests): `cmake --build <dir> --target bench` prints ops/s
// (items_per_second) for each operation.
#include "crypto/bundle.hpp"
#include "crypto/passphrase.hpp"
#include "crypto/ratchet/session.hpp"
#include "crypto/random.hpp"
#include "crypto/x3dh.hpp"

#include <benchmark/benchmark.h>

#include <optional>

namespace {

using namespace confidant::crypto;

struct pair_of_sessions {
  system_random rng;
  identity_keypair alice = identity_keypair::generate(rng);
  identity_keypair bob = identity_keypair::generate(rng);
  signed_prekey spk = signed_prekey::generate(bob, 1, 1700000000, rng);
  std::optional<ratchet::session> a;
  std::optional<ratchet::session> b;

  pair_of_sessions() {
    prekey_bundle bundle{bob.public_keys(), spk.public_part(), std::nullopt};
    auto init = x3dh::initiate(alice, bundle, rng).value();
    auto resp = x3dh::respond(bob, spk, nullptr, alice.public_keys(), init.ephemeral).value();
    a.emplace(ratchet::session::initiate(init.key, init.ad, init.their_signed_prekey, rng).value());
    b.emplace(ratchet::session::respond(resp.key, resp.ad, spk.keypair().clone()).value());
  }
};

// One chain: symmetric ratchet only (the common case within a burst of messages).
void encrypt_decrypt_1kib(benchmark::State& state) {
  pair_of_sessions p;
  const bytes msg(1024, 0x5a);
  for (auto _ : state) {
    auto m = p.a->encrypt(msg).value();
    auto pt = p.b->decrypt(m, p.rng).value();
    benchmark::DoNotOptimize(pt.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(encrypt_decrypt_1kib);

// Every message changes direction: each decrypt includes a DH ratchet step (2 X25519 + keygen).
void encrypt_decrypt_1kib_alternating(benchmark::State& state) {
  pair_of_sessions p;
  const bytes msg(1024, 0x5a);
  bool alice_turn = true;
  for (auto _ : state) {
    auto& from = alice_turn ? *p.a : *p.b;
    auto& to = alice_turn ? *p.b : *p.a;
    auto m = from.encrypt(msg).value();
    auto pt = to.decrypt(m, p.rng).value();
    benchmark::DoNotOptimize(pt.data());
    alice_turn = !alice_turn;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(encrypt_decrypt_1kib_alternating);

void x3dh_initiate(benchmark::State& state) {
  system_random rng;
  auto alice = identity_keypair::generate(rng);
  auto bob = identity_keypair::generate(rng);
  auto spk = signed_prekey::generate(bob, 1, 1700000000, rng);
  auto otk = std::move(one_time_prekey::generate_batch(1, 1, rng).front());
  const prekey_bundle bundle{bob.public_keys(), spk.public_part(), otk.public_part()};
  for (auto _ : state) {
    auto init = x3dh::initiate(alice, bundle, rng).value();  // includes verifying the bundle
    benchmark::DoNotOptimize(init.key.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(x3dh_initiate);

void prekey_bundle_verify(benchmark::State& state) {
  system_random rng;
  auto bob = identity_keypair::generate(rng);
  auto spk = signed_prekey::generate(bob, 1, 1700000000, rng);
  auto otk = std::move(one_time_prekey::generate_batch(1, 1, rng).front());
  const auto wire = prekey_bundle{bob.public_keys(), spk.public_part(), otk.public_part()}.to_bytes();
  for (auto _ : state) {
    auto b = prekey_bundle::from_bytes(wire).value();
    benchmark::DoNotOptimize(b.verify().has_value());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(prekey_bundle_verify);

void argon2id_recommended(benchmark::State& state) {
  system_random rng;
  const auto rec = passphrase::new_record(rng, passphrase::recommended);
  for (auto _ : state) {
    auto k = passphrase::derive_key("correct horse battery staple", rec).value();
    benchmark::DoNotOptimize(k.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("t=3, m=64 MiB, p=1");
}
BENCHMARK(argon2id_recommended)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
