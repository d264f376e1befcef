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

std::string key_error(const config& c, const boost::system::error_code& ec) {
  if (c.key_credential && !std::getenv("CREDENTIALS_DIRECTORY")) {
    return "storage.key_credential = \"" + *c.key_credential +
           "\" but $CREDENTIALS_DIRECTORY is not set: run under systemd with LoadCredential=" + *c.key_credential +
           ":FILE, or use storage.key_file";
  }
  return key_path(c).string() + ": " + ec.message();
}

}  // namespace confidant::daemon
