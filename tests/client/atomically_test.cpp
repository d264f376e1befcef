// local_store::atomically: everything inside commits together or not at all, the crypto
// stores' writes included, on disk as well as in the open connection.
#include "tests/client/support.hpp"

#include "server/store/error.hpp"

#include <stdexcept>

namespace confidant::client {
namespace {

using namespace client::test;

const crypto::device_address bob{"5", 1};
const crypto::bytes old_record{1, 1, 1};
const crypto::bytes new_record{2, 2, 2, 2};

history_entry message(std::int64_t server_id, std::string text) {
  history_entry e;
  e.peer = 5;
  e.from_device = 1;
  e.message_id = message_id(static_cast<unsigned char>(server_id));
  e.server_id = server_id;
  e.text = std::move(text);
  return e;
}

TEST(ClientAtomically, CommitsTheSessionAndTheMessageTogether) {
  profile p;
  ASSERT_TRUE(p.store->sessions().store_session(bob, old_record));
  auto r = p.store->atomically([&]() -> store_result<void> {
    if (auto s = p.store->sessions().store_session(bob, new_record); !s) return s.error();
    if (auto m = p.store->add_incoming(message(41, "kept")); !m) return m.error();
    return p.store->put("inbox_position", "1");
  });
  ASSERT_TRUE(r) << r.error().message();
  p.reopen();
  EXPECT_EQ(p.store->sessions().load_session(bob).value(), new_record);
  EXPECT_EQ(p.store->history(5, 10).value().size(), 1u);
  EXPECT_TRUE(p.store->seen_server_id(41).value());
  EXPECT_EQ(p.store->get("inbox_position").value(), "1");
}

TEST(ClientAtomically, AFailureInsideRollsBackEveryWrite) {
  profile p;
  ASSERT_TRUE(p.store->sessions().store_session(bob, old_record));
  auto r = p.store->atomically([&]() -> store_result<void> {
    if (auto s = p.store->sessions().store_session(bob, new_record); !s) return s.error();
    if (auto m = p.store->add_incoming(message(41, "lost")); !m) return m.error();
    if (auto o = p.store->outbox_add({message_id(50), 5, "lost too", 1}); !o) return o.error();
    // Inside the transaction, the writes are visible to the store's own reads.
    EXPECT_EQ(p.store->sessions().load_session(bob).value(), new_record);
    return store_errc::corrupt;  // e.g. the franking check failed after decryption
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), store_errc::corrupt);
  EXPECT_EQ(p.store->sessions().load_session(bob).value(), old_record);
  EXPECT_TRUE(p.store->history(5, 10).value().empty());
  EXPECT_FALSE(p.store->seen_server_id(41).value());
  EXPECT_TRUE(p.store->outbox().value().empty());

  // The store is usable afterwards, and nothing of the failed transaction reached the disk.
  ASSERT_TRUE(p.store->add_incoming(message(42, "after")).value());
  p.reopen();
  EXPECT_EQ(p.store->sessions().load_session(bob).value(), old_record);
  const auto h = p.store->history(5, 10).value();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].text, "after");
}

TEST(ClientAtomically, AnExceptionInsideRollsBackToo) {
  profile p;
  EXPECT_THROW((void)p.store->atomically([&]() -> store_result<void> {
    EXPECT_TRUE(p.store->sessions().store_session(bob, new_record));
    EXPECT_TRUE(p.store->add_incoming(message(41, "lost")));
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_FALSE(p.store->sessions().load_session(bob).value().has_value());
  EXPECT_TRUE(p.store->history(5, 10).value().empty());
  ASSERT_TRUE(p.store->put("k", "v"));  // a fresh transaction starts cleanly
  EXPECT_EQ(p.store->get("k").value(), "v");
}

TEST(ClientAtomically, AFailedStepInsideUndoesOnlyItselfWhenTheCallerGoesOn) {
  profile p;
  ASSERT_TRUE(p.store->outbox_add({message_id(50), 5, "queued", 1}));
  auto r = p.store->atomically([&]() -> store_result<void> {
    if (auto s = p.store->sessions().store_session(bob, new_record); !s) return s.error();
    // A duplicate id fails on its own savepoint; the caller decides to carry on.
    EXPECT_EQ(p.store->outbox_add({message_id(50), 5, "duplicate", 2}).error(), store::errc::constraint);
    EXPECT_EQ(p.store->mark_accepted(message_id(77), 1, 1).error(), store_errc::not_found);
    return p.store->put("k", "v");
  });
  ASSERT_TRUE(r) << r.error().message();
  p.reopen();
  EXPECT_EQ(p.store->sessions().load_session(bob).value(), new_record);
  EXPECT_EQ(p.store->get("k").value(), "v");
  const auto box = p.store->outbox().value();
  ASSERT_EQ(box.size(), 1u);
  EXPECT_EQ(box[0].text, "queued");
}

TEST(ClientAtomically, NestedCallsJoinTheOuterTransaction) {
  profile p;
  auto r = p.store->atomically([&]() -> store_result<void> {
    if (auto inner = p.store->atomically([&] { return p.store->put("inner", "1"); }); !inner) return inner;
    if (auto s = p.store->sessions().store_session(bob, new_record); !s) return s.error();
    return store_errc::io_error;
  });
  EXPECT_EQ(r.error(), store_errc::io_error);
  EXPECT_FALSE(p.store->get("inner").value());  // committed inside, rolled back with the outer one
  EXPECT_FALSE(p.store->sessions().load_session(bob).value().has_value());
}

}  // namespace
}  // namespace confidant::client
