// Raising a flag (docs/protocol.md 7.25): quotes from the local history, the body stored before
// the first attempt, one sealed copy per SPOC device, resealed and resent with the same flag_id
// on spoc_keys_changed, and resent at the next login when the connection was lost.
#include "client/lib/flag_body.hpp"
#include "client/lib/flag_desk_impl.hpp"
#include "client/lib/payload.hpp"
#include "client/lib/quote_check.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>
#include <thread>

namespace confidant::client {
namespace {

constexpr int max_attempts = 5;
constexpr std::int64_t max_rate_wait_ms = 5000;
constexpr std::size_t envelope_overhead = 256;  // type, rid and JSON punctuation around the fields

// Refusals no resend can fix: the flag is marked failed.
bool permanent(const failure& f) {
  if (f.code == errc::identity_changed || f.code == errc::invalid_request) return true;
  if (f.code != errc::error_answer) return false;
  static const std::set<std::string, std::less<>> codes{"forbidden", "no_spoc", "invalid_field", "missing_field",
                                                        "unknown_field", "unknown_type"};
  return codes.contains(f.server_code);
}

outcome<std::vector<std::uint8_t>> quote_of(messenger& m, std::int64_t local_id) {
  auto found = m.store().incoming_since(local_id - 1);
  if (!found) return desk::stored(found.error(), "reading the message to quote");
  const auto it = std::find_if(found->begin(), found->end(), [&](const auto& e) { return e.local_id == local_id; });
  const auto name = "message " + std::to_string(local_id);
  if (it == found->end())
    return make_failure(errc::invalid_request, "cannot quote " + name + ": no received message has that local id");
  if (it->state != "delivered")
    return make_failure(errc::invalid_request, "cannot quote " + name + ": it was not received intact");
  // The exact bytes the sender committed to; older entries (before they were kept) are rebuilt.
  auto message = it->payload;
  if (message.empty()) {
    auto rebuilt = encode_payload(text_payload{it->text});
    if (!rebuilt) return rebuilt.error();
    message = std::move(*rebuilt);
  }
  auto q = quote_check::make(it->context, message, it->franking_key, it->stamp);
  crypto::wipe(message);
  if (!q) return make_failure(errc::invalid_request, q.error().detail + " (" + name + ")");
  return q;
}

void record_answer(raised_flag& rec, const flags::raise_answer& a) {
  rec.server_id = a.flag.id;
  rec.state = a.flag.state;
  rec.raised_at_ms = a.flag.raised_at_ms;
  rec.deadline_at_ms = a.flag.deadline_at_ms;
  rec.acknowledged_at_ms = a.flag.acknowledged_at_ms;
  rec.resolved_at_ms = a.flag.resolved_at_ms;
  rec.out_of_hours = a.out_of_hours;
  rec.emergency_route = a.emergency_route;
  rec.problem.clear();
}

}  // namespace

namespace desk {

outcome<raise_result> send_raise(messenger& m, raised_flag& rec) {
  auto c = calls(m);
  if (!c) return c.error();
  std::optional<failure> last;
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    auto copies = seal_to_spocs(m, *c, rec.body);
    if (!copies) {
      last = copies.error();
      break;
    }
    const auto fields = flags::raise_fields(rec.flag_id, rec.category, rec.urgency, *copies);
    if (static_cast<std::int64_t>(boost::json::serialize(fields).size() + envelope_overhead) > m.max_frame_bytes()) {
      last = make_failure(errc::invalid_request, "the flag with its quotes is too large for the server (" +
                                                    std::to_string(copies->size()) +
                                                    " SPOC devices): quote fewer or shorter messages");
      break;
    }
    auto a = c->raise(rec.flag_id, rec.category, rec.urgency, *copies);
    if (a) {
      record_answer(rec, *a);
      if (auto r = m.store().flags().update_raised(rec); !r) return stored(r.error(), "recording the raised flag");
      if (auto r = m.store().put("emergency_route", a->emergency_route); !r)
        return stored(r.error(), "recording the emergency route");
      return raise_result{rec, a->out_of_hours, a->emergency_route};
    }
    last = a.error();
    if (a.error().server_code == "spoc_keys_changed") continue;  // fetch the keys again, same flag_id
    if (a.error().server_code == "rate_limited") {
      const auto wait = std::clamp<std::int64_t>(a.error().retry_after_ms, 50, max_rate_wait_ms);
      std::this_thread::sleep_for(std::chrono::milliseconds{wait});
      continue;
    }
    break;
  }
  if (last && permanent(*last)) {
    rec.state = "failed";
    rec.problem = last->detail;
    if (auto r = m.store().flags().update_raised(rec); !r) return stored(r.error(), "recording the failed flag");
  }
  if (last) return *last;
  return make_failure(errc::undeliverable, "the SPOC devices kept changing (spoc_keys_changed): the flag stays "
                                           "pending and is sent again at the next connection");
}

}  // namespace desk

outcome<raise_result> flag_desk::raise(const raise_request& r) {
  flag_body::flag body;
  m_.rng().fill(body.flag_id);
  body.category = r.category;
  body.urgency = r.urgency;
  body.raiser_user = m_.account().user;
  body.raiser_device = m_.account().device;
  body.raised_at_client_ms = m_.now_ms();
  body.text = r.text;
  for (auto id : r.quotes) {
    auto q = quote_of(m_, id);
    if (!q) return q.error();
    body.quotes.push_back(std::move(*q));
  }
  auto encoded = flag_body::encode(body);
  for (auto& q : body.quotes) crypto::wipe(q);
  if (!encoded) return encoded.error();

  raised_flag rec;
  rec.flag_id = body.flag_id;
  rec.category = r.category;
  rec.urgency = r.urgency;
  rec.state = "pending";
  rec.text = r.text;
  rec.body = std::move(*encoded);
  rec.quotes = static_cast<std::int64_t>(r.quotes.size());
  rec.created_at_ms = body.raised_at_client_ms;
  // Stored before the first attempt: a lost connection leaves it pending, resent at the next login.
  if (auto s = m_.store().flags().add_raised(rec); !s) return desk::stored(s.error(), "storing the flag");
  return desk::send_raise(m_, rec);
}

outcome<std::size_t> flag_desk::resend_pending() {
  auto all = m_.store().flags().raised();
  if (!all) return desk::stored(all.error(), "reading raised flags");
  std::size_t accepted = 0;
  for (auto& rec : *all) {
    if (rec.state != "pending") continue;
    auto sent = desk::send_raise(m_, rec);
    if (!sent) {
      if (sent.error().code == errc::closed) return sent.error();
      m_.add_notice({notice::kind::send_failed, 0, 0,
                     "a safeguarding flag raised earlier could not be sent: " + sent.error().detail, std::nullopt});
      continue;
    }
    ++accepted;
    m_.add_notice({notice::kind::flag, 0, 0,
                   "your safeguarding flag raised earlier was delivered now as #" + std::to_string(*rec.server_id),
                   flag_summary{"state", *rec.server_id, rec.category, rec.urgency, rec.state, false, 0,
                                rec.deadline_at_ms.value_or(0)}});
  }
  return accepted;
}

}  // namespace confidant::client
