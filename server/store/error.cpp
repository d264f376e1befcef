#include "server/store/error.hpp"

#include <sqlite3.h>

#include <string>

namespace confidant::store {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "confidant.store"; }

  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::not_found: return "database file not found (run `confidantd init` first)";
      case errc::open_failed: return "database file could not be opened";
      case errc::wrong_key: return "the key does not open this database (wrong key, or not a Confidant database)";
      case errc::not_sqlcipher4: return "the linked SQLite library is not SQLCipher 4";
      case errc::schema_too_new: return "the database was written by a newer confidantd";
      case errc::key_file_missing: return "key file not found";
      case errc::key_file_permissions: return "key file is readable by group or others (chmod 600 it)";
      case errc::key_file_malformed: return "key file must hold exactly 64 hexadecimal digits";
      case errc::key_file_exists: return "key file already exists; refusing to overwrite it";
      case errc::busy: return "database is locked by another process";
      case errc::constraint: return "a database constraint failed";
      case errc::full: return "disk full";
      case errc::io: return "database I/O error";
      case errc::corrupt: return "database file is corrupt";
      case errc::misuse: return "database misuse (a bug)";
      case errc::stopped: return "store is shutting down";
      case errc::refused: return "the request was refused; nothing was written";
    }
    return "unknown store error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

errc from_sqlite(int rc) noexcept {
  switch (rc & 0xff) {
    case SQLITE_NOTADB: return errc::wrong_key;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY: return errc::open_failed;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return errc::busy;
    case SQLITE_CONSTRAINT: return errc::constraint;
    case SQLITE_FULL: return errc::full;
    case SQLITE_IOERR: return errc::io;
    case SQLITE_CORRUPT: return errc::corrupt;
    default: return errc::misuse;
  }
}

}  // namespace confidant::store
