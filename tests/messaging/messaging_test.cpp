// Two (and more) messaging clients through the real confidantd (docs/protocol.md revision 2):
// offline delivery, tampered envelopes, resends, redelivery after a crash before the ack,
// identity changes, device_mismatch with a linked device, the pinned server key.
#include "client/lib/base64url.hpp"
#include "crypto/franking.hpp"
#include "crypto/sesame.hpp"
#include "tests/messaging/world.hpp"

#include <boost/json/array.hpp>
#include <gtest/gtest.h>

namespace confidant::test {
namespace {

using namespace std::chrono_literals;

crypto::device_address addr(std::int64_t user, std::int64_t device) {
  return {std::to_string(user), static_cast<std::uint32_t>(device)};
}

TEST(Messaging, OfflineDeliveryBothWays) {
  world w;
  w.assoc->disconnect();
  auto sent = w.head->send(w.assoc_id(), "Could we meet on Thursday?");
  ASSERT_TRUE(sent) << sent.error().detail;
  EXPECT_EQ(sent->envelopes, 1u);
  EXPECT_GT(sent->server_id, 0);

  ASSERT_TRUE(w.assoc->connect());
  EXPECT_GE(w.assoc->pending_at_login(), 1);
  auto got = receive_n(*w.assoc, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].text, "Could we meet on Thursday?");
  EXPECT_EQ(got[0].state, "delivered");
  EXPECT_EQ(got[0].peer, w.head_id());
  EXPECT_FALSE(got[0].outgoing);
  EXPECT_EQ(got[0].server_id, sent->server_id);
  EXPECT_EQ(got[0].message_id, sent->id);
  EXPECT_FALSE(got[0].stamp.empty());

  auto reply = w.assoc->send(w.head_id(), "Thursday at 4 works.");
  ASSERT_TRUE(reply) << reply.error().detail;
  auto back = receive_n(*w.head, 1);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].text, "Thursday at 4 works.");

  auto h = w.head->history(w.assoc_id(), 10);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 2u);
  EXPECT_TRUE((*h)[0].outgoing);
  // The associate's device sent a delivery receipt (inside the encryption) when it stored it.
  EXPECT_EQ((*h)[0].state, "delivered");
  EXPECT_EQ((*h)[1].text, "Thursday at 4 works.");

  // The associate takes in the head's receipt for the reply; then nothing waits.
  ASSERT_TRUE(w.assoc->receive(1s));
  auto ah = w.assoc->history(w.head_id(), 10);
  ASSERT_TRUE(ah);
  ASSERT_EQ(ah->size(), 2u);
  EXPECT_EQ((*ah)[1].state, "delivered");
  w.assoc->disconnect();
  ASSERT_TRUE(w.assoc->connect());
  EXPECT_EQ(w.assoc->pending_at_login(), 0);
}

TEST(Messaging, ReceiptsNeverStartSessionsAndAreNotShown) {
  world w;
  auto quiet = fast_options();
  quiet.send_receipts = false;
  w.assoc.reset();
  auto assoc = w.reopen("assoc", quiet);
  ASSERT_TRUE(assoc->connect());
  ASSERT_TRUE(w.head->send(w.assoc_id(), "no receipt for this"));
  EXPECT_EQ(receive_n(*assoc, 1).size(), 1u);
  ASSERT_TRUE(w.head->receive(1s));
  auto h = w.head->history(w.assoc_id(), 10);
  EXPECT_EQ((*h)[0].state, "accepted");
  // A receipt is recorded, not shown: the head's receive returns no entry for it.
  assoc.reset();
  auto chatty = w.reopen("assoc");
  ASSERT_TRUE(chatty->connect());
  ASSERT_TRUE(w.head->send(w.assoc_id(), "this one is confirmed"));
  EXPECT_EQ(receive_n(*chatty, 1).size(), 1u);
  auto got = w.head->receive(2s);
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());
  h = w.head->history(w.assoc_id(), 10);
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[1].state, "delivered");
}

// The associate answers before looking at the inbox: connect() takes in the head's first
// message (and its session) before the answer is encrypted, so the two do not start two sessions
// that replace each other (which would lose every later message).
TEST(Messaging, AnsweringBeforeReadingKeepsOneSession) {
  world w;
  w.assoc->disconnect();
  ASSERT_TRUE(w.head->send(w.assoc_id(), "A"));
  ASSERT_TRUE(w.assoc->connect());
  ASSERT_TRUE(w.assoc->send(w.head_id(), "B"));
  EXPECT_EQ(count_text(receive_n(*w.head, 1), "B"), 1u);
  ASSERT_TRUE(w.head->send(w.assoc_id(), "C"));
  auto got = receive_n(*w.assoc, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].text, "A");
  EXPECT_EQ(got[1].text, "C");
  EXPECT_EQ(got[1].state, "delivered");
}

// Sends a hand-made envelope through the head's real session with the associate's device.
void send_raw(world& w, const std::string& text, bool flip_body, bool wrong_commitment) {
  crypto::system_random rng;
  crypto::sesame::session_manager sm(addr(w.head_id(), w.head->account().device), w.head->store().identities(),
                                     w.head->store().prekeys(), w.head->store().sessions(), rng);
  crypto::franking::context ctx{std::to_string(w.head_id()), std::to_string(w.assoc_id()), 1795442400, {}};
  rng.fill(ctx.message_id);
  auto payload = client::encode_payload(client::text_payload{text});
  ASSERT_TRUE(payload);
  auto f = crypto::franking::commit(rng, ctx, *payload);
  ASSERT_TRUE(f);
  const crypto::sesame::device_target target{addr(w.assoc_id(), 1), std::nullopt};
  auto out = sm.encrypt(std::span(&target, 1), f->payload);
  ASSERT_TRUE(out) << out.error().message();
  auto body = (*out)[0].envelope;
  if (flip_body) body[body.size() - 5] ^= 0x20;
  auto commitment = f->c;
  if (wrong_commitment) commitment.bytes[0] ^= 1;
  boost::json::array envelopes{boost::json::object{{"user", w.assoc_id()},
                                                   {"device", 1},
                                                   {"body", client::base64url_encode(body)},
                                                   {"commitment", client::base64url_encode(commitment.view())}}};
  auto answer = w.head->raw_connection()->call(
      "send", {{"message_id", client::base64url_encode(ctx.message_id)}, {"to", w.assoc_id()}, {"envelopes", envelopes}});
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->type, "ok");
}

TEST(Messaging, TamperedEnvelopeRejectedAcknowledgedAndReported) {
  world w;
  ASSERT_TRUE(w.head->send(w.assoc_id(), "first, to start the session"));
  ASSERT_EQ(receive_n(*w.assoc, 1).size(), 1u);

  send_raw(w, "tampered body", true, false);
  send_raw(w, "forged commitment", false, true);
  auto got = receive_n(*w.assoc, 2);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& e : got) {
    EXPECT_EQ(e.state, "rejected");
    EXPECT_FALSE(e.text.empty());  // the reason
    EXPECT_EQ(e.text.find("tampered body"), std::string::npos);
    EXPECT_EQ(e.text.find("forged commitment"), std::string::npos);
  }
  EXPECT_NE(got[0].text.find("authenticate"), std::string::npos) << got[0].text;
  EXPECT_NE(got[1].text.find("commitment"), std::string::npos) << got[1].text;

  // Both were acknowledged, and the session still works.
  w.assoc->disconnect();
  ASSERT_TRUE(w.assoc->connect());
  EXPECT_EQ(w.assoc->pending_at_login(), 0);
  ASSERT_TRUE(w.head->send(w.assoc_id(), "still fine"));
  auto after = receive_n(*w.assoc, 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].text, "still fine");
  EXPECT_EQ(after[0].state, "delivered");
  auto h = w.assoc->history(w.head_id(), 10);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->size(), 4u);
}

TEST(Messaging, ResendWithTheSameIdIsStoredAndShownOnce) {
  world w;
  auto sent = w.head->send(w.assoc_id(), "only once");
  ASSERT_TRUE(sent);
  // As if the client crashed after the server's ok and before removing the outbox entry.
  auto h = w.head->history(w.assoc_id(), 10);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 1u);
  ASSERT_TRUE(w.head->store().outbox_add({sent->id, w.assoc_id(), "only once", (*h)[0].sent_at_ms}));
  w.head->disconnect();
  ASSERT_TRUE(w.head->connect());  // resends the outbox
  auto outbox = w.head->store().outbox();
  ASSERT_TRUE(outbox);
  EXPECT_TRUE(outbox->empty());
  h = w.head->history(w.assoc_id(), 10);
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].server_id, sent->server_id);  // the server's first answer again

  auto got = receive_n(*w.assoc, 2, 3);
  EXPECT_EQ(count_text(got, "only once"), 1u);
  auto ah = w.assoc->history(w.head_id(), 10);
  ASSERT_TRUE(ah);
  EXPECT_EQ(count_text(*ah, "only once"), 1u);
  // And the sessions survived the discarded second encryption.
  ASSERT_TRUE(w.head->send(w.assoc_id(), "next one"));
  EXPECT_EQ(count_text(receive_n(*w.assoc, 1), "next one"), 1u);
}

TEST(Messaging, RecipientKilledBeforeAckingGetsItAgainAndShowsItOnce) {
  world w;
  w.assoc.reset();
  ASSERT_TRUE(w.head->send(w.assoc_id(), "survives a crash"));

  auto crashing_options = fast_options();
  crashing_options.acknowledge = false;
  {
    auto crashing = w.reopen("assoc", crashing_options);
    ASSERT_TRUE(crashing->connect());
    auto got = receive_n(*crashing, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].text, "survives a crash");
  }  // gone without acknowledging
  auto again = w.reopen("assoc");
  ASSERT_TRUE(again->connect());
  EXPECT_EQ(again->pending_at_login(), 1);  // the server sends it again
  auto got = again->receive(2s);
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());  // dropped as already stored, and acknowledged
  auto h = again->history(w.head_id(), 10);
  ASSERT_TRUE(h);
  EXPECT_EQ(count_text(*h, "survives a crash"), 1u);
  again->disconnect();
  ASSERT_TRUE(again->connect());
  EXPECT_EQ(again->pending_at_login(), 0);
}

crypto::identity_public stranger() {
  crypto::system_random rng;
  return crypto::identity_keypair::generate(rng).public_keys();
}

TEST(Messaging, ChangedIdentityOfTheRecipientIsRefusedUntilVerified) {
  world w;
  ASSERT_TRUE(w.head->send(w.assoc_id(), "hello"));
  ASSERT_EQ(receive_n(*w.assoc, 1).size(), 1u);
  // The head's record of the associate's device now differs from what the server hands out (as
  // if the associate's key had been replaced), and there is no session to hide it.
  ASSERT_TRUE(w.head->store().mark_verified(addr(w.assoc_id(), 1), stranger()));
  ASSERT_TRUE(w.head->store().sessions().delete_session(addr(w.assoc_id(), 1)));

  auto refused = w.head->send(w.assoc_id(), "not before you verify");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, client::errc::identity_changed);
  EXPECT_NE(refused.error().detail.find("safety-number"), std::string::npos);
  auto again = w.head->send(w.assoc_id(), "still not");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, client::errc::identity_changed);
  auto numbers = w.head->safety_numbers(w.assoc_id());
  ASSERT_TRUE(numbers);
  ASSERT_EQ(numbers->size(), 1u);
  EXPECT_TRUE((*numbers)[0].changed);
  EXPECT_FALSE((*numbers)[0].verified);
  EXPECT_EQ((*numbers)[0].number.size(), 60u);
  EXPECT_TRUE(receive_n(*w.assoc, 1, 2).empty());

  // After comparing, the user accepts; the first refused message is still in the outbox.
  ASSERT_TRUE(w.head->verify(w.assoc_id()));
  numbers = w.head->safety_numbers(w.assoc_id());
  EXPECT_FALSE((*numbers)[0].changed);
  EXPECT_TRUE((*numbers)[0].verified);
  auto flushed = w.head->flush_outbox();
  ASSERT_TRUE(flushed) << flushed.error().detail;
  EXPECT_EQ(*flushed, 1u);
  auto got = receive_n(*w.assoc, 1);
  EXPECT_EQ(count_text(got, "not before you verify"), 1u);
}

TEST(Messaging, ChangedIdentityOfTheSenderIsHeldUntilVerified) {
  world w;
  ASSERT_TRUE(w.head->send(w.assoc_id(), "hello"));
  ASSERT_EQ(receive_n(*w.assoc, 1).size(), 1u);
  // The associate has a different key on record for the head's device; the head starts afresh.
  ASSERT_TRUE(w.assoc->store().mark_verified(addr(w.head_id(), 1), stranger()));
  ASSERT_TRUE(w.assoc->store().sessions().delete_session(addr(w.head_id(), 1)));
  ASSERT_TRUE(w.head->store().sessions().delete_session(addr(w.assoc_id(), 1)));
  ASSERT_TRUE(w.head->send(w.assoc_id(), "from a changed key"));

  auto got = w.assoc->receive(3s);
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());  // not shown
  auto notices = w.assoc->take_notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].what, client::notice::kind::identity_changed);
  EXPECT_EQ(notices[0].user, w.head_id());
  auto h = w.assoc->history(w.head_id(), 10);
  EXPECT_EQ(count_text(*h, "from a changed key"), 0u);
  auto numbers = w.assoc->safety_numbers(w.head_id());
  ASSERT_TRUE(numbers);
  EXPECT_TRUE((*numbers)[0].changed);
  // Replies are refused too.
  auto reply = w.assoc->send(w.head_id(), "who is this?");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, client::errc::identity_changed);

  auto released = w.assoc->verify(w.head_id());
  ASSERT_TRUE(released) << released.error().detail;
  ASSERT_EQ(released->size(), 1u);
  EXPECT_EQ((*released)[0].text, "from a changed key");
  h = w.assoc->history(w.head_id(), 10);
  EXPECT_EQ(count_text(*h, "from a changed key"), 1u);
  ASSERT_TRUE(w.assoc->send(w.head_id(), "verified now"));
  // The head also gets the associate's delivery receipt of "hello", sent over the session the test
  // deleted (so rejected), before or together with the reply, depending on when the server pushed it.
  EXPECT_EQ(count_text(receive_n(*w.head, 2), "verified now"), 1u);
}

TEST(Messaging, LinkedDeviceIsFoundThroughDeviceMismatchAndGetsCopies) {
  world w;
  ASSERT_TRUE(w.assoc->send(w.head_id(), "before the new device"));
  ASSERT_EQ(receive_n(*w.head, 1).size(), 1u);

  auto link = w.head->device_link();
  ASSERT_TRUE(link) << link.error().detail;
  auto head2 = w.enrol("head2", link->code);
  EXPECT_EQ(head2->account().user, w.head_id());
  EXPECT_EQ(head2->account().device, 2);

  // The associate still thinks the head has one device: the server says device 2 is missing.
  auto sent = w.assoc->send(w.head_id(), "to both of your devices");
  ASSERT_TRUE(sent) << sent.error().detail;
  EXPECT_EQ(sent->envelopes, 2u);
  EXPECT_EQ(count_text(receive_n(*w.head, 1), "to both of your devices"), 1u);
  EXPECT_EQ(count_text(receive_n(*head2, 1), "to both of your devices"), 1u);

  // A message from device 1 reaches device 2 as a copy of the head's own message.
  ASSERT_TRUE(w.head->send(w.assoc_id(), "sent from device one"));
  auto copies = receive_n(*head2, 1);
  ASSERT_EQ(copies.size(), 1u);
  EXPECT_TRUE(copies[0].outgoing);
  EXPECT_EQ(copies[0].peer, w.assoc_id());
  EXPECT_EQ(copies[0].from_device, 1);
  EXPECT_EQ(copies[0].text, "sent from device one");
  EXPECT_EQ(count_text(receive_n(*w.assoc, 1), "sent from device one"), 1u);

  auto devices = w.head->devices();
  ASSERT_TRUE(devices);
  EXPECT_EQ(devices->size(), 2u);
  // Removing device 2 closes its connection with 4001.
  ASSERT_TRUE(w.head->device_remove(2));
  auto ended = head2->receive(3s);
  ASSERT_FALSE(ended);
  EXPECT_EQ(ended.error().code, client::errc::device_removed);
  EXPECT_EQ(ended.error().close_code, 4001);
  // And the associate's next message goes to device 1 only (device 2 is stale).
  auto after = w.assoc->send(w.head_id(), "only device one now");
  ASSERT_TRUE(after) << after.error().detail;
  EXPECT_EQ(after->envelopes, 1u);
}

TEST(Messaging, ServerKeyIsPinned) {
  world w;
  server_process other{w.tmp / "other-server"};
  w.head->disconnect();
  auto c = w.head->connect(*client::parse_url(other.url()));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client::errc::server_key_changed);
  ASSERT_TRUE(w.head->connect());
}

TEST(Messaging, ErrorsCarryTheServersCode) {
  world w;
  auto solo = w.coord->invite_create("headteacher", "Unpaired Head", std::nullopt);
  ASSERT_TRUE(solo);
  auto lonely = w.enrol("lonely", solo->code);
  auto r = lonely->send(w.assoc_id(), "hi");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, client::errc::error_answer);
  EXPECT_EQ(r.error().server_code, "not_paired");
  auto outbox = lonely->store().outbox();
  EXPECT_TRUE(outbox->empty());  // a permanent refusal leaves the outbox
  auto forbidden = w.head->invite_create("associate", "Nope", std::nullopt);
  ASSERT_FALSE(forbidden);
  EXPECT_EQ(forbidden.error().server_code, "forbidden");
  auto used = client::messenger::register_device(w.tmp / "again", passphrase_of("again"),
                                                 *client::parse_url(w.server.url()), solo->code, fast_options());
  ASSERT_FALSE(used);
  EXPECT_EQ(used.error().server_code, "invite_used");
  EXPECT_FALSE(std::filesystem::exists(w.tmp / "again" / "local.db"));
}

TEST(Messaging, SignedPrekeyIsRotatedWeeklyAndOldSessionsKeepWorking) {
  world w;
  ASSERT_TRUE(w.assoc->send(w.head_id(), "before rotation"));
  ASSERT_EQ(receive_n(*w.head, 1).size(), 1u);
  w.head.reset();
  // Eight days later by the head's clock: connect() rotates the signed prekey.
  auto later = fast_options();
  later.now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               (std::chrono::system_clock::now() + std::chrono::hours{24 * 8}).time_since_epoch())
        .count();
  };
  auto head = w.reopen("head", later);
  ASSERT_TRUE(head->connect());
  auto spk = head->store().get("signed_prekey");
  ASSERT_TRUE(spk && *spk);
  EXPECT_TRUE((*spk)->starts_with("2 ")) << **spk;
  // A newcomer starts a session on the new signed prekey; the old session still works.
  auto c2 = w.coord->invite_create("coordinator", "Second Coordinator", std::nullopt);
  auto coord2 = w.enrol("coord2", c2->code);
  ASSERT_TRUE(coord2->send(w.head_id(), "on the new signed prekey"));
  ASSERT_TRUE(w.assoc->send(w.head_id(), "on the old session"));
  auto got = receive_n(*head, 2);
  EXPECT_EQ(count_text(got, "on the new signed prekey"), 1u);
  EXPECT_EQ(count_text(got, "on the old session"), 1u);
}

TEST(Messaging, OneTimePrekeysAreToppedUp) {
  world w;
  auto o = fast_options();
  o.prekey_batch = 11;  // the server warns below 10
  auto solo = w.coord->invite_create("associate", "Few Keys", std::nullopt);
  auto few = w.enrol("few", solo->code, o);
  const auto few_id = few->account().user;
  ASSERT_TRUE(w.coord->send(few_id, "one"));  // uses one of the 11
  auto c2 = w.coord->invite_create("coordinator", "Second Coordinator", std::nullopt);
  auto coord2 = w.enrol("coord2", c2->code);
  ASSERT_TRUE(coord2->send(few_id, "two"));  // 9 left: prekeys_low
  auto got = receive_n(*few, 2);
  EXPECT_EQ(got.size(), 2u);
  // prekeys_low (9 left on the server) made it generate, store and upload ids 12 and 13.
  auto next = few->store().next_prekey_id();
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, 14u);
  auto held = few->store().prekeys().one_time_prekey_count();
  ASSERT_TRUE(held);
  EXPECT_EQ(*held, 11u);
}

}  // namespace
}  // namespace confidant::test
