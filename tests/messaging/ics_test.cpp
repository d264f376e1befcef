// ICS export of a meeting (client/lib/ics): RFC 5545 structure, CRLF, 75-octet folding that keeps
// UTF-8 characters whole, TEXT escaping, METHOD/STATUS by state, stable UID, SEQUENCE, and no
// confidential detail.
#include "client/lib/ics.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace confidant::client::ics {
namespace {

meetings::meeting sample() {
  meetings::meeting m;
  m.id = 12;
  m.pairing = 3;
  m.participants = {5, 3};
  m.proposer = 3;
  m.start_ms = 1795687200000;  // 2026-11-26T10:00:00.000Z
  m.end_ms = 1795690800000;    // 11:00
  m.mode = "in_person";
  m.kind = "support";
  m.state = "proposed";
  m.sequence = 0;
  m.created_at_ms = m.updated_at_ms = 1795000000000;  // 2026-11-18T11:06:40Z
  m.details = {1, 2, 3};
  return m;
}

std::vector<std::string> lines(const std::string& ics) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < ics.size()) {
    const auto crlf = ics.find("\r\n", at);
    EXPECT_NE(crlf, std::string::npos) << "every line ends with CRLF";
    if (crlf == std::string::npos) break;
    out.push_back(ics.substr(at, crlf - at));
    at = crlf + 2;
  }
  return out;
}

TEST(Ics, AProposedMeetingIsATentativeRequest) {
  const auto ics = export_meeting(sample(), "a1b2c3d4e5f60718");
  const auto l = lines(ics);
  ASSERT_GE(l.size(), 10u);
  EXPECT_EQ(l.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(l.back(), "END:VCALENDAR");
  for (const char* want : {"VERSION:2.0", "METHOD:REQUEST", "BEGIN:VEVENT", "UID:confidant-meeting-12@a1b2c3d4e5f60718",
                           "DTSTAMP:20261118T110640Z", "DTSTART:20261126T100000Z", "DTEND:20261126T110000Z",
                           "SEQUENCE:0", "STATUS:TENTATIVE", "CLASS:PRIVATE", "SUMMARY:Confidant meeting (in person)",
                           "END:VEVENT"}) {
    EXPECT_NE(std::find(l.begin(), l.end(), want), l.end()) << want << "\n" << ics;
  }
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      EXPECT_EQ(ics[i - 1], '\r') << "no bare LF";
    }
  }
  for (const auto& line : l) EXPECT_LE(line.size(), 75u) << line;
  // Nothing about the kind of support, the people or the details.
  for (const char* secret : {"support", "Hana", "Asha", "AQID"}) EXPECT_EQ(ics.find(secret), std::string::npos) << secret;
}

TEST(Ics, ChangesKeepTheUidAndRaiseTheSequence) {
  auto m = sample();
  const auto first = export_meeting(m, "x");
  m.state = "accepted";
  m.sequence = 1;
  const auto accepted = export_meeting(m, "x");
  EXPECT_NE(accepted.find("STATUS:CONFIRMED"), std::string::npos);
  EXPECT_NE(accepted.find("SEQUENCE:1\r\n"), std::string::npos);
  EXPECT_NE(accepted.find("UID:confidant-meeting-12@x\r\n"), std::string::npos);
  EXPECT_NE(first.find("UID:confidant-meeting-12@x\r\n"), std::string::npos);
  m.state = "cancelled";
  m.sequence = 2;
  const auto cancelled = export_meeting(m, "x");
  EXPECT_NE(cancelled.find("METHOD:CANCEL\r\n"), std::string::npos);
  EXPECT_NE(cancelled.find("STATUS:CANCELLED\r\n"), std::string::npos);
  EXPECT_NE(cancelled.find("SEQUENCE:2\r\n"), std::string::npos);
  m.state = "declined";
  EXPECT_NE(export_meeting(m, "x").find("METHOD:CANCEL\r\n"), std::string::npos);
  m.mode = "phone";
  EXPECT_NE(export_meeting(m, "x").find("SUMMARY:Confidant meeting (by phone)"), std::string::npos);
}

TEST(Ics, LongLinesFoldAt75OctetsAndKeepCharactersWhole) {
  const std::string ascii(200, 'a');
  const auto folded = fold("DESCRIPTION:" + ascii);
  const auto l = lines(folded);
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].size(), 75u);
  EXPECT_EQ(l[1].front(), ' ');
  EXPECT_EQ(l[1].size(), 75u);
  std::string unfolded;
  for (std::size_t i = 0; i < l.size(); ++i) unfolded += i == 0 ? l[i] : l[i].substr(1);
  EXPECT_EQ(unfolded, "DESCRIPTION:" + ascii);

  // "é" is two octets: a fold never falls between them.
  std::string accents;
  for (int i = 0; i < 60; ++i) accents += "\xC3\xA9";
  for (const auto& line : lines(fold("SUMMARY:" + accents))) {
    EXPECT_LE(line.size(), 75u);
    const auto first = static_cast<unsigned char>(line[line.front() == ' ' ? 1 : 0]);
    EXPECT_NE(first & 0xC0, 0x80) << "a continuation byte starts a line";
  }
  EXPECT_EQ(fold("short"), "short\r\n");

  // Bytes that are not UTF-8 (a lead byte and 100 continuation bytes, found by fuzz.ics) still
  // fold within 75 octets.
  for (const auto& line : lines(fold("X:\xC3" + std::string(100, '\x80')))) EXPECT_LE(line.size(), 75u);
}

TEST(Ics, TextIsEscaped) {
  EXPECT_EQ(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
  EXPECT_EQ(utc_stamp(0), "19700101T000000Z");
}

}  // namespace
}  // namespace confidant::client::ics
