#include "server/service/profiles.hpp"

#include "server/service/handler_support.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <array>
#include <set>

namespace confidant::service {
namespace {

constexpr std::array size_band_names{std::string_view{"small"}, std::string_view{"medium"}, std::string_view{"large"}};
constexpr std::array phase_names{std::string_view{"nursery"}, std::string_view{"primary"}, std::string_view{"secondary"},
                                 std::string_view{"special"}, std::string_view{"all_through"}};

bool all_plain(const std::vector<std::string>& list) { return std::ranges::all_of(list, plain_text); }
bool distinct(const std::vector<std::string>& list) { return std::set(list.begin(), list.end()).size() == list.size(); }

// An optional list of distinct plain strings, empty when absent.
std::vector<std::string> read_list(wire::field_reader& in, std::string_view key, std::size_t max_items,
                                   std::size_t max_length) {
  auto list = in.strings(key, {.min_items = 0, .max_items = max_items, .max_length = max_length, .required = false});
  if (list && (!all_plain(*list) || !distinct(*list)))
    in.reject(wire::errc::invalid_field, "field `" + std::string{key} + "` must hold distinct strings without control characters");
  return list.value_or(std::vector<std::string>{});
}

boost::json::array json_list(const std::vector<std::string>& list) {
  boost::json::array out;
  for (const auto& s : list) out.emplace_back(s);
  return out;
}

std::vector<std::string> list_of(const boost::json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = o.if_contains(key); a && a->is_array())
    for (const auto& v : a->get_array())
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->get_string()} : std::string{};
}

// The members a headteacher may see.
void published(boost::json::object& o, const profile& p) {
  o["region"] = p.region;
  o["size_band"] = p.size_band;
  o["school_types"] = json_list(p.school_types);
  o["phase"] = p.phase;
  o["summary"] = p.summary;
  o["skills"] = json_list(p.skills);
  o["availability"] = p.availability;
}

}  // namespace

bool valid_size_band(std::string_view s) noexcept { return std::ranges::find(size_band_names, s) != size_band_names.end(); }
bool valid_phase(std::string_view s) noexcept { return std::ranges::find(phase_names, s) != phase_names.end(); }

std::string read_plain(wire::field_reader& in, std::string_view key, std::size_t min, std::size_t max, bool required) {
  auto text = in.text(key, {.min_length = min, .max_length = max, .required = required});
  if (text && !plain_text(*text))
    in.reject(wire::errc::invalid_field, "field `" + std::string{key} + "` must not contain control characters");
  return text.value_or(std::string{});
}

bool plain_text(std::string_view s) noexcept {
  return std::ranges::none_of(s, [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

std::optional<profile> read_profile(wire::field_reader& in) {
  profile p;
  p.region = read_plain(in, "region", 1, 64, true);
  p.size_band = read_plain(in, "size_band", 1, 16, true);
  p.school_types = read_list(in, "school_types", 8, 32);
  p.phase = read_plain(in, "phase", 1, 16, true);
  p.summary = read_plain(in, "summary", 0, 1000, false);
  p.skills = read_list(in, "skills", 16, 64);
  p.capacity = in.integer("capacity", {.min = 1, .max = 10}).value_or(0);
  p.availability = read_plain(in, "availability", 0, 500, false);
  p.school = read_plain(in, "school", 1, 120, true);
  p.federation = read_plain(in, "federation", 0, 120, false);
  p.conflicts = read_list(in, "conflicts", 16, 120);
  if (in.ok() && !valid_size_band(p.size_band))
    in.reject(wire::errc::invalid_field, "field `size_band` must be one of " + std::string{size_bands});
  if (in.ok() && !valid_phase(p.phase))
    in.reject(wire::errc::invalid_field, "field `phase` must be one of " + std::string{phases});
  if (!in.ok()) return std::nullopt;
  return p;
}

boost::json::object to_json(const profile& p) {
  boost::json::object o;
  published(o, p);
  o["capacity"] = p.capacity;
  o["school"] = p.school;
  o["federation"] = p.federation;
  o["conflicts"] = json_list(p.conflicts);
  return o;
}

std::optional<profile> stored_profile(std::string_view json) {
  if (json.empty()) return std::nullopt;
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  profile p;
  p.region = text_of(o, "region");
  p.size_band = text_of(o, "size_band");
  p.phase = text_of(o, "phase");
  p.summary = text_of(o, "summary");
  p.availability = text_of(o, "availability");
  p.school = text_of(o, "school");
  p.federation = text_of(o, "federation");
  p.school_types = list_of(o, "school_types");
  p.skills = list_of(o, "skills");
  p.conflicts = list_of(o, "conflicts");
  if (const auto* c = o.if_contains("capacity"); c && c->is_int64()) p.capacity = c->get_int64();
  return p;
}

rules::associate_profile matching_profile(const store::associate_row& a) {
  rules::associate_profile r;
  r.user = a.user;
  r.capacity = static_cast<int>(a.capacity);
  r.load = static_cast<int>(a.load);
  r.approved = a.status == "approved";
  if (auto p = stored_profile(a.profile)) {
    r.region = p->region;
    r.size_band = p->size_band;
    r.school_types = p->school_types;
    r.phase = p->phase;
    r.skills = p->skills;
    r.school = p->school;
    r.federation = p->federation;
    r.conflicts = p->conflicts;
  }
  return r;
}

boost::json::object associate_json(const store::associate_row& a, rules::role viewer) {
  boost::json::object o;
  o["user"] = a.user;
  o["display_name"] = a.display_name;
  o["status"] = a.status;
  if (auto p = stored_profile(a.profile)) o["profile"] = to_json(*p);
  o["load"] = a.load;
  if (a.evidence) {
    boost::json::object e;
    e["years_as_headteacher"] = a.evidence->years;
    e["last_inspection"] = a.evidence->inspection;
    e["training_completed"] = a.evidence->training;
    e["coaching_record"] = a.evidence->coaching;
    e["recorded_by"] = a.evidence->recorded_by;
    e["recorded_at"] = time_text(a.evidence->recorded_at_ms);
    o["evidence"] = std::move(e);
  }
  if (viewer == rules::role::coordinator && !a.suspended_reason.empty()) o["suspended_reason"] = a.suspended_reason;
  return o;
}

boost::json::object offer_json(const store::associate_row& a) {
  boost::json::object o;
  o["user"] = a.user;
  o["display_name"] = a.display_name;
  published(o, stored_profile(a.profile).value_or(profile{}));
  o["free_places"] = std::max<std::int64_t>(0, a.capacity - a.load);
  return o;
}

}  // namespace confidant::service
