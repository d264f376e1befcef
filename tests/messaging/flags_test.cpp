// Safeguarding flags through the real confidantd (docs/protocol.md 7.23-7.28): a headteacher
// quotes an associate's message in a flag and the SPOC's device verifies it; a quote the raiser
// edited fails; a flag sealed before a rotation opens with the kept key; confirmation, handling,
// notes, the raiser's state events; no SPOC; a deputy is not alerted at once.
#include "client/lib/flag_body.hpp"
#include "client/lib/flag_desk.hpp"
#include "client/lib/flag_desk_impl.hpp"
#include "tests/messaging/world.hpp"

#include <gtest/gtest.h>

namespace confidant::test {
namespace {

using namespace std::chrono_literals;

client::flag_desk& desk(client::messenger& m) {
  auto d = client::flag_desk::attach(m);
  if (!d) throw std::runtime_error("attaching the flag desk failed: " + d.error().detail);
  return **d;
}

struct flag_world : world {
  std::unique_ptr<client::messenger> spoc;

  flag_world() {
    auto invite = coord->invite_create("spoc", "Sam Spoc", std::nullopt);
    if (!invite) throw std::runtime_error("invite_create spoc failed");
    spoc = enrol("spoc", invite->code);
    (void)desk(*spoc);  // publishes the sealing key at once
    (void)desk(*head);
    (void)desk(*assoc);
  }
};

// Receives until a notice about flag `id` of `event` arrives (or `seconds` pass).
std::vector<client::notice> flag_notices(client::messenger& m, std::string_view event, int seconds = 10) {
  std::vector<client::notice> out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
  while (std::chrono::steady_clock::now() < deadline) {
    auto got = m.receive(500ms);
    if (!got) {
      ADD_FAILURE() << "receive failed: " << got.error().detail;
      break;
    }
    for (auto& n : m.take_notices())
      if (n.flag && n.flag->event == event) out.push_back(std::move(n));
    if (!out.empty()) break;
  }
  return out;
}

// The associate writes to the head; returns the head's local id of the stored message.
std::int64_t message_to_head(flag_world& w, const std::string& text) {
  auto sent = w.assoc->send(w.head_id(), text);
  if (!sent) throw std::runtime_error("send failed: " + sent.error().detail);
  for (const auto& e : receive_n(*w.head, 1))
    if (e.text == text) return e.local_id;
  throw std::runtime_error("the head did not receive the message");
}

TEST(Flags, HeadQuotesAnAssociatesMessageAndTheSpocVerifiesIt) {
  flag_world w;
  const auto keys = w.spoc->store().flags().keys();
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_TRUE(keys->front().published_at_ms) << "a SPOC device publishes its key when it registers";

  const auto quoted = message_to_head(w, "Between us: I saw marks on the boy's arm again today.");
  const std::string text = "An associate told me about marks on a pupil's arm; quote attached.";
  auto raised = desk(*w.head).raise({"child_protection", "immediate", text, {quoted}});
  ASSERT_TRUE(raised) << raised.error().detail;
  const auto& r = raised->record;
  ASSERT_TRUE(r.server_id);
  EXPECT_EQ(r.state, "received");
  EXPECT_FALSE(raised->out_of_hours) << "the test server runs on a Monday at 10:00";
  EXPECT_EQ(*r.deadline_at_ms - *r.raised_at_ms, 2 * 3600 * 1000) << "2 working hours, inside the working day";
  const auto id = *r.server_id;

  auto alerts = flag_notices(*w.spoc, "flag");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].flag->id, id);
  EXPECT_TRUE(alerts[0].flag->alert) << "a primary SPOC is alerted at once";
  EXPECT_EQ(alerts[0].text.find("marks"), std::string::npos) << "a notice carries category and urgency only";

  auto got = w.spoc->store().flags().received(id);
  ASSERT_TRUE(got);
  ASSERT_TRUE(*got);
  const auto& f = **got;
  EXPECT_TRUE(f.opened) << f.problem;
  EXPECT_TRUE(f.problem.empty()) << f.problem;
  EXPECT_EQ(f.text, text);
  EXPECT_EQ(f.raised_by_user, w.head_id());
  EXPECT_EQ(f.flagger_identity, w.head->store().identities().own_identity().public_keys().to_bytes());
  ASSERT_EQ(f.quotes.size(), 1u);
  EXPECT_TRUE(f.quotes[0].verified) << f.quotes[0].problem;
  EXPECT_EQ(f.quotes[0].sender, std::to_string(w.assoc_id()));
  EXPECT_EQ(f.quotes[0].recipient, std::to_string(w.head_id()));
  EXPECT_EQ(f.quotes[0].text, "Between us: I saw marks on the boy's arm again today.");

  // Confirmed with flag_received: the next login does not bring it again.
  w.spoc->disconnect();
  ASSERT_TRUE(w.spoc->connect());
  EXPECT_TRUE(flag_notices(*w.spoc, "flag", 2).empty());

  // Handling; the head's device hears of each state change.
  auto acked = desk(*w.spoc).ack(id);
  ASSERT_TRUE(acked) << acked.error().detail;
  EXPECT_EQ(acked->state, "acknowledged");
  auto states = flag_notices(*w.head, "state");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].flag->state, "acknowledged");
  EXPECT_EQ(w.head->store().flags().raised_by_server_id(id).value()->state, "acknowledged");

  auto note = desk(*w.spoc).note(id, "Spoke to the DSL; children's social care informed.");
  ASSERT_TRUE(note) << note.error().detail;
  auto resolved = desk(*w.spoc).resolve(id, "referred_to_childrens_social_care");
  ASSERT_TRUE(resolved) << resolved.error().detail;
  EXPECT_EQ(resolved->outcome, "referred_to_childrens_social_care");
  auto held = desk(*w.spoc).hold(id, true);
  ASSERT_TRUE(held);
  EXPECT_TRUE(held->legal_hold);
  auto again = desk(*w.spoc).ack(id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().server_code, "wrong_state");

  auto shown = desk(*w.spoc).show(id);
  ASSERT_TRUE(shown) << shown.error().detail;
  ASSERT_TRUE(shown->received);
  EXPECT_TRUE(shown->received->quotes.at(0).verified);
  ASSERT_EQ(shown->notes.size(), 1u);
  EXPECT_TRUE(shown->notes[0].verified) << shown->notes[0].problem;
  EXPECT_EQ(shown->notes[0].text, "Spoke to the DSL; children's social care informed.");
  std::vector<std::string> actions;
  for (const auto& h : shown->history) actions.push_back(h.action);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "flag_raised"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "flag_resolved"), actions.end());

  // The raiser's list: its own flag, resolved, never the SPOC's notes or outcome.
  auto mine = desk(*w.head).list(std::nullopt);
  ASSERT_TRUE(mine) << mine.error().detail;
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().flag.state, "resolved");
  EXPECT_TRUE(mine->front().flag.outcome.empty());
  EXPECT_FALSE(mine->front().flag.raised_by);
}

TEST(Flags, AQuoteWhoseTextTheRaiserEditedFailsVerification) {
  flag_world w;
  const auto genuine = message_to_head(w, "Can we talk on Thursday?");
  // The raiser's store is edited: a copy of that message with another text but the same proof.
  auto entries = w.head->store().incoming_since(genuine - 1);
  ASSERT_TRUE(entries);
  auto forged = entries->front();
  forged.server_id = 999'999;
  forged.text = "The associate admitted hitting a pupil.";
  forged.payload = *client::encode_payload(client::text_payload{forged.text});
  auto stored = w.head->store().add_incoming(forged);
  ASSERT_TRUE(stored && *stored);

  auto raised = desk(*w.head).raise({"staff_allegation", "urgent", "See the quotes.", {genuine, **stored}});
  ASSERT_TRUE(raised) << raised.error().detail;
  ASSERT_EQ(flag_notices(*w.spoc, "flag").size(), 1u);
  auto f = w.spoc->store().flags().received(*raised->record.server_id);
  ASSERT_TRUE(f && *f);
  ASSERT_EQ((*f)->quotes.size(), 2u);
  EXPECT_TRUE((*f)->quotes[0].verified) << (*f)->quotes[0].problem;
  EXPECT_FALSE((*f)->quotes[1].verified);
  EXPECT_EQ((*f)->quotes[1].problem, "the text does not match what the sender committed to");
  EXPECT_EQ((*f)->quotes[1].text, "The associate admitted hitting a pupil.");
}

TEST(Flags, AFlagSealedBeforeARotationOpensWithTheKeptKey) {
  flag_world w;
  auto raised = desk(*w.head).raise({"whistleblowing", "standard", "Sealed to key 1.", {}});
  ASSERT_TRUE(raised) << raised.error().detail;
  const auto first = *raised->record.server_id;
  // The `flag` event waits in the SPOC device's queue (events are handled only when it receives)
  // while the device rotates to key 2.
  auto rotated = desk(*w.spoc).rotate();
  ASSERT_TRUE(rotated) << rotated.error().detail;
  EXPECT_EQ(*rotated, 2u);
  // And the process restarts: only the store keeps key 1.
  w.spoc.reset();
  auto spoc = w.reopen("spoc");
  ASSERT_TRUE(client::flag_desk::attach(*spoc));
  ASSERT_TRUE(spoc->connect());
  ASSERT_EQ(flag_notices(*spoc, "flag").size(), 1u);
  auto f = spoc->store().flags().received(first);
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->key_id, 1);
  EXPECT_TRUE((*f)->opened) << (*f)->problem;
  EXPECT_EQ((*f)->text, "Sealed to key 1.");
  auto keys = spoc->store().flags().keys();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_TRUE(keys->at(0).retired_at_ms);
  EXPECT_FALSE(keys->at(1).retired_at_ms);

  // New flags are sealed to key 2.
  auto later = desk(*w.head).raise({"other", "standard", "Sealed to key 2.", {}});
  ASSERT_TRUE(later) << later.error().detail;
  ASSERT_EQ(flag_notices(*spoc, "flag").size(), 1u);
  auto g = spoc->store().flags().received(*later->record.server_id);
  ASSERT_TRUE(g && *g);
  EXPECT_EQ((*g)->key_id, 2);
  EXPECT_TRUE((*g)->opened) << (*g)->problem;
}

TEST(Flags, WithoutASpocTheFlagFailsAndSaysSo) {
  world w;
  auto raised = desk(*w.head).raise({"leader_wellbeing", "urgent", "I am not coping.", {}});
  ASSERT_FALSE(raised);
  EXPECT_EQ(raised.error().server_code, "no_spoc");
  auto all = w.head->store().flags().raised();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().state, "failed");
}

TEST(Flags, ADeputyStoresTheFlagWithoutAnAlert) {
  flag_world w;
  auto invite = w.coord->invite_create("spoc", "Dee Puty", std::nullopt, true);
  ASSERT_TRUE(invite) << invite.error().detail;
  auto deputy = w.enrol("deputy", invite->code);
  (void)desk(*deputy);
  auto raised = desk(*w.head).raise({"other", "standard", "For the SPOC team.", {}});
  ASSERT_TRUE(raised) << raised.error().detail;
  auto primary = flag_notices(*w.spoc, "flag");
  auto second = flag_notices(*deputy, "flag");
  ASSERT_EQ(primary.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_TRUE(primary[0].flag->alert);
  EXPECT_FALSE(second[0].flag->alert);
  auto f = deputy->store().flags().received(*raised->record.server_id);
  ASSERT_TRUE(f && *f);
  EXPECT_TRUE((*f)->opened) << (*f)->problem;
  // A note from the deputy reaches the primary, signed by the deputy's device.
  ASSERT_TRUE(desk(*deputy).note(*raised->record.server_id, "I can take this one."));
  auto notes = flag_notices(*w.spoc, "note");
  ASSERT_EQ(notes.size(), 1u);
  auto stored = w.spoc->store().flags().notes(*raised->record.server_id);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_TRUE(stored->front().verified) << stored->front().problem;
  EXPECT_EQ(stored->front().text, "I can take this one.");
}

TEST(Flags, SealedCategoryOrRaiserThatDisagreeWithTheServerAreShown) {
  flag_world w;
  // A raiser's client that says one thing to the server and seals another.
  client::flag_body::flag body;
  w.head->rng().fill(body.flag_id);
  body.category = "whistleblowing";
  body.urgency = "standard";
  body.raiser_user = w.assoc_id();
  body.raiser_device = 1;
  body.raised_at_client_ms = w.head->now_ms();
  body.text = "Sealed as whistleblowing.";
  auto encoded = client::flag_body::encode(body);
  ASSERT_TRUE(encoded);
  auto calls = client::desk::calls(*w.head);
  ASSERT_TRUE(calls);
  auto copies = client::desk::seal_to_spocs(*w.head, *calls, *encoded);
  ASSERT_TRUE(copies) << copies.error().detail;
  auto raised = calls->raise(body.flag_id, "other", "immediate", *copies);
  ASSERT_TRUE(raised) << raised.error().detail;
  ASSERT_EQ(flag_notices(*w.spoc, "flag").size(), 1u);
  auto f = w.spoc->store().flags().received(raised->flag.id);
  ASSERT_TRUE(f && *f);
  EXPECT_TRUE((*f)->opened);
  EXPECT_EQ((*f)->text, "Sealed as whistleblowing.");
  EXPECT_NE((*f)->problem.find("MISMATCH: the raiser sealed category whistleblowing, urgency standard, but the server "
                               "says other, immediate"),
            std::string::npos)
      << (*f)->problem;
  EXPECT_NE((*f)->problem.find("signed as user " + std::to_string(w.assoc_id())), std::string::npos) << (*f)->problem;
}

TEST(Flags, AFlagLeftPendingIsResentAtLoginToTheSpocDevicesOfThen) {
  flag_world w;
  w.head->disconnect();
  auto lost = desk(*w.head).raise({"leader_wellbeing", "urgent", "Raised while the connection was down.", {}});
  ASSERT_FALSE(lost);
  auto pending = w.head->store().flags().raised();
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ(pending->front().state, "pending");
  // Meanwhile a second SPOC device appears: the resend is sealed to both, with the same flag_id.
  auto invite = w.coord->invite_create("spoc", "Dee Puty", std::nullopt, true);
  ASSERT_TRUE(invite);
  auto deputy = w.enrol("deputy", invite->code);
  (void)desk(*deputy);
  ASSERT_TRUE(w.head->connect());
  auto resent = w.head->store().flags().raised();
  ASSERT_EQ(resent->size(), 1u);
  EXPECT_EQ(resent->front().state, "received");
  EXPECT_EQ(resent->front().flag_id, pending->front().flag_id);
  ASSERT_TRUE(resent->front().server_id);
  bool told = false;
  for (const auto& n : w.head->take_notices()) told = told || (n.flag && n.flag->id == *resent->front().server_id);
  EXPECT_TRUE(told);
  for (auto* spoc : {w.spoc.get(), deputy.get()}) {
    ASSERT_EQ(flag_notices(*spoc, "flag").size(), 1u);
    auto f = spoc->store().flags().received(*resent->front().server_id);
    ASSERT_TRUE(f && *f);
    EXPECT_EQ((*f)->text, "Raised while the connection was down.");
    EXPECT_EQ((*f)->body_flag_id, std::vector<unsigned char>(resent->front().flag_id.begin(), resent->front().flag_id.end()));
  }
  // A later login sends nothing again.
  w.head->disconnect();
  ASSERT_TRUE(w.head->connect());
  EXPECT_EQ(w.head->store().flags().raised()->size(), 1u);
  EXPECT_TRUE(flag_notices(*w.spoc, "flag", 2).empty());
}

}  // namespace
}  // namespace confidant::test
