#include "client/lib/json_reader.hpp"

#include "client/lib/base64url.hpp"

#include <boost/json/array.hpp>

namespace confidant::client::codec {
namespace json = boost::json;

namespace {

json::string_view key_of(std::string_view k) { return {k.data(), k.size()}; }

failure bad(std::string_view key, std::string_view why) {
  return make_failure(errc::bad_answer,
                      "the server's answer is malformed: `" + std::string{key} + "` " + std::string{why});
}

// Each element of the array member `key` (absent: none, a problem when `required`), checked with
// `is` (a problem saying `holds` otherwise) and handed to `take`. False after a problem.
template <class Is, class Take>
bool each(const json::object& o, reader& r, std::string_view key, bool required, std::string_view holds, Is is,
          Take take) {
  const auto* v = o.if_contains(key_of(key));
  if (!v) {
    if (required) r.fail(bad(key, "missing"));
    return !required;
  }
  if (!v->is_array()) {
    r.fail(bad(key, "not an array"));
    return false;
  }
  for (const auto& x : v->as_array()) {
    if (!is(x)) {
      r.fail(bad(key, holds));
      return false;
    }
    take(x);
  }
  return true;
}

}  // namespace

template <class T>
T reader::take(outcome<T> v, T otherwise) {
  if (v) return std::move(*v);
  fail(v.error());
  return otherwise;
}

void reader::fail(failure f) {
  if (!error_) error_ = std::move(f);
}

bool reader::has(std::string_view key) const { return o_.contains(key_of(key)); }

std::int64_t reader::integer(std::string_view key) { return take(get_int(o_, key), std::int64_t{0}); }
std::string reader::text(std::string_view key) { return take(get_string(o_, key)); }
bool reader::boolean(std::string_view key) { return take(get_bool(o_, key), false); }
std::int64_t reader::time(std::string_view key) { return take(get_time(o_, key), std::int64_t{0}); }

double reader::number(std::string_view key) {
  const auto* v = o_.if_contains(key_of(key));
  if (!v) {
    fail(bad(key, "missing"));
    return 0;
  }
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  if (v->is_uint64()) return static_cast<double>(v->as_uint64());
  fail(bad(key, "not a number"));
  return 0;
}

std::int64_t reader::opt_integer(std::string_view key, std::int64_t otherwise) {
  return has(key) ? integer(key) : otherwise;
}
std::string reader::opt_text(std::string_view key) { return has(key) ? text(key) : std::string{}; }
std::optional<std::int64_t> reader::opt_time(std::string_view key) {
  if (!has(key)) return std::nullopt;
  return time(key);
}
bool reader::opt_boolean(std::string_view key) { return has(key) && boolean(key); }

bytes reader::opt_binary(std::string_view key, std::size_t max) {
  return has(key) ? take(get_binary(o_, key, 0, 1, max)) : bytes{};
}

std::vector<std::string> reader::texts(std::string_view key) {
  std::vector<std::string> out;
  if (!each(o_, *this, key, false, "must hold strings", [](const json::value& x) { return x.is_string(); },
            [&](const json::value& x) { out.emplace_back(x.as_string()); }))
    return {};
  return out;
}

std::vector<std::int64_t> reader::integers(std::string_view key) {
  std::vector<std::int64_t> out;
  if (!each(o_, *this, key, false, "must hold integers", [](const json::value& x) { return x.is_int64(); },
            [&](const json::value& x) { out.push_back(x.as_int64()); }))
    return {};
  return out;
}

const json::object* reader::object(std::string_view key, bool required) {
  const auto* v = o_.if_contains(key_of(key));
  if (!v) {
    if (required) fail(bad(key, "missing"));
    return nullptr;
  }
  if (!v->is_object()) fail(bad(key, "not an object"));
  return v->if_object();
}

std::vector<const json::object*> reader::objects(std::string_view key, bool required) {
  std::vector<const json::object*> out;
  if (!each(o_, *this, key, required, "must hold objects", [](const json::value& x) { return x.is_object(); },
            [&](const json::value& x) { out.push_back(&x.as_object()); }))
    return {};
  return out;
}

}  // namespace confidant::client::codec
