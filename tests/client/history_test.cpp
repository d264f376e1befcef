// History, delivery dedupe, the outbox, contacts and named values.
#include "tests/client/support.hpp"

#include "server/store/error.hpp"

namespace confidant::client {
namespace {

using namespace client::test;

history_entry outgoing(std::int64_t peer, unsigned char id, std::string text) {
  history_entry e;
  e.peer = peer;
  e.outgoing = true;
  e.from_device = 1;
  e.message_id = message_id(id);
  e.sent_at_ms = 1000 + id;
  e.text = std::move(text);
  return e;
}

history_entry incoming(std::int64_t peer, unsigned char id, std::int64_t server_id, std::string text) {
  history_entry e;
  e.peer = peer;
  e.from_device = 2;
  e.message_id = message_id(id);
  e.server_id = server_id;
  e.sent_at_ms = 2000 + id;
  e.accepted_at_ms = 2100 + id;
  e.text = std::move(text);
  e.stamp = {1, 2, 3};
  e.franking_key = std::vector<unsigned char>(32, 0x5a);
  e.context = {9, 8, 7, 6};
  return e;
}

TEST(ClientHistory, OutgoingIsPendingUntilAccepted) {
  profile p;
  const auto id = p.store->add_outgoing(outgoing(5, 1, "hello")).value();
  auto h = p.store->history(5, 10).value();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].local_id, id);
  EXPECT_TRUE(h[0].outgoing);
  EXPECT_EQ(h[0].state, "pending");
  EXPECT_FALSE(h[0].server_id);
  EXPECT_FALSE(h[0].accepted_at_ms);

  ASSERT_TRUE(p.store->mark_accepted(message_id(1), 41, 5000));
  p.reopen();
  h = p.store->history(5, 10).value();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].state, "accepted");
  EXPECT_EQ(h[0].server_id, 41);
  EXPECT_EQ(h[0].accepted_at_ms, 5000);
  EXPECT_EQ(h[0].text, "hello");
  EXPECT_EQ(h[0].message_id, message_id(1));
  EXPECT_EQ(h[0].sent_at_ms, 1001);

  EXPECT_EQ(p.store->mark_accepted(message_id(99), 42, 5000).error(), store_errc::not_found);
  // Two sends never share a message id.
  EXPECT_EQ(p.store->add_outgoing(outgoing(5, 1, "again")).error(), store::errc::constraint);
}

TEST(ClientHistory, IncomingIsStoredOncePerServerId) {
  profile p;
  EXPECT_FALSE(p.store->seen_server_id(41).value());
  const auto first = p.store->add_incoming(incoming(5, 1, 41, "hi")).value();
  ASSERT_TRUE(first);
  EXPECT_TRUE(p.store->seen_server_id(41).value());
  EXPECT_FALSE(p.store->seen_server_id(42).value());
  // Redelivered after a reconnect: dropped.
  EXPECT_FALSE(p.store->add_incoming(incoming(5, 1, 41, "hi")).value());
  p.reopen();
  EXPECT_TRUE(p.store->seen_server_id(41).value());
  EXPECT_FALSE(p.store->add_incoming(incoming(5, 1, 41, "hi")).value());

  auto h = p.store->history(5, 10).value();
  ASSERT_EQ(h.size(), 1u);
  const auto& e = h[0];
  EXPECT_EQ(e.local_id, *first);
  EXPECT_FALSE(e.outgoing);
  EXPECT_EQ(e.state, "delivered");
  EXPECT_EQ(e.from_device, 2);
  EXPECT_EQ(e.server_id, 41);
  EXPECT_EQ(e.accepted_at_ms, 2101);
  EXPECT_EQ(e.stamp, (std::vector<unsigned char>{1, 2, 3}));
  EXPECT_EQ(e.franking_key, std::vector<unsigned char>(32, 0x5a));
  EXPECT_EQ(e.context, (std::vector<unsigned char>{9, 8, 7, 6}));
}

TEST(ClientHistory, ConversationsKeepInsertionOrderAndLimitKeepsTheNewest) {
  profile p;
  ASSERT_TRUE(p.store->add_outgoing(outgoing(5, 1, "a")));
  ASSERT_TRUE(p.store->add_incoming(incoming(7, 2, 50, "other peer")));
  ASSERT_TRUE(p.store->add_incoming(incoming(5, 3, 51, "b")));
  ASSERT_TRUE(p.store->add_outgoing(outgoing(5, 4, "c")));
  ASSERT_TRUE(p.store->add_incoming(incoming(5, 5, 52, "d")));

  auto texts = [](const std::vector<history_entry>& h) {
    std::vector<std::string> out;
    for (const auto& e : h) out.push_back(e.text);
    return out;
  };
  EXPECT_EQ(texts(p.store->history(5, 100).value()), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(texts(p.store->history(5, 2).value()), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(texts(p.store->history(7, 100).value()), (std::vector<std::string>{"other peer"}));
  EXPECT_TRUE(p.store->history(5, 0).value().empty());
  EXPECT_TRUE(p.store->history(8, 10).value().empty());
  const auto all = p.store->history(5, 100).value();
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].local_id, all[i].local_id);
}

TEST(ClientHistory, IncomingSinceIsTheInboxAfterAPosition) {
  profile p;
  const auto a = p.store->add_incoming(incoming(5, 1, 60, "one")).value().value();
  ASSERT_TRUE(p.store->add_outgoing(outgoing(5, 2, "mine")));
  const auto b = p.store->add_incoming(incoming(7, 3, 61, "two")).value().value();
  const auto c = p.store->add_incoming(incoming(5, 4, 62, "three")).value().value();

  auto all = p.store->incoming_since(0).value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].local_id, a);
  EXPECT_EQ(all[1].local_id, b);
  EXPECT_EQ(all[2].local_id, c);
  auto later = p.store->incoming_since(a).value();
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].text, "two");
  EXPECT_EQ(later[1].text, "three");
  EXPECT_TRUE(p.store->incoming_since(c).value().empty());

  // A copy of the user's own message from another device is history, not inbox.
  auto copy = incoming(5, 9, 63, "sent from my other device");
  copy.outgoing = true;
  ASSERT_TRUE(p.store->add_incoming(copy).value());
  EXPECT_TRUE(p.store->incoming_since(c).value().empty());
  EXPECT_TRUE(p.store->history(5, 1).value().at(0).outgoing);
}

TEST(ClientOutbox, HoldsSendsInOrderUntilRemoved) {
  profile p;
  EXPECT_TRUE(p.store->outbox().value().empty());
  ASSERT_TRUE(p.store->outbox_add({message_id(2), 5, "second id, first added", 100}));
  ASSERT_TRUE(p.store->outbox_add({message_id(1), 7, "then this", 200}));
  EXPECT_EQ(p.store->outbox_add({message_id(1), 7, "same id", 300}).error(), store::errc::constraint);
  p.reopen();
  auto box = p.store->outbox().value();
  ASSERT_EQ(box.size(), 2u);
  EXPECT_EQ(box[0].message_id, message_id(2));
  EXPECT_EQ(box[0].to, 5);
  EXPECT_EQ(box[0].text, "second id, first added");
  EXPECT_EQ(box[0].sent_at_ms, 100);
  EXPECT_EQ(box[1].message_id, message_id(1));

  ASSERT_TRUE(p.store->outbox_remove(message_id(2)));
  EXPECT_EQ(p.store->outbox_remove(message_id(2)).error(), store_errc::not_found);
  box = p.store->outbox().value();
  ASSERT_EQ(box.size(), 1u);
  EXPECT_EQ(box[0].text, "then this");
}

TEST(ClientContacts, SavingReplacesTheWholeList) {
  profile p;
  ASSERT_TRUE(p.store->save_contacts({{7, "Mr B Assoc", "associate"}, {2, "Coordinator", "coordinator"}}));
  auto c = p.store->contacts().value();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].user, 2);
  EXPECT_EQ(c[1].display_name, "Mr B Assoc");
  ASSERT_TRUE(p.store->save_contacts({{9, "New", "associate"}}));
  p.reopen();
  c = p.store->contacts().value();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].user, 9);
  EXPECT_EQ(c[0].role, "associate");
}

TEST(ClientSettings, NamedValuesOverwrite) {
  profile p;
  EXPECT_FALSE(p.store->get("inbox_position").value());
  ASSERT_TRUE(p.store->put("inbox_position", "12"));
  ASSERT_TRUE(p.store->put("inbox_position", "15"));
  p.reopen();
  EXPECT_EQ(p.store->get("inbox_position").value(), "15");
}

}  // namespace
}  // namespace confidant::client
