#include "schema/wire/invite_code.hpp"
#include "server/daemon/commands.hpp"
#include "tests/daemon/temp_config.hpp"
#include "server/service/invites.hpp"
#include "server/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

namespace confidant::daemon {
namespace {

config in(const test::temp_dir& dir) { return test_support::temp_config(dir); }

std::string count_invites(const config& c) {
  auto s = store::store::open(c.database_path(), *store::read_key_file(c.key_file), 1);
  std::string n;
  EXPECT_TRUE((*s)->read([&](store::database& db) -> store::result<void> {
    auto v = db.query_text("SELECT count(*) FROM invites;");
    if (!v) return v.error();
    n = *v;
    return {};
  }));
  return n;
}

TEST(InviteCommand, RefusesBadArgumentsAndStoresNothing) {
  test::temp_dir dir;
  const auto c = in(dir);
  ASSERT_EQ(init_command(c), exit_ok);
  EXPECT_EQ(invite_command(c, "headteacher", "Head", 7), exit_usage) << "only coordinators from the host";
  EXPECT_EQ(invite_command(c, "janitor", "X", 7), exit_usage);
  EXPECT_EQ(invite_command(c, "coordinator", "", 7), exit_usage);
  EXPECT_EQ(invite_command(c, "coordinator", "Tab\there", 7), exit_usage);
  EXPECT_EQ(invite_command(c, "coordinator", "Ann", 0), exit_usage);
  EXPECT_EQ(invite_command(c, "coordinator", "Ann", 31), exit_usage);
  EXPECT_EQ(count_invites(c), "0");
  EXPECT_EQ(invite_command(c, "coordinator", "Ann", 7), exit_ok);
  EXPECT_EQ(count_invites(c), "1");
}

TEST(InviteCommand, WithoutInitFails) {
  test::temp_dir dir;
  EXPECT_EQ(invite_command(in(dir), "coordinator", "Ann", 7), exit_failure);
}

TEST(IssueInvite, OnlyTheHashIsStoredAndItFindsTheInvite) {
  test::temp_dir dir;
  const auto c = in(dir);
  ASSERT_EQ(init_command(c), exit_ok);
  auto s = store::store::open(c.database_path(), *store::read_key_file(c.key_file), 1);
  ASSERT_TRUE(s);
  const rules::time_point now{std::chrono::milliseconds{1'000'000}};
  std::promise<boost::system::result<service::issued_invite>> p;
  service::issue_invite((*s)->write(), rules::role::coordinator, "Ann", std::nullopt, now, std::chrono::days{7},
                        [&](auto r) { p.set_value(std::move(r)); });
  auto issued = p.get_future().get();
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->expires_at, now + std::chrono::days{7});
  const auto bytes = wire::parse_invite_code(issued->code);
  ASSERT_TRUE(bytes);

  std::string stored_hash;
  ASSERT_TRUE((*s)->read([&](store::database& db) -> store::result<void> {
    auto st = db.prepare("SELECT code_hash, role, display_name FROM invites;");
    if (!st) return st.error();
    EXPECT_TRUE(*st->step());
    const auto h = st->column_blob(0);
    stored_hash.assign(h.begin(), h.end());
    auto found = store::find_invite(db, service::hash_invite(*bytes), now.time_since_epoch().count() + 1);
    EXPECT_TRUE(found);
    EXPECT_EQ(found->first, store::invite_state::usable);
    return {};
  }));
  const std::string raw(bytes->begin(), bytes->end());
  EXPECT_EQ(stored_hash.size(), 32u);
  EXPECT_EQ(stored_hash.find(raw), std::string::npos);
  (*s)->close();
  for (const auto* suffix : {"", "-wal", "-shm"}) {
    const auto file = test::read_bytes(c.database_path().string() + suffix);
    EXPECT_EQ(file.find(issued->code), std::string::npos);
    EXPECT_EQ(file.find(raw), std::string::npos);
  }
}

}  // namespace
}  // namespace confidant::daemon
