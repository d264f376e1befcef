// The flag requests of docs/protocol.md 7.24-7.27 on a logged-in connection.
#include "client/lib/base64url.hpp"
#include "client/lib/flags.hpp"
#include "client/lib/request.hpp"

#include <boost/json/array.hpp>

namespace confidant::client::flags {
namespace json = boost::json;

outcome<json::object> calls::ask(std::string_view type, json::object fields, std::string_view what) {
  return request_ok(conn, type, std::move(fields), what, refusal_members);
}

outcome<std::vector<spoc_key>> calls::spoc_keys() {
  auto r = ask("spoc_keys", {}, "fetching the SPOC devices' keys");
  if (!r) return r.error();
  return read_spoc_keys(*r);
}

outcome<published> calls::publish(const bytes& certificate) {
  auto r = ask("spoc_key_publish", {{"certificate", base64url_encode(certificate)}}, "publishing this device's flag key");
  if (!r) return r.error();
  auto key_id = codec::get_int(*r, "key_id");
  if (!key_id) return key_id.error();
  auto not_after = codec::get_time(*r, "not_after");
  if (!not_after) return not_after.error();
  return published{*key_id, *not_after};
}

outcome<raise_answer> calls::raise(const id16& flag_id, std::string_view category, std::string_view urgency,
                                   const std::vector<sealed_copy>& copies) {
  auto r = ask("flag_raise", raise_fields(flag_id, category, urgency, copies), "raising the flag");
  if (!r) return r.error();
  return read_raise(*r);
}

outcome<std::int64_t> calls::received(const std::vector<std::int64_t>& ids) {
  json::array list;
  for (auto id : ids) list.emplace_back(id);
  auto r = ask("flag_received", {{"flags", std::move(list)}}, "confirming received flags");
  if (!r) return r.error();
  return codec::get_int(*r, "received");
}

outcome<flag_object> calls::ack(std::int64_t flag) {
  auto r = ask("flag_ack", {{"flag", flag}}, "acknowledging flag " + std::to_string(flag));
  if (!r) return r.error();
  return read_flag(*r);
}

outcome<note_added> calls::note(std::int64_t flag, const id16& note_id, const std::vector<sealed_copy>& copies) {
  auto r = ask("flag_note", {{"flag", flag}, {"note_id", base64url_encode(note_id)}, {"copies", copies_json(copies)}},
               "adding a note to flag " + std::to_string(flag));
  if (!r) return r.error();
  auto id = codec::get_int(*r, "note");
  if (!id) return id.error();
  auto added = codec::get_time(*r, "added_at");
  if (!added) return added.error();
  return note_added{*id, *added};
}

outcome<flag_object> calls::resolve(std::int64_t flag, std::string_view outcome_name) {
  auto r = ask("flag_resolve", {{"flag", flag}, {"outcome", json::string_view{outcome_name.data(), outcome_name.size()}}},
               "resolving flag " + std::to_string(flag));
  if (!r) return r.error();
  return read_flag(*r);
}

outcome<flag_object> calls::hold(std::int64_t flag, bool on) {
  auto r = ask("flag_hold", {{"flag", flag}, {"hold", on}}, "setting the legal hold of flag " + std::to_string(flag));
  if (!r) return r.error();
  return read_flag(*r);
}

outcome<std::vector<flag_object>> calls::list(std::optional<std::string> state) {
  json::object fields;
  if (state) fields["state"] = *state;
  auto r = ask("flags", std::move(fields), "listing flags");
  if (!r) return r.error();
  return read_flags(*r);
}

outcome<shown> calls::show(std::int64_t flag) {
  auto r = ask("flag_show", {{"flag", flag}}, "reading flag " + std::to_string(flag));
  if (!r) return r.error();
  return read_shown(*r);
}

}  // namespace confidant::client::flags
