#pragma once

// The files of a profile folder, outside SQLite: the folder itself (0700), the Argon2id
// parameter record (`passphrase`, 0600, no secret in it) and the database key derived from it.

#include "client/store/local_store.hpp"
#include "crypto/passphrase.hpp"
#include "server/store/key.hpp"

#include <filesystem>
#include <string_view>

namespace confidant::client {

struct profile_paths {
  std::filesystem::path dir;

  [[nodiscard]] std::filesystem::path database() const { return dir / "local.db"; }
  // Where create() builds the database before it appears under its real name.
  [[nodiscard]] std::filesystem::path staging() const { return dir / "local.db.new"; }
  [[nodiscard]] std::filesystem::path record() const { return dir / "passphrase"; }
};

// Creates the folder if needed and makes it 0700 either way.
[[nodiscard]] store_result<void> make_private_dir(const std::filesystem::path& dir);
// Creates an empty 0600 file (O_EXCL). SQLite gives the -wal and -shm files the database file's
// mode, so this is how they become 0600 without touching the process-wide umask.
[[nodiscard]] store_result<void> create_private_file(const std::filesystem::path& path);
// True when `path` exists; io_error when that cannot be told.
[[nodiscard]] store_result<bool> file_exists(const std::filesystem::path& path);
// Removes `path` and SQLite's companion files (-wal, -shm, -journal) if present.
void remove_database_files(const std::filesystem::path& path) noexcept;
// Atomically links `from` as `to` (never replacing `to`: profile_exists) and unlinks `from`,
// then syncs the folder so the new name survives a crash.
[[nodiscard]] store_result<void> publish(const std::filesystem::path& from, const std::filesystem::path& to);

// Writes the record through a 0600 temporary file, fsync and rename (replacing a leftover from
// an interrupted create), then syncs the folder.
[[nodiscard]] store_result<void> write_record(const std::filesystem::path& path, const crypto::passphrase::record& r);
// corrupt when the file is missing or does not parse.
[[nodiscard]] store_result<crypto::passphrase::record> read_record(const std::filesystem::path& path);

// Argon2id of the passphrase under the record, as SQLCipher's raw key. No copy of the key
// outlives the call except the returned one (wiped on destruction).
[[nodiscard]] store_result<store::db_key> derive_db_key(std::string_view passphrase,
                                                       const crypto::passphrase::record& r);

}  // namespace confidant::client
