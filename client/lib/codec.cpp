#include "client/lib/codec.hpp"

#include "client/lib/base64url.hpp"

#include <algorithm>
#include <cstdio>

namespace confidant::client::codec {
namespace json = boost::json;

namespace {

failure bad(std::string_view key, std::string_view rule) {
  return make_failure(errc::bad_answer, "the server's answer has a bad `" + std::string{key} + "`: " + std::string{rule});
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

outcome<std::int64_t> int_in(const json::object& o, std::string_view key, std::int64_t min, std::int64_t max) {
  auto v = get_int(o, key);
  if (!v) return v;
  if (*v < min || *v > max) return bad(key, "out of range");
  return v;
}

template <class Fixed>
outcome<Fixed> fixed(const json::object& o, std::string_view key) {
  auto b = get_binary(o, key, Fixed::size);
  if (!b) return b.error();
  auto f = Fixed::from(*b);
  if (!f) return bad(key, "wrong length");
  return *f;
}

}  // namespace

std::optional<std::int64_t> parse_time_ms(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (t.size() != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t[19] != '.' ||
      t[23] != 'Z')
    return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n) -> std::optional<unsigned> {
    unsigned v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(t[i] - '0');
    }
    return v;
  };
  const auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2),
             ms = num(20, 3);
  if (!y || !mo || !d || !h || !mi || !s || !ms) return std::nullopt;
  if (*mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  const auto days = days_from_civil(*y, *mo, *d);
  return ((days * 24 + *h) * 60 + *mi) * 60'000 + static_cast<std::int64_t>(*s) * 1000 + *ms;
}

std::string format_time_ms(std::int64_t ms) {
  // Floor division without negating or multiplying back (both overflow near INT64_MIN).
  std::int64_t days = ms / 86'400'000;
  std::int64_t rest = ms % 86'400'000;
  if (rest < 0) {
    --days;
    rest += 86'400'000;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(rest / 3'600'000), static_cast<long long>(rest / 60'000 % 60),
                static_cast<long long>(rest / 1000 % 60), static_cast<long long>(rest % 1000));
  return buf;
}

outcome<std::int64_t> get_int(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(json::string_view{key.data(), key.size()});
  if (!v) return bad(key, "missing");
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  return bad(key, "not an integer");
}

outcome<std::string> get_string(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(json::string_view{key.data(), key.size()});
  if (!v) return bad(key, "missing");
  if (!v->is_string()) return bad(key, "not a string");
  return std::string{v->as_string()};
}

outcome<bool> get_bool(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(json::string_view{key.data(), key.size()});
  if (!v) return bad(key, "missing");
  if (!v->is_bool()) return bad(key, "not a boolean");
  return v->as_bool();
}

outcome<std::int64_t> get_time(const json::object& o, std::string_view key) {
  auto s = get_string(o, key);
  if (!s) return s.error();
  auto t = parse_time_ms(*s);
  if (!t) return bad(key, "not a time of the form YYYY-MM-DDTHH:MM:SS.mmmZ");
  return *t;
}

outcome<bytes> get_binary(const json::object& o, std::string_view key, std::size_t size, std::size_t min,
                          std::size_t max) {
  auto s = get_string(o, key);
  if (!s) return s.error();
  auto b = base64url_decode(*s);
  if (!b) return bad(key, "not base64url without padding");
  if (size != 0 ? b->size() != size : (b->size() < min || b->size() > max)) return bad(key, "wrong length");
  return std::move(*b);
}

outcome<history_item> read_history_item(const json::object& h) {
  auto at = get_time(h, "at");
  auto action = get_string(h, "action");
  if (!at) return at.error();
  if (!action) return action.error();
  std::string actor;
  if (const auto* a = h.if_contains("actor")) {
    if (a->is_string()) actor = std::string{a->as_string()};
    if (a->is_int64()) actor = "user " + std::to_string(a->as_int64());
    if (a->is_object()) {
      auto user = get_int(a->as_object(), "user");
      auto device = get_int(a->as_object(), "device");
      if (user && device) actor = "user " + std::to_string(*user) + ", device " + std::to_string(*device);
    }
  }
  return history_item{*at, *action, actor};
}

failure from_error_answer(const wire::response& r, std::string_view what) {
  auto code = get_string(r.fields, "code");
  auto message = get_string(r.fields, "message");
  failure f = make_failure(errc::error_answer, std::string{what} + ": " + (code ? *code : std::string{"error"}) +
                                                   (message && !message->empty() ? " (" + *message + ")" : ""));
  f.server_code = code ? *code : std::string{};
  if (auto retry = get_int(r.fields, "retry_after_ms")) f.retry_after_ms = *retry;
  return f;
}

json::object to_json(const crypto::signed_prekey_public& k) {
  return {{"id", static_cast<std::int64_t>(k.id)},
          {"created_at", static_cast<std::int64_t>(k.created_at)},
          {"key", base64url_encode(k.key.view())},
          {"signature", base64url_encode(k.signature.view())}};
}

json::object to_json(const crypto::one_time_prekey_public& k) {
  return {{"id", static_cast<std::int64_t>(k.id)}, {"key", base64url_encode(k.key.view())}};
}

json::array to_json(std::span<const crypto::one_time_prekey> keys) {
  json::array a;
  for (const auto& k : keys) a.emplace_back(to_json(k.public_part()));
  return a;
}

json::object register_fields(std::string_view invite, const crypto::identity_public& identity,
                             const crypto::signed_prekey_public& spk, std::span<const crypto::one_time_prekey> one_time) {
  return {{"invite", json::string_view{invite.data(), invite.size()}},
          {"identity", base64url_encode(identity.to_bytes())},
          {"signed_prekey", to_json(spk)},
          {"one_time_prekeys", to_json(one_time)}};
}

bytes login_message(std::span<const std::uint8_t, 32> server_key, std::span<const std::uint8_t, 32> nonce) {
  bytes m(login_label.begin(), login_label.end());
  m.insert(m.end(), server_key.begin(), server_key.end());
  m.insert(m.end(), nonce.begin(), nonce.end());
  return m;
}

namespace {

outcome<account_answer> read_account(const json::object& o, bool login) {
  account_answer a;
  auto user = int_in(o, "user", 1, INT64_MAX);
  if (!user) return user.error();
  auto device = int_in(o, "device", 1, INT64_MAX);
  if (!device) return device.error();
  auto role = get_string(o, "role");
  if (!role) return role.error();
  auto name = get_string(o, "display_name");
  if (!name) return name.error();
  a.user = *user, a.device = *device, a.role = *role, a.display_name = *name;
  if (login) {
    auto pending = int_in(o, "pending", 0, INT64_MAX);
    if (!pending) return pending.error();
    auto otk = int_in(o, "one_time_prekeys", 0, INT64_MAX);
    if (!otk) return otk.error();
    a.pending = *pending, a.one_time_prekeys = *otk;
  }
  return a;
}

const json::array* array_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(json::string_view{key.data(), key.size()});
  return v && v->is_array() ? &v->as_array() : nullptr;
}

const json::object* object_of(const json::value& v) { return v.is_object() ? &v.as_object() : nullptr; }

}  // namespace

outcome<account_answer> read_register(const json::object& o) { return read_account(o, false); }
outcome<account_answer> read_login(const json::object& o) { return read_account(o, true); }

outcome<std::vector<device_bundle>> read_bundle(const json::object& o, std::int64_t user) {
  auto u = get_int(o, "user");
  if (!u) return u.error();
  if (*u != user) return bad("user", "not the user asked for");
  const auto* devices = array_of(o, "devices");
  if (!devices) return bad("devices", "not an array");
  std::vector<device_bundle> out;
  for (const auto& item : *devices) {
    const auto* d = object_of(item);
    if (!d) return bad("devices", "an item is not an object");
    auto device = int_in(*d, "device", 1, INT64_MAX);
    if (!device) return device.error();
    auto identity_bytes = get_binary(*d, "identity", crypto::identity_public::encoded_size);
    if (!identity_bytes) return identity_bytes.error();
    auto identity = crypto::identity_public::from_bytes(*identity_bytes);
    if (!identity) return bad("identity", "not a valid self-signed identity");
    const auto* spk_value = d->if_contains("signed_prekey");
    const auto* spk = spk_value ? object_of(*spk_value) : nullptr;
    if (!spk) return bad("signed_prekey", "not an object");
    auto spk_id = int_in(*spk, "id", 0, UINT32_MAX);
    if (!spk_id) return spk_id.error();
    auto created = int_in(*spk, "created_at", 0, INT64_MAX);
    if (!created) return created.error();
    auto spk_key = fixed<crypto::x25519_public_key>(*spk, "key");
    if (!spk_key) return spk_key.error();
    auto spk_sig = fixed<crypto::ed25519_signature>(*spk, "signature");
    if (!spk_sig) return spk_sig.error();
    device_bundle b{*device,
                    {*identity,
                     {static_cast<std::uint32_t>(*spk_id), static_cast<std::uint64_t>(*created), *spk_key, *spk_sig},
                     std::nullopt}};
    if (const auto* otk_value = d->if_contains("one_time_prekey")) {
      const auto* otk = object_of(*otk_value);
      if (!otk) return bad("one_time_prekey", "not an object");
      auto otk_id = int_in(*otk, "id", 0, UINT32_MAX);
      if (!otk_id) return otk_id.error();
      auto otk_key = fixed<crypto::x25519_public_key>(*otk, "key");
      if (!otk_key) return otk_key.error();
      b.bundle.one_time_prekey = crypto::one_time_prekey_public{static_cast<std::uint32_t>(*otk_id), *otk_key};
    }
    if (auto v = b.bundle.verify(); !v) return bad("devices", "a prekey bundle does not verify (" + v.error().message() + ")");
    out.push_back(std::move(b));
  }
  return out;
}

outcome<std::vector<device_ref>> read_device_refs(const json::object& o, std::string_view key) {
  std::vector<device_ref> out;
  const auto* a = array_of(o, key);
  if (!a) return bad(key, "not an array");
  for (const auto& item : *a) {
    const auto* d = object_of(item);
    if (!d) return bad(key, "an item is not an object");
    auto user = int_in(*d, "user", 1, INT64_MAX);
    if (!user) return user.error();
    auto device = int_in(*d, "device", 1, INT64_MAX);
    if (!device) return device.error();
    out.push_back({*user, *device});
  }
  return out;
}

outcome<std::vector<contact_info>> read_contacts(const json::object& o) {
  std::vector<contact_info> out;
  const auto* a = array_of(o, "contacts");
  if (!a) return bad("contacts", "not an array");
  for (const auto& item : *a) {
    const auto* c = object_of(item);
    if (!c) return bad("contacts", "an item is not an object");
    contact_info info;
    auto user = int_in(*c, "user", 1, INT64_MAX);
    if (!user) return user.error();
    auto name = get_string(*c, "display_name");
    if (!name) return name.error();
    auto role = get_string(*c, "role");
    if (!role) return role.error();
    info.user = *user, info.display_name = *name, info.role = *role;
    const auto* devices = array_of(*c, "devices");
    if (!devices) return bad("devices", "not an array");
    for (const auto& d : *devices) {
      if (!d.is_int64() || d.as_int64() < 1) return bad("devices", "an item is not a positive integer");
      info.devices.push_back(d.as_int64());
    }
    out.push_back(std::move(info));
  }
  return out;
}

outcome<std::vector<device_info>> read_devices(const json::object& o) {
  std::vector<device_info> out;
  const auto* a = array_of(o, "devices");
  if (!a) return bad("devices", "not an array");
  for (const auto& item : *a) {
    const auto* d = object_of(item);
    if (!d) return bad("devices", "an item is not an object");
    auto device = int_in(*d, "device", 1, INT64_MAX);
    if (!device) return device.error();
    auto identity = get_binary(*d, "identity", crypto::identity_public::encoded_size);
    if (!identity) return identity.error();
    auto created = get_time(*d, "created_at");
    if (!created) return created.error();
    auto current = get_bool(*d, "current");
    if (!current) return current.error();
    out.push_back({*device, std::move(*identity), *created, *current});
  }
  return out;
}

outcome<send_answer> read_send(const json::object& o) {
  auto id = int_in(o, "id", 1, INT64_MAX);
  if (!id) return id.error();
  auto accepted = get_time(o, "accepted_at");
  if (!accepted) return accepted.error();
  auto deliver = get_time(o, "deliver_at");
  if (!deliver) return deliver.error();
  return send_answer{*id, *accepted, *deliver};
}

outcome<message_event> read_message_event(const json::object& o) {
  message_event e;
  auto id = int_in(o, "id", 1, INT64_MAX);
  if (!id) return id.error();
  const auto* from_value = o.if_contains("from");
  const auto* from = from_value ? object_of(*from_value) : nullptr;
  if (!from) return bad("from", "not an object");
  auto from_user = int_in(*from, "user", 1, INT64_MAX);
  if (!from_user) return from_user.error();
  auto from_device = int_in(*from, "device", 1, INT64_MAX);
  if (!from_device) return from_device.error();
  auto to = int_in(o, "to", 1, INT64_MAX);
  if (!to) return to.error();
  auto accepted = get_time(o, "accepted_at");
  if (!accepted) return accepted.error();
  auto body = get_binary(o, "body", 0, 1, 49152);
  if (!body) return body.error();
  auto commitment = get_binary(o, "commitment", 32);
  if (!commitment) return commitment.error();
  auto stamp = get_binary(o, "stamp", 0, 1, 65536);
  if (!stamp) return stamp.error();
  e.id = *id;
  e.from = {*from_user, *from_device};
  e.to = *to;
  e.accepted_at_ms = *accepted;
  e.body = std::move(*body);
  std::copy(commitment->begin(), commitment->end(), e.commitment.begin());
  e.stamp = std::move(*stamp);
  return e;
}

outcome<expired_event> read_expired_event(const json::object& o) {
  auto id = int_in(o, "id", 1, INT64_MAX);
  if (!id) return id.error();
  auto message = int_in(o, "message", 1, INT64_MAX);
  if (!message) return message.error();
  auto user = int_in(o, "user", 1, INT64_MAX);
  if (!user) return user.error();
  auto device = int_in(o, "device", 1, INT64_MAX);
  if (!device) return device.error();
  return expired_event{*id, *message, {*user, *device}};
}

}  // namespace confidant::client::codec
