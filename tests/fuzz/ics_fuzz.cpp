// The ICS export (client/lib/ics) of a meeting as a server described it: every field the server
// controls (times, counters, ids, mode and state) comes from the input. Checks what RFC 5545 and
// the file's promise need: CRLF line ends and nothing else that ends a line, physical lines of at
// most 75 octets, continuation lines starting with one space and unfolding back to the logical
// line, the fixed set of properties (none injected), and escaped text without a line break.
#include "client/lib/ics.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

// Splits a folded iCalendar text into logical lines, checking the physical ones.
std::vector<std::string> unfold(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto end = text.find("\r\n");
    require(end != std::string_view::npos);
    const auto physical = text.substr(0, end);
    require(physical.size() <= 75);
    require(physical.find('\r') == std::string_view::npos && physical.find('\n') == std::string_view::npos);
    if (!physical.empty() && physical[0] == ' ') {
      require(!lines.empty());
      lines.back() += physical.substr(1);
    } else {
      lines.emplace_back(physical);
    }
    text.remove_prefix(end + 2);
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in{data, size};
  confidant::client::meetings::meeting m;
  m.id = in.ConsumeIntegral<std::int64_t>();
  m.proposer = in.ConsumeIntegral<std::int64_t>();
  m.start_ms = in.ConsumeIntegral<std::int64_t>();
  m.end_ms = in.ConsumeIntegral<std::int64_t>();
  m.updated_at_ms = in.ConsumeIntegral<std::int64_t>();
  m.sequence = in.ConsumeIntegral<std::int64_t>();
  m.mode = in.ConsumeRandomLengthString(16);
  m.state = in.ConsumeRandomLengthString(16);
  const auto text = in.ConsumeRemainingBytesAsString();

  const auto ics = confidant::client::ics::export_meeting(m, "0123456789abcdef");
  const auto lines = unfold(ics);
  require(lines.size() == 19);
  require(lines.front() == "BEGIN:VCALENDAR" && lines.back() == "END:VCALENDAR");
  for (const auto& l : lines) require(l.find(':') != std::string::npos);

  // fold and escape_text on any bytes: folding loses nothing, escaping leaves no line break.
  std::string one_line = "X-TEXT:";  // fold() takes a logical line: a name, no CR or LF
  for (const char c : text)
    if (c != '\r' && c != '\n') one_line += c;
  const auto back = unfold(confidant::client::ics::fold(one_line));
  require(back.size() == 1 && back[0] == one_line);
  const auto escaped = confidant::client::ics::escape_text(text);
  require(escaped.find('\r') == std::string::npos && escaped.find('\n') == std::string::npos);
  return 0;
}
