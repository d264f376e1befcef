#pragma once

#include "crypto/bytes.hpp"
#include "crypto/keys.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace confidant::crypto::test {

// Hex to bytes; a malformed literal in a test is a bug in the test, so it aborts the test run.
inline bytes hex(std::string_view h) { return from_hex(h).value(); }

template <class Fixed>
Fixed fixed_from_hex(std::string_view h) {
  return Fixed::from(hex(h)).value();
}

template <class Secret>
Secret secret_from_hex(std::string_view h) {
  return Secret::from(hex(h)).value();
}

}  // namespace confidant::crypto::test
