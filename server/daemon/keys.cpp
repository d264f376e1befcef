#include "server/daemon/keys.hpp"

#include <cstdlib>

namespace confidant::daemon {

std::filesystem::path key_path(const config& c) {
  if (c.key_credential) {
    const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
    return std::filesystem::path{dir ? dir : ""} / *c.key_credential;
  }
  return c.key_file;
}

store::result<store::db_key> load_key(const config& c) {
  if (c.key_credential && !std::getenv("CREDENTIALS_DIRECTORY")) return store::errc::key_file_missing;
  return store::read_key_file(key_path(c));
}

}  // namespace confidant::daemon
