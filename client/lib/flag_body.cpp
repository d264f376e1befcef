#include "client/lib/flag_body.hpp"

#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/payload.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <optional>

namespace confidant::client::flag_body {
namespace json = boost::json;

namespace {

failure bad(const std::string& what) { return make_failure(errc::protocol_error, "flag body: " + what); }
failure refuse(const std::string& what) { return make_failure(errc::invalid_request, what); }

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& all, std::string_view s) {
  return std::find(all.begin(), all.end(), s) != all.end();
}

outcome<void> check_text(const std::string& text) {
  if (text.empty()) return refuse("the text is empty");
  if (text.size() > max_text_bytes) return refuse("the text is longer than " + std::to_string(max_text_bytes) + " bytes");
  if (!valid_utf8(text)) return refuse("the text is not UTF-8");
  return {};
}

outcome<bytes> finish(const json::object& o) {
  const auto text = json::serialize(o);
  if (text.size() > max_body_bytes)
    return refuse("the flag with its quotes is longer than " + std::to_string(max_body_bytes) + " bytes");
  return bytes(text.begin(), text.end());
}

const json::string* string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(json::string_view{key.data(), key.size()});
  return v ? v->if_string() : nullptr;
}

std::optional<std::int64_t> positive_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(json::string_view{key.data(), key.size()});
  if (!v || !v->is_int64() || v->as_int64() <= 0) return std::nullopt;
  return v->as_int64();
}

std::optional<id16> id_at(const json::object& o, std::string_view key) {
  const auto* s = string_at(o, key);
  if (!s) return std::nullopt;
  auto raw = base64url_decode(std::string_view{s->data(), s->size()});
  if (!raw || raw->size() != 16) return std::nullopt;
  id16 out{};
  std::copy(raw->begin(), raw->end(), out.begin());
  return out;
}

outcome<body> decode_flag(const json::object& o) {
  flag f;
  auto id = id_at(o, "flag_id");
  if (!id) return bad("`flag_id` must be 16 bytes of base64url");
  f.flag_id = *id;
  const auto* category = string_at(o, "category");
  const auto* urgency = string_at(o, "urgency");
  const auto* text = string_at(o, "text");
  const auto* when = string_at(o, "raised_at_client");
  if (!category || !urgency || !text || !when) return bad("a flag needs `category`, `urgency`, `raised_at_client` and `text`");
  f.category = std::string{*category};
  f.urgency = std::string{*urgency};
  f.text = std::string{*text};
  auto at = codec::parse_time_ms(std::string_view{when->data(), when->size()});
  if (!at) return bad("`raised_at_client` is not a time");
  f.raised_at_client_ms = *at;
  const auto* raiser = o.if_contains("raiser");
  if (!raiser || !raiser->is_object()) return bad("`raiser` must be an object");
  auto user = positive_at(raiser->as_object(), "user");
  auto device = positive_at(raiser->as_object(), "device");
  if (!user || !device) return bad("`raiser` needs positive `user` and `device`");
  f.raiser_user = *user;
  f.raiser_device = *device;
  const auto* quotes = o.if_contains("quotes");
  if (!quotes || !quotes->is_array() || quotes->as_array().size() > max_quotes)
    return bad("`quotes` must be an array of at most " + std::to_string(max_quotes) + " items");
  for (const auto& q : quotes->as_array()) {
    const auto* s = q.if_string();
    auto raw = s ? base64url_decode(std::string_view{s->data(), s->size()}) : std::nullopt;
    if (!raw || raw->empty()) return bad("a quote is not base64url");
    f.quotes.push_back(std::move(*raw));
  }
  return f;
}

outcome<body> decode_note(const json::object& o) {
  note n;
  auto flag_id = positive_at(o, "flag");
  auto id = id_at(o, "note_id");
  const auto* text = string_at(o, "text");
  if (!flag_id || !id || !text) return bad("a note needs a positive `flag`, a 16-byte `note_id` and `text`");
  n.flag = *flag_id;
  n.note_id = *id;
  n.text = std::string{*text};
  return n;
}

}  // namespace

bool is_category(std::string_view s) { return one_of(categories, s); }
bool is_urgency(std::string_view s) { return one_of(urgencies, s); }
bool is_outcome(std::string_view s) { return one_of(outcomes, s); }

outcome<bytes> encode(const flag& f) {
  if (!is_category(f.category)) return refuse("unknown category");
  if (!is_urgency(f.urgency)) return refuse("unknown urgency");
  if (f.raiser_user <= 0 || f.raiser_device <= 0) return refuse("the raiser's user and device must be positive");
  if (auto t = check_text(f.text); !t) return t.error();
  if (f.quotes.size() > max_quotes) return refuse("at most " + std::to_string(max_quotes) + " quotes");
  json::array quotes;
  for (const auto& q : f.quotes) {
    if (q.empty()) return refuse("an empty quote");
    quotes.emplace_back(base64url_encode(q));
  }
  json::object o;
  o["v"] = version;
  o["kind"] = "flag";
  o["flag_id"] = base64url_encode(f.flag_id);
  o["category"] = f.category;
  o["urgency"] = f.urgency;
  o["raiser"] = json::object{{"user", f.raiser_user}, {"device", f.raiser_device}};
  o["raised_at_client"] = codec::format_time_ms(f.raised_at_client_ms);
  o["text"] = f.text;
  o["quotes"] = std::move(quotes);
  return finish(o);
}

outcome<bytes> encode(const note& n) {
  if (n.flag <= 0) return refuse("the flag id must be positive");
  if (auto t = check_text(n.text); !t) return t.error();
  json::object o;
  o["v"] = version;
  o["kind"] = "note";
  o["flag"] = n.flag;
  o["note_id"] = base64url_encode(n.note_id);
  o["text"] = n.text;
  return finish(o);
}

outcome<body> decode(std::span<const std::uint8_t> b) {
  std::error_code ec;
  const std::string_view text{reinterpret_cast<const char*>(b.data()), b.size()};
  auto v = json::parse(json::string_view{text.data(), text.size()}, ec);
  if (ec || !v.is_object()) return bad("not a JSON object");
  const auto& o = v.as_object();
  const auto* ver = o.if_contains("v");
  if (!ver || !ver->is_int64()) return bad("no integer `v`");
  const auto* kind = string_at(o, "kind");
  const std::string k = kind ? std::string{*kind} : std::string{};
  if (ver->as_int64() != version) return unsupported{static_cast<int>(ver->as_int64()), k};
  if (k == "flag") return decode_flag(o);
  if (k == "note") return decode_note(o);
  return unsupported{version, k};
}

}  // namespace confidant::client::flag_body
