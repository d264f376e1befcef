#pragma once

// The flag desk's work, shared by its source files (flag_desk*.cpp). Not a public header.

#include "client/lib/flag_desk.hpp"
#include "crypto/flag.hpp"

#include <memory>
#include <span>
#include <vector>

namespace confidant::client::desk {

// The calls on the messenger's logged-in connection, or errc::closed.
[[nodiscard]] outcome<flags::calls> calls(messenger& m);
[[nodiscard]] failure stored(const boost::system::error_code& ec, std::string_view what);

// --- keys (flag_desk_keys.cpp) ------------------------------------------------------------------
// Every sealing key this device keeps, to open flags and notes sealed to any of them.
[[nodiscard]] outcome<std::vector<std::unique_ptr<crypto::flag::spoc_device_key>>> kept_keys(messenger& m);
// Fetches spoc_keys and seals `body` once per SPOC device: each identity parsed and pinned on
// first use (a changed one refuses: errc::identity_changed), each certificate verified against it
// at the server's time. No SPOC device: errc::error_answer with server code no_spoc.
[[nodiscard]] outcome<std::vector<flags::sealed_copy>> seal_to_spocs(messenger& m, flags::calls& c,
                                                                   std::span<const std::uint8_t> body);
// The identity a SPOC device published (pinned), fetching spoc_keys once when it is not known.
[[nodiscard]] std::optional<crypto::identity_public> spoc_identity(messenger& m, std::int64_t user,
                                                                   std::int64_t device);

// --- receiving (flag_desk_receive.cpp) ---------------------------------------------------------------
[[nodiscard]] received_flag from_object(const flags::flag_object& f, std::int64_t now_ms);
// Opens f.sealed with the kept keys and fills in the body, the flagger, the quote verdicts and any
// mismatch with the server's metadata; on failure `opened` stays false and `problem` says why.
void open_copy(messenger& m, received_flag& f);
[[nodiscard]] flag_note_record open_note(messenger& m, const flags::note_copy& n);
[[nodiscard]] outcome<bool> handle_event(messenger& m, const wire::response& e);

// --- raising (flag_desk_raise.cpp) ----------------------------------------------------------------
// Seals and sends a stored pending flag (resealing on spoc_keys_changed) and records the answer.
[[nodiscard]] outcome<raise_result> send_raise(messenger& m, raised_flag& rec);

}  // namespace confidant::client::desk
