#include "server/rules/relationships.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <tuple>

namespace confidant::rules {
namespace {

constexpr auto H = role::headteacher;
constexpr auto A = role::associate;
constexpr auto C = role::coordinator;
constexpr auto S = role::spoc;
constexpr auto msg = message_kind::message;
constexpr auto flag = message_kind::flag;
constexpr auto notice = message_kind::notice;
constexpr auto ok = contact_verdict::allowed;
constexpr auto no = contact_verdict::not_paired;

struct expectation {
  role sender;
  role recipient;
  message_kind kind;
  contact_verdict unpaired;  // paired == false
  contact_verdict paired;    // paired == true
};

// docs/protocol.md 7.12, written out by hand for every sender, recipient and kind (48 rows, two
// verdicts each: all 96 cases). Not derived from the implementation's logic.
constexpr std::array<expectation, 48> table{{
    // headteacher -> ...
    {H, H, msg, no, no},    {H, H, flag, no, no},  {H, H, notice, no, no},
    {H, A, msg, no, ok},    {H, A, flag, no, no},  {H, A, notice, no, no},
    {H, C, msg, ok, ok},    {H, C, flag, no, no},  {H, C, notice, no, no},
    {H, S, msg, no, no},    {H, S, flag, ok, ok},  {H, S, notice, no, no},
    // associate -> ...
    {A, H, msg, no, ok},    {A, H, flag, no, no},  {A, H, notice, no, no},
    {A, A, msg, no, no},    {A, A, flag, no, no},  {A, A, notice, no, no},
    {A, C, msg, ok, ok},    {A, C, flag, no, no},  {A, C, notice, no, no},
    {A, S, msg, no, no},    {A, S, flag, ok, ok},  {A, S, notice, no, no},
    // coordinator -> ... (to anyone, a spoc included; notices are theirs alone)
    {C, H, msg, ok, ok},    {C, H, flag, no, no},  {C, H, notice, ok, ok},
    {C, A, msg, ok, ok},    {C, A, flag, no, no},  {C, A, notice, ok, ok},
    {C, C, msg, ok, ok},    {C, C, flag, no, no},  {C, C, notice, ok, ok},
    {C, S, msg, ok, ok},    {C, S, flag, ok, ok},  {C, S, notice, ok, ok},
    // spoc -> ... (only to a coordinator, or a flag to another spoc)
    {S, H, msg, no, no},    {S, H, flag, no, no},  {S, H, notice, no, no},
    {S, A, msg, no, no},    {S, A, flag, no, no},  {S, A, notice, no, no},
    {S, C, msg, ok, ok},    {S, C, flag, no, no},  {S, C, notice, no, no},
    {S, S, msg, no, no},    {S, S, flag, ok, ok},  {S, S, notice, no, no},
}};

TEST(Relationships, TableCoversEveryCaseOnce) {
  std::set<std::tuple<role, role, message_kind>> seen;
  for (const auto& e : table) EXPECT_TRUE(seen.emplace(e.sender, e.recipient, e.kind).second);
  EXPECT_EQ(seen.size(), 4u * 4u * 3u);
}

TEST(Relationships, EveryRoleRolePairingAndKind) {
  for (const auto& e : table) {
    SCOPED_TRACE(std::string{name(e.sender)} + " -> " + std::string{name(e.recipient)} + " kind " +
                 std::to_string(static_cast<int>(e.kind)));
    EXPECT_EQ(may_contact(e.sender, e.recipient, false, e.kind), e.unpaired);
    EXPECT_EQ(may_contact(e.sender, e.recipient, true, e.kind), e.paired);
  }
}

TEST(Relationships, ContactsListWhoMayReceiveAnOrdinaryMessage) {
  for (const auto& e : table) {
    if (e.kind != msg) continue;
    SCOPED_TRACE(std::string{name(e.sender)} + " -> " + std::string{name(e.recipient)});
    EXPECT_EQ(may_list_contact(e.sender, e.recipient, false), e.unpaired == ok);
    EXPECT_EQ(may_list_contact(e.sender, e.recipient, true), e.paired == ok);
  }
  // The headline cases, spelled out.
  EXPECT_TRUE(may_list_contact(H, A, true));
  EXPECT_FALSE(may_list_contact(H, A, false));
  EXPECT_FALSE(may_list_contact(H, S, true));  // flags go to the SPOC, but the SPOC is no contact
  EXPECT_TRUE(may_list_contact(S, C, false));
  EXPECT_FALSE(may_list_contact(S, H, true));
}

}  // namespace
}  // namespace confidant::rules
