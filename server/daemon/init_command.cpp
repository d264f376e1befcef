#include "server/daemon/commands.hpp"

#include "server/daemon/keys.hpp"
#include "server/store/store.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <chrono>

namespace confidant::daemon {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int init_command(const config& c) {
  const auto db_path = c.database_path();
  std::error_code ec;
  std::filesystem::create_directories(c.data_dir, ec);
  if (ec) {
    fmt::print(stderr, "confidantd: cannot create data directory {}: {}\n", c.data_dir.string(), ec.message());
    return exit_failure;
  }
  ::chmod(c.data_dir.c_str(), 0700);

  if (std::filesystem::exists(db_path)) {
    // Already initialised: prove the key opens it and bring the schema up to date.
    auto key = load_key(c);
    if (!key) {
      fmt::print(stderr, "confidantd: {}\n", key_error(c, key.error()));
      return exit_failure;
    }
    auto s = store::store::open(db_path, std::move(*key), now_ms());
    if (!s) {
      fmt::print(stderr, "confidantd: {}: {}\n", db_path.string(), s.error().message());
      return exit_failure;
    }
    fmt::print("already initialised: {} (tenant \"{}\"); key and schema checked\n", db_path.string(),
               (*s)->tenant_name());
    return exit_ok;
  }

  store::result<store::db_key> key = store::errc::key_file_missing;
  if (c.key_credential) {
    key = load_key(c);  // systemd provides the key; init never writes one
  } else if (std::filesystem::exists(c.key_file)) {
    key = store::read_key_file(c.key_file);
  } else {
    key = store::db_key::random();
    if (auto w = store::write_key_file(c.key_file, *key); !w) {
      fmt::print(stderr, "confidantd: cannot write key file {}: {}\n", c.key_file.string(), w.error().message());
      return exit_failure;
    }
    fmt::print("created key file {} (mode 0600): back it up; without it the database cannot be read\n",
               c.key_file.string());
  }
  if (!key) {
    fmt::print(stderr, "confidantd: {}\n", key_error(c, key.error()));
    return exit_failure;
  }
  if (auto r = store::create_database(db_path, *key, c.tenant_name, now_ms()); !r) {
    fmt::print(stderr, "confidantd: cannot create database {}: {}\n", db_path.string(), r.error().message());
    return exit_failure;
  }
  fmt::print("created encrypted database {} (SQLCipher 4) for tenant \"{}\"\n", db_path.string(), c.tenant_name);
  return exit_ok;
}

}  // namespace confidant::daemon
