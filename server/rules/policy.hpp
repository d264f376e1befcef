#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace confidant::rules {

// A tenant's programme policy (DESIGN.md section 2): numbers are data, never code. Two presets
// come from the source documents; a tenant's config picks one.
struct policy {
  std::string preset;
  // Contact window inside each contact day, local time (Europe/London).
  std::chrono::minutes contact_start{8 * 60};
  std::chrono::minutes contact_end{18 * 60};
  // What happens to a message sent outside the recipient's window.
  enum class outside_window { hold, reject } outside = outside_window::hold;
  // Cycle limits (seed 003); nullopt where the preset has none (seed 000 is ongoing).
  std::optional<std::chrono::minutes> initial_meeting_max{};
  std::optional<int> max_in_person_meetings{};
  std::optional<int> cycle_months{};
  // Meetings per term (seed 000: once or twice termly).
  std::optional<int> min_meetings_per_term{};
  std::optional<int> max_meetings_per_term{};
  // The least free time between two meetings of one person (an associate is never
  // double-booked; 0: back to back is fine).
  std::chrono::minutes meeting_buffer{0};
  // A reminder goes to each participant this long before an accepted meeting, or at the first
  // open instant of their window after that.
  std::chrono::minutes meeting_reminder_lead{24 * 60};
  // SPOC acknowledgement deadline on the LA working-day calendar.
  std::chrono::minutes spoc_ack_deadline{120};
  // After a missed deadline, the alert repeats every this much LA working time.
  std::chrono::minutes spoc_escalation_interval{60};
};

// "la-peer-support" (seed 003) and "pastoral-associates" (seed 000).
[[nodiscard]] std::span<const std::string_view> preset_names() noexcept;
[[nodiscard]] std::optional<policy> preset(std::string_view name);

}  // namespace confidant::rules
