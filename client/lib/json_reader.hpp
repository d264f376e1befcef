#pragma once

// Reads the members of one JSON object of an answer, remembering the first problem instead of
// failing at each member: `reader r{o}; x.id = r.integer("id"); ...; if (r.failed()) return
// r.error();`. Required members are named by the plain getters; optional ones (`opt_*`, and the
// arrays, which are empty when absent) leave the default when absent but fail when present with
// the wrong type. Problems are errc::bad_answer naming the member (codec.hpp's wording).

#include "client/lib/codec.hpp"
#include "client/lib/failure.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::codec {

class reader {
 public:
  explicit reader(const boost::json::object& o) : o_(o) {}

  [[nodiscard]] std::int64_t integer(std::string_view key);
  [[nodiscard]] std::string text(std::string_view key);
  [[nodiscard]] bool boolean(std::string_view key);
  [[nodiscard]] std::int64_t time(std::string_view key);
  [[nodiscard]] double number(std::string_view key);  // an integer or a fraction

  [[nodiscard]] std::int64_t opt_integer(std::string_view key, std::int64_t otherwise = 0);
  [[nodiscard]] std::string opt_text(std::string_view key);
  [[nodiscard]] std::optional<std::int64_t> opt_time(std::string_view key);
  [[nodiscard]] bool opt_boolean(std::string_view key);
  // Base64url, 1 to `max` bytes; empty when absent.
  [[nodiscard]] bytes opt_binary(std::string_view key, std::size_t max);
  [[nodiscard]] std::vector<std::string> texts(std::string_view key);
  [[nodiscard]] std::vector<std::int64_t> integers(std::string_view key);
  // The member as an object, or nullptr (a problem when `required`, or when it is not an object).
  [[nodiscard]] const boost::json::object* object(std::string_view key, bool required = true);
  // The member as an array of objects (a problem when it is something else); empty when absent
  // and not `required`.
  [[nodiscard]] std::vector<const boost::json::object*> objects(std::string_view key, bool required = false);

  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] bool failed() const { return error_.has_value(); }
  [[nodiscard]] failure error() const { return *error_; }
  // Records a problem found by the caller (the first one is kept).
  void fail(failure f);

 private:
  template <class T>
  T take(outcome<T> v, T otherwise = {});

  const boost::json::object& o_;
  std::optional<failure> error_;
};

}  // namespace confidant::client::codec
