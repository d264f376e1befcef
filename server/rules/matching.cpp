#include "server/rules/matching.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace confidant::rules {
namespace {

constexpr std::array inspections{inspection::outstanding, inspection::good, inspection::requires_improvement,
                                 inspection::inadequate};

// School and federation names compare without case or surrounding spaces: "St Mary's CE
// Primary" and "st mary's ce primary " are one school.
std::string folded(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out;
  out.reserve(s.size());
  for (const char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool same(std::string_view a, std::string_view b) { return !a.empty() && !b.empty() && folded(a) == folded(b); }

bool listed(const std::vector<std::string>& list, std::string_view v) {
  return std::ranges::any_of(list, [&](const auto& x) { return same(x, v); });
}

bool matches(const associate_profile& a, const offer_filter& f) {
  if (f.region && !same(a.region, *f.region)) return false;
  if (f.size_band && !same(a.size_band, *f.size_band)) return false;
  if (f.phase && !same(a.phase, *f.phase)) return false;
  if (f.school_type && !listed(a.school_types, *f.school_type)) return false;
  if (f.skill && !listed(a.skills, *f.skill)) return false;
  return true;
}

}  // namespace

bool excluded(const associate_profile& a, const headteacher_school& h) {
  // Each of the associate's own school and federation against each of the headteacher's.
  for (const auto& own : {a.school, a.federation})
    if (same(own, h.school) || same(own, h.federation)) return true;
  return listed(a.conflicts, h.school) || (!h.federation.empty() && listed(a.conflicts, h.federation));
}

std::string_view name(inspection i) noexcept {
  switch (i) {
    case inspection::outstanding: return "outstanding";
    case inspection::good: return "good";
    case inspection::requires_improvement: return "requires_improvement";
    case inspection::inadequate: return "inadequate";
  }
  return "inadequate";
}

std::optional<inspection> parse_inspection(std::string_view s) noexcept {
  for (auto i : inspections)
    if (name(i) == s) return i;
  return std::nullopt;
}

std::vector<unmet_criterion> unmet_criteria(const eligibility_evidence& e) {
  std::vector<unmet_criterion> out;
  if (e.years_as_headteacher < min_years_as_headteacher)
    out.push_back({"years_as_headteacher", "at least " + std::to_string(min_years_as_headteacher) +
                                               " years as a headteacher (" + std::to_string(e.years_as_headteacher) +
                                               " recorded)"});
  if (e.last_inspection != inspection::outstanding && e.last_inspection != inspection::good)
    out.push_back({"last_inspection", "current school judged good or better at its last inspection (" +
                                          std::string{name(e.last_inspection)} + " recorded)"});
  if (!e.training_completed) out.push_back({"training_completed", "the associates' training completed"});
  if (!e.coaching_record) out.push_back({"coaching_record", "a record of coaching or mentoring"});
  return out;
}

bool has_free_place(const associate_profile& a) noexcept { return a.approved && a.load < a.capacity; }

std::vector<associate_profile> offers(const std::vector<associate_profile>& all, const headteacher_school& head,
                                      const offer_filter& f, std::string_view head_region) {
  std::vector<associate_profile> out;
  for (const auto& a : all)
    if (has_free_place(a) && !excluded(a, head) && matches(a, f)) out.push_back(a);
  std::ranges::stable_sort(out, [&](const associate_profile& x, const associate_profile& y) {
    const bool xr = same(x.region, head_region);
    const bool yr = same(y.region, head_region);
    if (xr != yr) return xr;
    if (x.capacity - x.load != y.capacity - y.load) return x.capacity - x.load > y.capacity - y.load;
    return x.user < y.user;
  });
  return out;
}

}  // namespace confidant::rules
