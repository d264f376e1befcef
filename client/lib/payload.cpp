#include "client/lib/payload.hpp"

#include "client/lib/base64url.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace confidant::client {
namespace json = boost::json;

namespace {

failure bad(std::string what) { return make_failure(errc::protocol_error, "message payload: " + what); }

}  // namespace

// RFC 3629: shortest forms only, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07u;
    } else {
      return false;
    }
    for (std::size_t j = 1; j <= n; ++j) {
      if (i + j >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + j]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    static constexpr std::uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

outcome<std::vector<std::uint8_t>> encode_payload(const payload& p) {
  json::object o;
  o["v"] = payload_version;
  if (const auto* t = std::get_if<text_payload>(&p)) {
    if (t->text.empty()) return bad("the text is empty");
    if (t->text.size() > max_text_bytes)
      return bad("the text is longer than " + std::to_string(max_text_bytes) + " bytes");
    if (!valid_utf8(t->text)) return bad("the text is not UTF-8");
    o["kind"] = "text";
    o["text"] = json::string_view{t->text.data(), t->text.size()};
  } else if (const auto* r = std::get_if<receipt_payload>(&p)) {
    if (r->ids.empty() || r->ids.size() > max_receipt_ids) return bad("a receipt names 1 to 256 messages");
    o["kind"] = r->what == receipt_payload::kind::delivered ? "delivered" : "read";
    json::array ids;
    for (const auto& id : r->ids) ids.emplace_back(base64url_encode(id));
    o["ids"] = std::move(ids);
  } else {
    return bad("an unsupported payload cannot be sent");
  }
  const auto text = json::serialize(o);
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

outcome<payload> decode_payload(std::span<const std::uint8_t> bytes) {
  std::error_code ec;
  const std::string_view text{reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  auto v = json::parse(json::string_view{text.data(), text.size()}, ec);
  if (ec || !v.is_object()) return bad("not a JSON object");
  const auto& o = v.as_object();
  const auto* ver = o.if_contains("v");
  if (!ver || !ver->is_int64()) return bad("no integer `v`");
  const auto* kind = o.if_contains("kind");
  const std::string k = kind && kind->is_string() ? std::string{kind->as_string()} : std::string{};
  if (ver->as_int64() != payload_version) return unsupported_payload{static_cast<int>(ver->as_int64()), k};
  if (k == "text") {
    const auto* t = o.if_contains("text");
    if (!t || !t->is_string()) return bad("a text message without `text`");
    return text_payload{std::string{t->as_string()}};
  }
  if (k == "delivered" || k == "read") {
    const auto* ids = o.if_contains("ids");
    if (!ids || !ids->is_array() || ids->as_array().empty() || ids->as_array().size() > max_receipt_ids)
      return bad("a receipt without 1 to 256 `ids`");
    receipt_payload r;
    r.what = k == "read" ? receipt_payload::kind::read : receipt_payload::kind::delivered;
    for (const auto& id : ids->as_array()) {
      if (!id.is_string()) return bad("a receipt id is not a string");
      auto raw = base64url_decode(std::string_view{id.as_string().data(), id.as_string().size()});
      if (!raw || raw->size() != 16) return bad("a receipt id is not 16 bytes of base64url");
      message_id m{};
      std::copy(raw->begin(), raw->end(), m.begin());
      r.ids.push_back(m);
    }
    return r;
  }
  return unsupported_payload{payload_version, k};
}

}  // namespace confidant::client
