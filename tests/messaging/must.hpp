#pragma once

// The value of a client outcome in a test, or a failed expectation naming the failure (outcome's
// value() cannot throw a client::failure).

#include "client/lib/failure.hpp"

#include <gtest/gtest.h>

namespace confidant::client::test {

template <class T>
T must(outcome<T> r) {
  EXPECT_TRUE(r) << (r ? std::string{} : r.error().detail);
  return r ? std::move(*r) : T{};
}

}  // namespace confidant::client::test
