#pragma once

// Profiles for the client store tests: a fixed account, Argon2id at the crypto library's floor
// (the `kdf` test hook) and the test's own temporary folder.

#include "client/store/local_store.hpp"
#include "crypto/random.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace confidant::client::test {

using confidant::test::read_bytes;
using confidant::test::temp_dir;

inline constexpr std::string_view passphrase = "correct horse battery staple";

inline account_info sample_account(std::int64_t user = 3, std::int64_t device = 1) {
  account_info a;
  a.server_url = "ws://127.0.0.1:8080";
  for (std::size_t i = 0; i < a.server_key.size(); ++i) a.server_key[i] = static_cast<unsigned char>(i + 1);
  a.user = user;
  a.device = device;
  a.role = "headteacher";
  a.display_name = "Ms A Head";
  return a;
}

inline std::unique_ptr<local_store> create_store(const std::filesystem::path& dir, const crypto::identity_keypair& id,
                                                 const account_info& account = sample_account()) {
  auto s = local_store::create(dir, passphrase, account, id, crypto::passphrase::minimum);
  EXPECT_TRUE(s) << s.error().message();
  return s ? std::move(*s) : nullptr;
}

inline std::unique_ptr<local_store> open_store(const std::filesystem::path& dir) {
  auto s = local_store::open(dir, passphrase);
  EXPECT_TRUE(s) << s.error().message();
  return s ? std::move(*s) : nullptr;
}

// Every file of a folder by name, with its bytes.
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out[e.path().filename().string()] = read_bytes(e.path());
  return out;
}

inline std::array<unsigned char, 16> message_id(unsigned char seed) {
  std::array<unsigned char, 16> id{};
  for (std::size_t i = 0; i < id.size(); ++i) id[i] = static_cast<unsigned char>(seed + i);
  return id;
}

// A fresh profile (its own temporary folder) with a created store, reopenable from disk.
struct profile {
  temp_dir tmp;
  crypto::deterministic_random rng{20};
  std::filesystem::path dir = tmp / "profile";
  std::unique_ptr<local_store> store = create_store(dir, crypto::identity_keypair::generate(rng));

  void reopen() {
    store.reset();
    store = open_store(dir);
    ASSERT_TRUE(store);
  }
};

}  // namespace confidant::client::test
