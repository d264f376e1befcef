#include "server/rules/policy.hpp"

#include <array>

namespace confidant::rules {
namespace {
constexpr std::array<std::string_view, 2> names{"la-peer-support", "pastoral-associates"};
}

std::span<const std::string_view> preset_names() noexcept { return names; }

std::optional<policy> preset(std::string_view name) {
  policy p;
  p.preset = std::string{name};
  if (name == "la-peer-support") {
    // Seed 003: an initial meeting of up to an hour; at most 6 in-person meetings over no more
    // than 6 months; then a review.
    p.initial_meeting_max = std::chrono::minutes{60};
    p.max_in_person_meetings = 6;
    p.cycle_months = 6;
    return p;
  }
  if (name == "pastoral-associates") {
    // Seed 000: meet once or twice termly, as the school leader requires; ongoing.
    p.min_meetings_per_term = 1;
    p.max_meetings_per_term = 2;
    return p;
  }
  return std::nullopt;
}

}  // namespace confidant::rules
