#include "schema/wire/fields.hpp"

#include "schema/wire/base64url.hpp"

namespace confidant::wire {
namespace {

std::string quoted(std::string_view key) { return "`" + std::string{key} + "`"; }

bool within(std::size_t n, std::size_t lo, std::size_t hi) { return n >= lo && n <= hi; }

}  // namespace

void field_reader::fail(errc code, std::string message) {
  if (!failure_) failure_ = failure{code, std::move(message), rid_};
}

const boost::json::value* field_reader::find(std::string_view key, bool required) {
  read_.emplace(key);
  if (failure_) return nullptr;
  const auto* v = fields_.if_contains(key);
  if (!v && required) fail(errc::missing_field, "field " + quoted(field_name(key)) + " is required");
  return v;
}

std::optional<std::string> field_reader::text(std::string_view key, text_limits limits) {
  const auto* v = find(key, limits.required);
  if (!v) return std::nullopt;
  const auto* s = v->if_string();
  if (!s || !within(s->size(), limits.min_length, limits.max_length)) {
    fail(errc::invalid_field, "field " + quoted(field_name(key)) + " must be a string of " + std::to_string(limits.min_length) +
                                  " to " + std::to_string(limits.max_length) + " bytes");
    return std::nullopt;
  }
  return std::string{*s};
}

std::optional<std::vector<std::string>> field_reader::strings(std::string_view key, list_limits limits) {
  const auto* v = find(key, limits.required);
  if (!v) return std::nullopt;
  const auto* arr = v->if_array();
  const auto rule = "field " + quoted(field_name(key)) + " must be an array of " + std::to_string(limits.min_items) + " to " +
                    std::to_string(limits.max_items) + " strings of 1 to " + std::to_string(limits.max_length) +
                    " bytes";
  if (!arr || !within(arr->size(), limits.min_items, limits.max_items)) {
    fail(errc::invalid_field, rule);
    return std::nullopt;
  }
  std::vector<std::string> out;
  out.reserve(arr->size());
  for (const auto& item : *arr) {
    const auto* s = item.if_string();
    if (!s || !within(s->size(), 1, limits.max_length)) {
      fail(errc::invalid_field, rule);
      return std::nullopt;
    }
    out.emplace_back(*s);
  }
  return out;
}

std::optional<std::int64_t> field_reader::integer(std::string_view key, int_limits limits) {
  const auto* v = find(key, limits.required);
  if (!v) return std::nullopt;
  std::optional<std::int64_t> n;
  if (const auto* i = v->if_int64()) n = *i;
  if (const auto* u = v->if_uint64(); u && *u <= static_cast<std::uint64_t>(INT64_MAX))
    n = static_cast<std::int64_t>(*u);
  if (!n || *n < limits.min || *n > limits.max) {
    fail(errc::invalid_field, "field " + quoted(field_name(key)) + " must be an integer from " + std::to_string(limits.min) +
                                  " to " + std::to_string(limits.max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::vector<unsigned char>> field_reader::binary(std::string_view key, binary_limits limits) {
  const auto* v = find(key, limits.required);
  if (!v) return std::nullopt;
  const auto* s = v->if_string();
  auto bytes = s ? from_base64url(*s) : std::nullopt;
  if (!bytes || !within(bytes->size(), limits.min_bytes, limits.max_bytes)) {
    const auto size = limits.min_bytes == limits.max_bytes
                          ? std::to_string(limits.min_bytes)
                          : std::to_string(limits.min_bytes) + " to " + std::to_string(limits.max_bytes);
    fail(errc::invalid_field, "field " + quoted(field_name(key)) + " must be base64url without padding of " + size + " bytes");
    return std::nullopt;
  }
  return bytes;
}

const boost::json::object* field_reader::object(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return nullptr;
  const auto* o = v->if_object();
  if (!o) fail(errc::invalid_field, "field " + quoted(field_name(key)) + " must be an object");
  return failure_ ? nullptr : o;
}

const boost::json::array* field_reader::array(std::string_view key, array_limits limits) {
  const auto* v = find(key, limits.required);
  if (!v) return nullptr;
  const auto* a = v->if_array();
  if (!a || !within(a->size(), limits.min_items, limits.max_items)) {
    fail(errc::invalid_field, "field " + quoted(field_name(key)) + " must be an array of " +
                                  std::to_string(limits.min_items) + " to " + std::to_string(limits.max_items) + " items");
    return nullptr;
  }
  return a;
}

std::optional<bool> field_reader::boolean(std::string_view key, bool required) {
  const auto* v = find(key, required);
  if (!v) return std::nullopt;
  const auto* b = v->if_bool();
  if (!b) {
    fail(errc::invalid_field, "field " + quoted(field_name(key)) + " must be true or false");
    return std::nullopt;
  }
  return *b;
}

result<void> field_reader::finish() {
  if (failure_) return *failure_;
  for (const auto& kv : fields_) {
    if (!read_.contains(std::string_view{kv.key()})) {
      // Name the field only if it is short and printable: never echo arbitrary input.
      const std::string_view k = kv.key();
      const bool printable = valid_type(k);
      return failure{errc::unknown_field, printable ? "field " + quoted(prefix_ + std::string{k}) + " is not defined for this request"
                                                    : std::string{"a field is not defined for this request"},
                     rid_};
    }
  }
  return {};
}

}  // namespace confidant::wire
