#include "client/lib/ics.hpp"

#include "client/lib/codec.hpp"

namespace confidant::client::ics {

std::string fold(std::string_view line) {
  std::string out;
  std::size_t used = 0;  // octets on the current physical line
  for (std::size_t i = 0; i < line.size();) {
    // The length of the UTF-8 sequence starting at i (continuation bytes never start one); at
    // most 4 octets, so that bytes that are not UTF-8 still fold within the limit.
    std::size_t n = 1;
    while (n < 4 && i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0) == 0x80) ++n;
    if (used + n > 75) {
      out += "\r\n ";
      used = 1;
    }
    out.append(line.substr(i, n));
    used += n;
    i += n;
  }
  return out + "\r\n";
}

std::string escape_text(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

std::string utc_stamp(std::int64_t ms) {
  const auto t = codec::format_time_ms(ms);  // 2026-11-26T10:00:00.000Z
  std::string out;
  for (const char c : t.substr(0, 19))
    if (c != '-' && c != ':') out += c;
  return out + "Z";
}

std::string export_meeting(const meetings::meeting& m, std::string_view uid_domain) {
  const bool cancelled = m.state == "cancelled" || m.state == "declined";
  const std::string how = m.mode == "in_person" ? "in person" : m.mode == "online" ? "online" : "by phone";
  std::string out;
  auto line = [&](std::string_view l) { out += fold(l); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Confidant//confidant 0.1.0//EN");
  line("CALSCALE:GREGORIAN");
  line(cancelled ? "METHOD:CANCEL" : "METHOD:REQUEST");
  line("BEGIN:VEVENT");
  line("UID:confidant-meeting-" + std::to_string(m.id) + "@" + std::string{uid_domain});
  line("DTSTAMP:" + utc_stamp(m.updated_at_ms));
  line("DTSTART:" + utc_stamp(m.start_ms));
  line("DTEND:" + utc_stamp(m.end_ms));
  line("SEQUENCE:" + std::to_string(m.sequence));
  line(cancelled ? "STATUS:CANCELLED" : m.state == "accepted" ? "STATUS:CONFIRMED" : "STATUS:TENTATIVE");
  line("CLASS:PRIVATE");
  line("TRANSP:OPAQUE");
  // iTIP requires an organizer for REQUEST and CANCEL: a URN naming the proposer's user id on
  // this server (no name, no address).
  line("ORGANIZER:urn:confidant:" + std::string{uid_domain} + ":user:" + std::to_string(m.proposer));
  line("SUMMARY:" + escape_text("Confidant meeting (" + how + ")"));
  line("DESCRIPTION:" + escape_text("Open Confidant for the details of this meeting; they are end-to-end encrypted and "
                                    "not in this calendar file."));
  line("END:VEVENT");
  line("END:VCALENDAR");
  return out;
}

}  // namespace confidant::client::ics
