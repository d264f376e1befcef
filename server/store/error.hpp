#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <type_traits>

namespace confidant::store {

// Stable failure kinds of the storage layer. Messages name the problem, never the data or key.
enum class errc {
  not_found = 1,          // the database file does not exist (and creation was not asked for)
  open_failed,            // the file could not be opened (permissions, not a regular file)
  wrong_key,              // the key does not open the file, or the file is not a database
  not_sqlcipher4,         // the linked library is not SQLCipher 4
  schema_too_new,         // the file was migrated by a newer confidantd
  key_file_missing,
  key_file_permissions,   // readable by group or others
  key_file_malformed,     // not 64 hex digits
  key_file_exists,        // init refuses to overwrite a key
  busy,                   // locked by another process beyond the busy timeout
  constraint,             // a UNIQUE/CHECK/FOREIGN KEY constraint failed
  full,                   // disk full
  io,                     // an I/O error from the operating system
  corrupt,
  misuse,                 // a bug: bad SQL or API misuse
  stopped,                // the writer was stopped before the job ran
  refused,                // the job refused the request: its changes roll back (not a failure)
};

[[nodiscard]] const boost::system::error_category& category() noexcept;

[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

// Maps an SQLite primary result code to errc.
[[nodiscard]] errc from_sqlite(int rc) noexcept;

template <class T = void>
using result = boost::system::result<T>;

}  // namespace confidant::store

template <>
struct boost::system::is_error_code_enum<confidant::store::errc> : std::true_type {};
