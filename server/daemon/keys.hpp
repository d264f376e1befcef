#pragma once

#include "server/daemon/config.hpp"
#include "server/store/key.hpp"

#include <filesystem>
#include <string>

namespace confidant::daemon {

// Where the database key is read from: the systemd credential when configured
// ($CREDENTIALS_DIRECTORY/<name>), otherwise the key file.
[[nodiscard]] std::filesystem::path key_path(const config& c);

[[nodiscard]] store::result<store::db_key> load_key(const config& c);

// A sentence for the operator when load_key failed: names the file or the missing credential.
[[nodiscard]] std::string key_error(const config& c, const boost::system::error_code& ec);

}  // namespace confidant::daemon
