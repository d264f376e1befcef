#include "server/rules/relationships.hpp"

namespace confidant::rules {

namespace {

[[nodiscard]] constexpr bool headteacher_and_associate(role a, role b) noexcept {
  return (a == role::headteacher && b == role::associate) ||
         (a == role::associate && b == role::headteacher);
}

[[nodiscard]] constexpr contact_verdict verdict(bool ok) noexcept {
  return ok ? contact_verdict::allowed : contact_verdict::not_paired;
}

}  // namespace

contact_verdict may_contact(role sender, role recipient, bool paired, message_kind kind) noexcept {
  switch (kind) {
    case message_kind::flag: return verdict(recipient == role::spoc);
    case message_kind::notice: return verdict(sender == role::coordinator);
    case message_kind::message: break;
  }
  if (sender == role::coordinator || recipient == role::coordinator) return contact_verdict::allowed;
  if (recipient == role::spoc) return contact_verdict::not_paired;
  return verdict(paired && headteacher_and_associate(sender, recipient));
}

bool may_list_contact(role sender, role recipient, bool paired) noexcept {
  return may_contact(sender, recipient, paired, message_kind::message) == contact_verdict::allowed;
}

}  // namespace confidant::rules
