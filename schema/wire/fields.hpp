#pragma once

#include "schema/wire/envelope.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::wire {

// Reads and validates the fields of one request. Each accessor checks presence, type and
// limits; the first problem is kept and every later read is a no-op. finish() also rejects any
// field that was not read (unknown_field), so every field of every message is validated.
//
//   field_reader in{req};
//   auto versions = in.strings("versions", {.max_items = 8, .max_length = 32});
//   auto client = in.text("client", {.max_length = 64, .required = false});
//   if (auto done = in.finish(); !done) return done.error();
class field_reader {
 public:
  struct text_limits {
    std::size_t min_length = 1;
    std::size_t max_length = 256;
    bool required = true;
  };
  struct list_limits {
    std::size_t min_items = 1;
    std::size_t max_items = 16;
    std::size_t max_length = 64;
    bool required = true;
  };
  struct int_limits {
    std::int64_t min = 0;
    std::int64_t max = INT64_MAX;
    bool required = true;
  };

  explicit field_reader(const request& req) : fields_(req.fields), rid_(req.rid) {}

  [[nodiscard]] std::optional<std::string> text(std::string_view key, text_limits limits);
  [[nodiscard]] std::optional<std::vector<std::string>> strings(std::string_view key, list_limits limits);
  [[nodiscard]] std::optional<std::int64_t> integer(std::string_view key, int_limits limits);

  [[nodiscard]] result<void> finish();

 private:
  const boost::json::value* find(std::string_view key, bool required);
  void fail(errc code, std::string message);

  const boost::json::object& fields_;
  const std::string& rid_;
  std::set<std::string, std::less<>> read_;
  std::optional<failure> failure_;
};

}  // namespace confidant::wire
