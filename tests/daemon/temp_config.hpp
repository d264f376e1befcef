#pragma once

#include "server/daemon/config.hpp"
#include "tests/support/temp_dir.hpp"

namespace confidant::daemon::test_support {

// The embedded default with its data directory inside a test's temporary folder.
inline config temp_config(const test::temp_dir& dir) {
  auto c = embedded_default();
  c.data_dir = dir / "data";
  c.key_file = c.data_dir / "db.key";
  return c;
}

}  // namespace confidant::daemon::test_support
