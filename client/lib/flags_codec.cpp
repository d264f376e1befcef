// Reading the flag answers and events of docs/protocol.md 7.23-7.28, and building `copies`.
#include "client/lib/base64url.hpp"
#include "client/lib/flags.hpp"

#include <boost/json/array.hpp>

namespace confidant::client::flags {
namespace json = boost::json;
using codec::get_binary;
using codec::get_bool;
using codec::get_int;
using codec::get_string;
using codec::get_time;

namespace {

constexpr std::size_t max_sealed = 32768;

failure bad(std::string_view what) {
  return make_failure(errc::bad_answer, "the server's answer is malformed: " + std::string{what});
}

bool has(const json::object& o, std::string_view key) { return o.contains(json::string_view{key.data(), key.size()}); }

outcome<codec::device_ref> read_ref(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(json::string_view{key.data(), key.size()});
  if (!v || !v->is_object()) return bad("`" + std::string{key} + "` must be {user, device}");
  auto user = get_int(v->as_object(), "user");
  auto device = get_int(v->as_object(), "device");
  if (!user || !device || *user <= 0 || *device <= 0) return bad("`" + std::string{key} + "` must be {user, device}");
  return codec::device_ref{*user, *device};
}

const json::array* array_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(json::string_view{key.data(), key.size()});
  return v ? v->if_array() : nullptr;
}

}  // namespace

outcome<flag_object> read_flag(const json::object& o) {
  flag_object f;
  auto id = get_int(o, "flag");
  auto category = get_string(o, "category");
  auto urgency = get_string(o, "urgency");
  auto state = get_string(o, "state");
  auto raised = get_time(o, "raised_at");
  auto deadline = get_time(o, "deadline_at");
  if (!id) return id.error();
  if (*id <= 0) return bad("`flag` must be positive");
  for (const auto* s : {&category, &urgency, &state})
    if (!*s) return s->error();
  if (!raised) return raised.error();
  if (!deadline) return deadline.error();
  f.id = *id;
  f.category = *category;
  f.urgency = *urgency;
  f.state = *state;
  f.raised_at_ms = *raised;
  f.deadline_at_ms = *deadline;
  for (auto [key, slot] : {std::pair{"acknowledged_at", &f.acknowledged_at_ms}, std::pair{"resolved_at", &f.resolved_at_ms}}) {
    if (!has(o, key)) continue;
    auto t = get_time(o, key);
    if (!t) return t.error();
    *slot = *t;
  }
  if (has(o, "raised_by")) {
    auto by = read_ref(o, "raised_by");
    if (!by) return by.error();
    f.raised_by = *by;
  }
  for (auto [key, slot] : {std::pair{"acknowledged_by", &f.acknowledged_by}, std::pair{"resolved_by", &f.resolved_by}}) {
    if (!has(o, key)) continue;
    auto v = get_int(o, key);
    if (!v) return v.error();
    *slot = *v;
  }
  if (has(o, "outcome")) {
    auto v = get_string(o, "outcome");
    if (!v) return v.error();
    f.outcome = *v;
  }
  if (has(o, "escalations")) {
    auto v = get_int(o, "escalations");
    if (!v) return v.error();
    f.escalations = *v;
  }
  if (has(o, "legal_hold")) {
    auto v = get_bool(o, "legal_hold");
    if (!v) return v.error();
    f.legal_hold = *v;
  }
  return f;
}

outcome<std::vector<spoc_key>> read_spoc_keys(const json::object& o) {
  const auto* list = array_at(o, "keys");
  if (!list) return bad("`keys` must be an array");
  std::vector<spoc_key> out;
  for (const auto& v : *list) {
    if (!v.is_object()) return bad("`keys` must hold objects");
    const auto& k = v.as_object();
    spoc_key s;
    auto user = get_int(k, "user");
    auto device = get_int(k, "device");
    auto deputy = get_bool(k, "deputy");
    auto identity = get_binary(k, "identity", 128);
    auto key_id = get_int(k, "key_id");
    auto cert = get_binary(k, "certificate", 149);
    if (!user) return user.error();
    if (!device) return device.error();
    if (!deputy) return deputy.error();
    if (!identity) return identity.error();
    if (!key_id) return key_id.error();
    if (!cert) return cert.error();
    if (*key_id < 0 || *key_id > 0xFFFFFFFFLL) return bad("`key_id` out of range");
    out.push_back({*user, *device, *deputy, std::move(*identity), *key_id, std::move(*cert)});
  }
  return out;
}

outcome<raise_answer> read_raise(const json::object& o) {
  auto f = read_flag(o);
  if (!f) return f.error();
  auto ooh = get_bool(o, "out_of_hours");
  if (!ooh) return ooh.error();
  auto route = get_string(o, "emergency_route");
  if (!route) return route.error();
  return raise_answer{std::move(*f), *ooh, *route};
}

outcome<std::vector<flag_object>> read_flags(const json::object& o) {
  const auto* list = array_at(o, "flags");
  if (!list) return bad("`flags` must be an array");
  std::vector<flag_object> out;
  for (const auto& v : *list) {
    if (!v.is_object()) return bad("`flags` must hold objects");
    auto f = read_flag(v.as_object());
    if (!f) return f.error();
    out.push_back(std::move(*f));
  }
  return out;
}

namespace {

outcome<note_copy> read_note(const json::object& o, std::int64_t flag) {
  note_copy n;
  n.flag = flag;
  auto id = get_int(o, "note");
  auto author = read_ref(o, "author");
  auto added = get_time(o, "added_at");
  auto key_id = get_int(o, "key_id");
  auto sealed = get_binary(o, "sealed", 0, 1, max_sealed);
  if (!id) return id.error();
  if (!author) return author.error();
  if (!added) return added.error();
  if (!key_id) return key_id.error();
  if (!sealed) return sealed.error();
  n.note = *id;
  n.author = *author;
  n.added_at_ms = *added;
  n.key_id = *key_id;
  n.sealed = std::move(*sealed);
  return n;
}

}  // namespace

outcome<shown> read_shown(const json::object& o) {
  auto f = read_flag(o);
  if (!f) return f.error();
  shown s;
  s.flag = std::move(*f);
  if (const auto* c = o.if_contains("copy")) {
    if (!c->is_object()) return bad("`copy` must be {key_id, sealed}");
    auto key_id = get_int(c->as_object(), "key_id");
    auto sealed = get_binary(c->as_object(), "sealed", 0, 1, max_sealed);
    if (!key_id) return key_id.error();
    if (!sealed) return sealed.error();
    s.key_id = *key_id;
    s.sealed = std::move(*sealed);
  }
  const auto* notes = array_at(o, "notes");
  const auto* history = array_at(o, "history");
  if (!notes || !history) return bad("`notes` and `history` must be arrays");
  for (const auto& v : *notes) {
    if (!v.is_object()) return bad("`notes` must hold objects");
    auto n = read_note(v.as_object(), s.flag.id);
    if (!n) return n.error();
    s.notes.push_back(std::move(*n));
  }
  for (const auto& v : *history) {
    if (!v.is_object()) return bad("`history` must hold objects");
    auto item = codec::read_history_item(v.as_object());
    if (!item) return item.error();
    s.history.push_back(std::move(*item));
  }
  return s;
}

outcome<flag_event> read_flag_event(const json::object& o) {
  auto f = read_flag(o);
  if (!f) return f.error();
  flag_event e;
  e.flag = std::move(*f);
  if (has(o, "key_id") || has(o, "sealed")) {
    auto key_id = get_int(o, "key_id");
    auto sealed = get_binary(o, "sealed", 0, 1, max_sealed);
    if (!key_id) return key_id.error();
    if (!sealed) return sealed.error();
    e.key_id = *key_id;
    e.sealed = std::move(*sealed);
  }
  auto alert = get_bool(o, "alert");
  if (!alert) return alert.error();
  e.alert = *alert;
  return e;
}

outcome<alert_event> read_alert_event(const json::object& o) {
  auto id = get_int(o, "flag");
  auto category = get_string(o, "category");
  auto urgency = get_string(o, "urgency");
  auto deadline = get_time(o, "deadline_at");
  auto escalations = get_int(o, "escalations");
  if (!id) return id.error();
  if (!category) return category.error();
  if (!urgency) return urgency.error();
  if (!deadline) return deadline.error();
  if (!escalations) return escalations.error();
  return alert_event{*id, *category, *urgency, *deadline, *escalations};
}

outcome<note_copy> read_note_event(const json::object& o) {
  auto id = get_int(o, "flag");
  if (!id) return id.error();
  return read_note(o, *id);
}

outcome<state_event> read_state_event(const json::object& o) {
  auto id = get_int(o, "flag");
  auto state = get_string(o, "state");
  auto at = get_time(o, "at");
  if (!id) return id.error();
  if (!state) return state.error();
  if (!at) return at.error();
  return state_event{*id, *state, *at};
}

json::array copies_json(const std::vector<sealed_copy>& copies) {
  json::array out;
  for (const auto& c : copies)
    out.push_back({{"user", c.user}, {"device", c.device}, {"key_id", c.key_id}, {"sealed", base64url_encode(c.sealed)}});
  return out;
}

json::object raise_fields(const id16& flag_id, std::string_view category, std::string_view urgency,
                          const std::vector<sealed_copy>& copies) {
  return {{"flag_id", base64url_encode(flag_id)},
          {"category", json::string_view{category.data(), category.size()}},
          {"urgency", json::string_view{urgency.data(), urgency.size()}},
          {"copies", copies_json(copies)}};
}

}  // namespace confidant::client::flags
