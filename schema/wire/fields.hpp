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
  struct binary_limits {
    std::size_t min_bytes = 1;
    std::size_t max_bytes = 256;
    bool required = true;
  };
  struct array_limits {
    std::size_t min_items = 1;
    std::size_t max_items = 16;
    bool required = true;
  };

  explicit field_reader(const request& req) : fields_(req.fields), rid_(req.rid) {}
  // A reader for a nested object; problems name the field as `<prefix>.<key>`.
  field_reader(const boost::json::object& fields, const std::string& rid, std::string prefix)
      : fields_(fields), rid_(rid), prefix_(std::move(prefix)) {}

  [[nodiscard]] std::optional<std::string> text(std::string_view key, text_limits limits);
  [[nodiscard]] std::optional<std::vector<std::string>> strings(std::string_view key, list_limits limits);
  [[nodiscard]] std::optional<std::int64_t> integer(std::string_view key, int_limits limits);
  // Base64url without padding (protocol.md section 4), decoded; limits count decoded bytes.
  [[nodiscard]] std::optional<std::vector<unsigned char>> binary(std::string_view key, binary_limits limits);
  [[nodiscard]] const boost::json::object* object(std::string_view key, bool required = true);
  [[nodiscard]] const boost::json::array* array(std::string_view key, array_limits limits);
  [[nodiscard]] std::optional<bool> boolean(std::string_view key, bool required = true);

  // Reads a nested object with `read(sub)`, then checks it for unknown members; a problem in it
  // becomes this reader's problem. Returns false if anything failed.
  template <class Fn>
  bool nested(const boost::json::object& obj, std::string name, Fn&& read) {
    if (failure_) return false;
    field_reader sub{obj, rid_, prefix_ + name};
    read(sub);
    if (auto done = sub.finish(); !done) {
      failure_ = done.error();
      return false;
    }
    return true;
  }
  // The full name of a field for messages: `prefix.key`.
  [[nodiscard]] std::string field_name(std::string_view key) const { return prefix_ + std::string{key}; }
  // Records a problem found by the caller (e.g. a signature that does not verify).
  void reject(errc code, std::string message) { fail(code, std::move(message)); }
  [[nodiscard]] bool ok() const noexcept { return !failure_; }

  [[nodiscard]] result<void> finish();

 private:
  const boost::json::value* find(std::string_view key, bool required);
  void fail(errc code, std::string message);

  const boost::json::object& fields_;
  const std::string& rid_;
  std::string prefix_;
  std::set<std::string, std::less<>> read_;
  std::optional<failure> failure_;
};

}  // namespace confidant::wire
