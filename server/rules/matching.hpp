#pragma once

// Who may support whom (seed 003, DESIGN.md 1, issue 6): an associate's eligibility, and the
// profiles a headteacher is offered. Pure: the service loads profiles and asks.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::rules {

// Ofsted's four overall judgements, best first.
enum class inspection { outstanding, good, requires_improvement, inadequate };
[[nodiscard]] std::optional<inspection> parse_inspection(std::string_view s) noexcept;
[[nodiscard]] std::string_view name(inspection i) noexcept;

// What the coordinator records about an associate (seed 003).
struct eligibility_evidence {
  int years_as_headteacher = 0;
  inspection last_inspection = inspection::inadequate;
  bool training_completed = false;
  bool coaching_record = false;
};

inline constexpr int min_years_as_headteacher = 5;

// A criterion not met: its name (the evidence field, docs/protocol.md 7.31) and a sentence.
struct unmet_criterion {
  std::string_view criterion;
  std::string sentence;
};

// The criteria not met, in the order above; empty when the associate may be approved.
[[nodiscard]] std::vector<unmet_criterion> unmet_criteria(const eligibility_evidence& e);

struct associate_profile {
  std::int64_t user = 0;
  std::string region;
  std::string size_band;                  // small, medium, large
  std::vector<std::string> school_types;  // federation, rural, church, academy, ...
  std::string phase;                      // primary, secondary, special, all_through, nursery
  std::vector<std::string> skills;
  std::string school;                     // their own school, for conflicts
  std::string federation;                 // empty when none
  std::vector<std::string> conflicts;     // schools they must not support
  int capacity = 1;                       // concurrent partnerships
  int load = 0;                           // open partnerships now
  bool approved = false;
};

struct headteacher_school {
  std::string school;
  std::string federation;  // empty when none
};

struct offer_filter {
  std::optional<std::string> region, size_band, school_type, phase, skill;
};

// The profiles offered: approved, with free capacity, not from the headteacher's own school or
// federation, not declaring a conflict with that school, and matching every filter. Ordered:
// matching region first, then more free places, then by user id (stable for a client).
[[nodiscard]] std::vector<associate_profile> offers(const std::vector<associate_profile>& all,
                                                    const headteacher_school& head, const offer_filter& f,
                                                    std::string_view head_region);

// Whether the associate may never support this school: their own school or federation is the
// headteacher's, or they declared a conflict with the school or its federation.
[[nodiscard]] bool excluded(const associate_profile& a, const headteacher_school& h);

// Whether a pairing may take one more place of this associate (checked again in the writer).
[[nodiscard]] bool has_free_place(const associate_profile& a) noexcept;

}  // namespace confidant::rules
