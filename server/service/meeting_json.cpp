#include "server/service/meeting_json.hpp"

#include "schema/wire/envelope.hpp"
#include "server/service/handler_support.hpp"

#include <boost/json/array.hpp>

namespace confidant::service {

boost::json::object meeting_json(const store::meeting_row& row, std::span<const unsigned char> details) {
  const auto& m = row.m;
  boost::json::object o;
  o["id"] = m.id;
  if (m.pairing != 0) o["pairing"] = m.pairing;
  if (row.cycle != 0) o["cycle"] = row.cycle;
  o["participants"] = boost::json::array{m.associate, m.counterpart};
  o["proposer"] = row.proposer;
  o["start"] = rules::format_utc(m.when.start);
  o["end"] = rules::format_utc(m.when.end);
  o["mode"] = rules::name(m.mode);
  o["kind"] = rules::name(m.kind);
  o["state"] = rules::name(m.state);
  if (!row.cancel_reason.empty()) o["cancel_reason"] = row.cancel_reason;
  o["sequence"] = row.sequence;
  o["created_at"] = time_text(row.created_at_ms);
  o["updated_at"] = time_text(row.updated_at_ms);
  o["changed_by"] = row.changed_by;
  if (!details.empty()) o["details"] = b64(details);
  return o;
}

std::string meeting_event(const store::meeting_row& row, std::span<const unsigned char> details,
                          std::string_view change, std::int64_t by) {
  boost::json::object o;
  o["change"] = change;
  o["by"] = by;
  o["meeting"] = meeting_json(row, details);
  return wire::make_event("meeting", std::move(o));
}

boost::json::object cycle_json(std::int64_t pairing, const rules::cycle_status& c) {
  boost::json::object o;
  o["pairing"] = pairing;
  o["starts_on"] = rules::format_civil_date(c.starts_on);
  o["ends_on"] = rules::format_civil_date(c.ends_on);
  o["meetings_used"] = c.used;
  o["cap"] = c.cap;
  o["review_due"] = c.review_due;
  return o;
}

boost::json::object term_json(const rules::term_ref& t) {
  boost::json::object o;
  o["year"] = t.year;
  o["name"] = t.term;
  o["starts_on"] = rules::format_civil_date(t.dates.first);
  o["ends_on"] = rules::format_civil_date(t.dates.last);
  return o;
}

boost::json::object term_status_json(std::int64_t pairing, const rules::term_status& t) {
  auto o = term_json(t.term);
  o["pairing"] = pairing;
  o["meetings_used"] = t.used;
  o["cap"] = t.cap;
  return o;
}

}  // namespace confidant::service
