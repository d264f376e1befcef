#pragma once

#include "server/daemon/config.hpp"
#include "server/store/key.hpp"

#include <filesystem>

namespace confidant::daemon {

// Where the database key is read from: the systemd credential when configured
// ($CREDENTIALS_DIRECTORY/<name>), otherwise the key file.
[[nodiscard]] std::filesystem::path key_path(const config& c);

[[nodiscard]] store::result<store::db_key> load_key(const config& c);

}  // namespace confidant::daemon
