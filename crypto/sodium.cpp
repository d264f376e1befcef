#include "crypto/sodium.hpp"

#include <sodium.h>

#include <cstdlib>

namespace confidant::crypto {

void ensure_sodium() {
  static const int rc = sodium_init();
  // -1 means libsodium could not initialise (no entropy source): nothing is safe after that.
  if (rc < 0) std::abort();
}

}  // namespace confidant::crypto
