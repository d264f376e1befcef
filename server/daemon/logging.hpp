#pragma once

#include <string_view>

namespace confidant::daemon {

// Structured one-line logs on stderr: `2026-11-23T14:05:09.123Z info event=listening addr=...`.
// Log lines carry events, codes and counts only: never message text, keys or tokens.
void setup_logging(std::string_view level);

}  // namespace confidant::daemon
