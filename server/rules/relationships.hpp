#pragma once

#include "server/rules/roles.hpp"

namespace confidant::rules {

// What is being sent (docs/protocol.md 7.12). Flags and notices arrive in a later revision; the
// rule already knows them so that the table is decided in one place.
enum class message_kind {
  message,  // an ordinary end-to-end encrypted message
  flag,     // a safeguarding flag: always to a SPOC, whatever the pairings
  notice,   // a programme notice: only from a coordinator
};

// The answer to "may this sender write to this recipient?". Every refusal is `not_paired` on the
// wire (7.12: "anyone else: never"), so there is one reason only.
enum class contact_verdict { allowed, not_paired };

// docs/protocol.md 7.12, decided in this order:
//   flag:    allowed exactly when the recipient is a spoc (any sender, pairing ignored); a flag
//            to anyone else is refused.
//   notice:  allowed exactly when the sender is a coordinator (to anyone).
//   message: a coordinator writes to anyone (a spoc too: the coordinator row comes before the
//            spoc row, and the spoc may write to the coordinator); anyone writes to a
//            coordinator; nobody else writes to a spoc; a headteacher and an associate write
//            to each other when `paired`; everything else is refused.
// `paired` means the two users are paired with each other (7.14); it is only read for a
// headteacher and an associate. A sender writing to themselves is the caller's check
// (`invalid_field`), not this one.
[[nodiscard]] contact_verdict may_contact(role sender, role recipient, bool paired,
                                          message_kind kind) noexcept;

// Whether `recipient` belongs in the sender's `contacts` answer (7.14): an ordinary message
// would be allowed.
[[nodiscard]] bool may_list_contact(role sender, role recipient, bool paired) noexcept;

}  // namespace confidant::rules
