// What reaches the disk: every file of the profile folder read as bytes, while the store is open
// (the -wal file holds the latest writes) and after it closed. No message text, identity secret,
// session record, franking key or passphrase may appear, and the database must not carry
// SQLite's plaintext header.
#include "client/store/flag_store.hpp"
#include "tests/client/support.hpp"

#include <string>

namespace confidant::client {
namespace {

using namespace client::test;

constexpr std::string_view canary = "CANARY-2b9e41-the-head-told-me-in-confidence";

std::string as_string(crypto::byte_view b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

void expect_absent(const std::filesystem::path& dir, const std::vector<std::pair<std::string, std::string>>& secrets) {
  const auto files = snapshot(dir);
  ASSERT_TRUE(files.contains("local.db"));
  ASSERT_TRUE(files.contains("passphrase"));
  for (const auto& [name, bytes] : files) {
    for (const auto& [what, secret] : secrets) {
      ASSERT_FALSE(secret.empty());
      EXPECT_EQ(bytes.find(secret), std::string::npos) << what << " found in " << name;
    }
  }
  EXPECT_GT(files.at("local.db").size(), 0u);
  EXPECT_NE(files.at("local.db").rfind("SQLite format 3", 0), 0u) << "the file starts with the plaintext header";
}

TEST(ClientCanary, NoSecretOrMessageTextReachesTheFiles) {
  temp_dir tmp;
  crypto::deterministic_random rng(50);
  const auto dir = tmp / "profile";
  const auto identity = crypto::identity_keypair::generate(rng);
  auto id_bytes = identity.to_bytes();  // version ‖ Ed25519 seed (32) ‖ X25519 secret (32)
  const auto seed = as_string(crypto::byte_view(id_bytes).subspan(1, 32));
  const auto dh_secret = as_string(crypto::byte_view(id_bytes).subspan(33, 32));
  crypto::wipe(id_bytes);

  crypto::bytes session_record(512);
  rng.fill(session_record);
  std::vector<unsigned char> franking_key(32);
  rng.fill(franking_key);
  const std::vector<std::pair<std::string, std::string>> secrets{
      {"message text", std::string{canary}},
      {"identity seed", seed},
      {"identity DH secret", dh_secret},
      {"session record", as_string(session_record).substr(100, 64)},
      {"franking key", as_string(franking_key)},
      {"passphrase", std::string{passphrase}},
  };

  {
    auto store = create_store(dir, identity);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->sessions().store_session({"5", 1}, session_record));
    history_entry e;
    e.peer = 5;
    e.from_device = 1;
    e.message_id = message_id(1);
    e.server_id = 41;
    e.text = std::string{canary};
    e.franking_key = franking_key;
    ASSERT_TRUE(store->add_incoming(e).value());
    ASSERT_TRUE(store->outbox_add({message_id(2), 5, std::string{canary} + " (outbox)", 1}));
    ASSERT_TRUE(std::filesystem::exists(dir / "local.db-wal"));
    expect_absent(dir, secrets);
  }
  expect_absent(dir, secrets);
  // And the data is really there, behind the key.
  auto store = open_store(dir);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->history(5, 1).value().at(0).text, canary);
  EXPECT_EQ(store->sessions().load_session({"5", 1}).value(), session_record);
}

TEST(ClientCanary, NoFlagTextNoteQuoteOrSealingKeyReachesTheFiles) {
  temp_dir tmp;
  crypto::deterministic_random rng(51);
  const auto dir = tmp / "profile";
  const std::string flag_text = "CANARY-flag-7c1d-pupil-disclosed";
  const std::string note_text = "CANARY-note-3a9f-called-the-police";
  const std::string quote_text = "CANARY-quote-55e0-what-the-associate-wrote";
  std::vector<unsigned char> sealing_secret(32);
  rng.fill(sealing_secret);
  const std::vector<std::pair<std::string, std::string>> secrets{
      {"flag text", flag_text},
      {"note text", note_text},
      {"quote text", quote_text},
      {"sealing secret", as_string(sealing_secret)},
      {"passphrase", std::string{passphrase}},
  };
  {
    auto store = create_store(dir, crypto::identity_keypair::generate(rng));
    ASSERT_TRUE(store);
    auto& flags = store->flags();
    ASSERT_TRUE(flags.add_key({1, sealing_secret, std::vector<unsigned char>(149, 1), 1, 2, std::nullopt}));
    raised_flag r;
    r.flag_id = message_id(4);
    r.category = "other";
    r.urgency = "standard";
    r.state = "pending";
    r.text = flag_text;
    r.body.assign(flag_text.begin(), flag_text.end());
    ASSERT_TRUE(flags.add_raised(r));
    received_flag f;
    f.server_id = 4;
    ASSERT_TRUE(flags.add_received(f).value());
    f.opened = true;
    f.text = flag_text + " (received)";
    f.quotes = {{0, std::vector<unsigned char>(quote_text.begin(), quote_text.end()), true, "", "6", "5", 1, quote_text}};
    ASSERT_TRUE(flags.set_opened(f));
    ASSERT_TRUE(flags.add_note({4, 1, 9, 1, 1, true, "", note_text}).value());
    ASSERT_TRUE(std::filesystem::exists(dir / "local.db-wal"));
    expect_absent(dir, secrets);
  }
  expect_absent(dir, secrets);
  auto store = open_store(dir);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->flags().received(4).value()->quotes.at(0).text, quote_text);
  EXPECT_EQ(store->flags().keys().value().at(0).secret, sealing_secret);
}

}  // namespace
}  // namespace confidant::client
