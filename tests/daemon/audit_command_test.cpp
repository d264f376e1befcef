// confidantd audit verify and audit export on a real keyed database: the operator's view of the
// tamper-evident log.
#include "server/daemon/commands.hpp"
#include "server/store/store.hpp"
#include "tests/daemon/temp_config.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>
#include <string>

namespace confidant::daemon {
namespace {

// Runs SQL on the database with its key, as someone with the key file and a sqlcipher shell could.
void edit(const config& c, const std::string& sql) {
  auto s = store::store::open(c.database_path(), *store::read_key_file(c.key_file), 1);
  ASSERT_TRUE(s);
  std::promise<boost::system::error_code> done;
  (*s)->write().submit([&](store::database& db) { return db.exec(sql); },
                       [&](boost::system::error_code ec) { done.set_value(ec); });
  ASSERT_FALSE(done.get_future().get());
  (*s)->close();
}

std::vector<std::string> lines_of(const std::filesystem::path& p) {
  std::ifstream in{p};
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(AuditCommand, VerifiesAnIntactChainThenNamesTheEditedEntry) {
  test::temp_dir dir;
  const auto c = test_support::temp_config(dir);
  ASSERT_EQ(init_command(c), exit_ok);
  for (const auto* name : {"Ann", "Bea", "Cat"}) ASSERT_EQ(invite_command(c, "coordinator", name, 7), exit_ok);
  EXPECT_EQ(audit_verify_command(c), exit_ok);

  const auto out = dir / "audit.jsonl";
  ASSERT_EQ(audit_export_command(c, "", "", out), exit_ok);
  const auto lines = lines_of(out);
  ASSERT_EQ(lines.size(), 3u);
  const auto first = boost::json::parse(lines[0]).as_object();
  EXPECT_EQ(first.at("seq").as_int64(), 1);
  EXPECT_EQ(first.at("action").as_string(), "invite_created");
  EXPECT_EQ(first.at("actor").as_string(), "operator");
  EXPECT_EQ(first.at("detail").at("role").as_string(), "coordinator");
  EXPECT_EQ(first.at("prev_hash").as_string(), std::string(64, '0'));
  EXPECT_EQ(lines[2].find("Cat"), std::string::npos) << "names are not in the audit log";

  EXPECT_EQ(check_command(c), exit_ok);
  edit(c, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'user:5' WHERE seq = 2;");
  EXPECT_EQ(audit_verify_command(c), exit_integrity);
  EXPECT_EQ(check_command(c), exit_integrity);
}

TEST(CheckCommand, ADamagedPageFailsItsHmac) {
  test::temp_dir dir;
  const auto c = test_support::temp_config(dir);
  ASSERT_EQ(init_command(c), exit_ok);
  for (int i = 0; i < 20; ++i) ASSERT_EQ(invite_command(c, "coordinator", "Ann", 7), exit_ok);
  ASSERT_EQ(check_command(c), exit_ok);
  // One byte inside the last page (SQLCipher 4 pages are 4096 bytes): a data page, not the schema.
  const auto size = static_cast<std::streamoff>(std::filesystem::file_size(c.database_path()));
  std::fstream f{c.database_path(), std::ios::in | std::ios::out | std::ios::binary};
  ASSERT_TRUE(f);
  f.seekg(size - 4096 + 100);
  char b = 0;
  f.read(&b, 1);
  f.seekp(size - 4096 + 100);
  b = static_cast<char>(b ^ 0x5a);
  f.write(&b, 1);
  f.close();
  EXPECT_EQ(check_command(c), exit_integrity);
}

TEST(AuditCommand, ExportRefusesBadRangesAndWritesNothing) {
  test::temp_dir dir;
  const auto c = test_support::temp_config(dir);
  ASSERT_EQ(init_command(c), exit_ok);
  const auto out = dir / "none.jsonl";
  EXPECT_EQ(audit_export_command(c, "yesterday", "", out), exit_usage);
  EXPECT_EQ(audit_export_command(c, "2026-11-23", "2026-11-22", out), exit_usage);
  EXPECT_FALSE(std::filesystem::exists(out));
  ASSERT_EQ(audit_export_command(c, "2026-11-22", "2026-11-23T12:00:00.000Z", out), exit_ok);
  EXPECT_TRUE(lines_of(out).empty());
}

TEST(AuditCommand, WithoutInitFails) {
  test::temp_dir dir;
  EXPECT_EQ(audit_verify_command(test_support::temp_config(dir)), exit_failure);
}

}  // namespace
}  // namespace confidant::daemon
