// Profiles: create and open, the passphrase checks, what the folder holds and its modes.
#include "tests/client/support.hpp"

#include "crypto/passphrase.hpp"

#include <sys/stat.h>

namespace confidant::client {
namespace {

using namespace client::test;

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777u;
}

// Sets the process umask for one test and puts the old one back.
struct scoped_umask {
  mode_t old;
  explicit scoped_umask(mode_t m) : old(::umask(m)) {}
  ~scoped_umask() { ::umask(old); }
};

TEST(LocalStore, CreateThenOpenKeepsTheAccountAndTheIdentity) {
  temp_dir tmp;
  crypto::deterministic_random rng(1);
  const auto id = crypto::identity_keypair::generate(rng);
  const auto dir = tmp / "profile";
  {
    auto s = create_store(dir, id);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->account().display_name, "Ms A Head");
    EXPECT_TRUE(s->identities().own_identity().public_keys() == id.public_keys());
  }
  auto s = open_store(dir);
  ASSERT_TRUE(s);
  const auto& a = s->account();
  const auto expected = sample_account();
  EXPECT_EQ(a.server_url, expected.server_url);
  EXPECT_EQ(a.server_key, expected.server_key);
  EXPECT_EQ(a.user, 3);
  EXPECT_EQ(a.device, 1);
  EXPECT_EQ(a.role, "headteacher");
  EXPECT_TRUE(s->identities().own_identity().public_keys() == id.public_keys());
  auto mine = s->identities().own_identity().to_bytes();
  auto original = id.to_bytes();
  EXPECT_EQ(mine, original);
  crypto::wipe(mine);
  crypto::wipe(original);
}

TEST(LocalStore, FolderIs0700AndEveryFile0600WhateverTheUmask) {
  temp_dir tmp;
  scoped_umask loose(022);
  crypto::deterministic_random rng(2);
  const auto dir = tmp / "profile";
  auto s = create_store(dir, crypto::identity_keypair::generate(rng));
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->put("k", "v"));  // the -wal and -shm files exist while it is open
  EXPECT_EQ(mode_of(dir), 0700u);
  const auto files = snapshot(dir);
  EXPECT_TRUE(files.contains("local.db"));
  EXPECT_TRUE(files.contains("local.db-wal"));
  EXPECT_TRUE(files.contains("passphrase"));
  EXPECT_FALSE(files.contains("local.db.new"));
  for (const auto& [name, bytes] : files) EXPECT_EQ(mode_of(dir / name), 0600u) << name;
  EXPECT_EQ(files.at("passphrase").size(), crypto::passphrase::record::encoded_size);
}

TEST(LocalStore, WrongPassphraseFailsAndChangesNoFile) {
  temp_dir tmp;
  crypto::deterministic_random rng(3);
  const auto dir = tmp / "profile";
  {
    auto s = create_store(dir, crypto::identity_keypair::generate(rng));
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->put("k", "v"));
  }
  const auto before = snapshot(dir);
  ASSERT_TRUE(before.contains("local.db"));
  auto wrong = local_store::open(dir, "correct horse battery stapler");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error(), store_errc::wrong_passphrase);
  auto too_short = local_store::open(dir, "short");
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error(), store_errc::wrong_passphrase);
  EXPECT_EQ(snapshot(dir), before);  // no byte changed, no file appeared
  auto right = open_store(dir);
  ASSERT_TRUE(right);
  EXPECT_EQ(right->get("k").value(), "v");
}

TEST(LocalStore, PassphraseShorterThanEightBytesIsRefusedAtCreate) {
  temp_dir tmp;
  crypto::deterministic_random rng(4);
  const auto id = crypto::identity_keypair::generate(rng);
  auto weak = local_store::create(tmp / "p", "1234567", sample_account(), id, crypto::passphrase::minimum);
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error(), store_errc::weak_passphrase);
  EXPECT_FALSE(std::filesystem::exists(tmp / "p" / "local.db"));
  auto eight = local_store::create(tmp / "p", "12345678", sample_account(), id, crypto::passphrase::minimum);
  EXPECT_TRUE(eight) << eight.error().message();
}

TEST(LocalStore, CreateRefusesAnExistingProfile) {
  temp_dir tmp;
  crypto::deterministic_random rng(5);
  const auto dir = tmp / "profile";
  ASSERT_TRUE(create_store(dir, crypto::identity_keypair::generate(rng)));
  const auto before = snapshot(dir);
  auto again = local_store::create(dir, "another passphrase", sample_account(9, 9),
                                   crypto::identity_keypair::generate(rng), crypto::passphrase::minimum);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), store_errc::profile_exists);
  EXPECT_EQ(snapshot(dir), before);
  auto s = open_store(dir);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->account().user, 3);
}

TEST(LocalStore, OpenWithoutAProfileIsNoProfile) {
  temp_dir tmp;
  auto missing = local_store::open(tmp / "nowhere", passphrase);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), store_errc::no_profile);
  auto empty = local_store::open(tmp.path(), passphrase);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error(), store_errc::no_profile);
}

TEST(LocalStore, MissingOrTamperedPassphraseRecordIsCorrupt) {
  temp_dir tmp;
  crypto::deterministic_random rng(6);
  const auto dir = tmp / "profile";
  ASSERT_TRUE(create_store(dir, crypto::identity_keypair::generate(rng)));
  const auto record = read_bytes(dir / "passphrase");

  // Parameters below the floor were never written by create().
  auto parsed = crypto::passphrase::record::from_bytes(crypto::as_bytes(record)).value();
  parsed.p.opslimit = 1;
  const auto weak = parsed.to_bytes();
  std::filesystem::remove(dir / "passphrase");
  {
    std::ofstream out(dir / "passphrase", std::ios::binary);
    out.write(reinterpret_cast<const char*>(weak.data()), static_cast<std::streamsize>(weak.size()));
  }
  auto tampered = local_store::open(dir, passphrase);
  ASSERT_FALSE(tampered);
  EXPECT_EQ(tampered.error(), store_errc::corrupt);

  std::filesystem::remove(dir / "passphrase");
  auto missing = local_store::open(dir, passphrase);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(), store_errc::corrupt);
}

TEST(LocalStore, LeftoversOfAnInterruptedCreateDoNotBlockTheNextOne) {
  temp_dir tmp;
  crypto::deterministic_random rng(7);
  const auto dir = tmp / "profile";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "local.db.new") << "half a database";
    std::ofstream(dir / "passphrase") << "an old record";
  }
  auto s = create_store(dir, crypto::identity_keypair::generate(rng));
  ASSERT_TRUE(s);
  EXPECT_FALSE(std::filesystem::exists(dir / "local.db.new"));
  s.reset();
  EXPECT_TRUE(open_store(dir));
}

TEST(LocalStore, ErrorsHaveTheirOwnCategoryAndMessages) {
  const boost::system::error_code ec = store_errc::wrong_passphrase;
  EXPECT_STREQ(ec.category().name(), "confidant.client.store");
  EXPECT_EQ(ec.message(), "wrong passphrase");
  EXPECT_NE(make_error_code(store_errc::no_profile).message().find("register"), std::string::npos);
}

}  // namespace
}  // namespace confidant::client
