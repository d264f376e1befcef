#pragma once

// The request handlers of protocol.md section 7, one function per request type. Each runs on
// the connection's strand with fields not yet validated, and answers exactly once through the
// connection (possibly later, after a durable commit on the writer thread).

#include "schema/wire/envelope.hpp"
#include "server/service/backend.hpp"
#include "server/service/connection.hpp"

#include <memory>

namespace confidant::service {

using conn_ptr = std::shared_ptr<connection>;

// accounts.cpp
void on_register(backend& b, const conn_ptr& c, const wire::request& req);
void on_challenge(backend& b, const conn_ptr& c, const wire::request& req);
void on_login(backend& b, const conn_ptr& c, const wire::request& req);

// devices.cpp
void on_devices(backend& b, const conn_ptr& c, const wire::request& req);
void on_device_link(backend& b, const conn_ptr& c, const wire::request& req);
void on_device_remove(backend& b, const conn_ptr& c, const wire::request& req);
void on_prekeys_upload(backend& b, const conn_ptr& c, const wire::request& req);
void on_bundle(backend& b, const conn_ptr& c, const wire::request& req);

// coordination.cpp (pair_create: pairing.cpp)
void on_invite_create(backend& b, const conn_ptr& c, const wire::request& req);
void on_pair_create(backend& b, const conn_ptr& c, const wire::request& req);
void on_account_disable(backend& b, const conn_ptr& c, const wire::request& req);
void on_contacts(backend& b, const conn_ptr& c, const wire::request& req);

// messaging.cpp
void on_send(backend& b, const conn_ptr& c, const wire::request& req);
void on_ack(backend& b, const conn_ptr& c, const wire::request& req);

// meetings.cpp
void on_meeting_propose(backend& b, const conn_ptr& c, const wire::request& req);
void on_meeting_accept(backend& b, const conn_ptr& c, const wire::request& req);
void on_meeting_decline(backend& b, const conn_ptr& c, const wire::request& req);
void on_meeting_cancel(backend& b, const conn_ptr& c, const wire::request& req);
void on_meeting_reschedule(backend& b, const conn_ptr& c, const wire::request& req);
void on_meetings(backend& b, const conn_ptr& c, const wire::request& req);
void on_windows(backend& b, const conn_ptr& c, const wire::request& req);

// personal_windows.cpp
void on_window_set(backend& b, const conn_ptr& c, const wire::request& req);
void on_window_clear(backend& b, const conn_ptr& c, const wire::request& req);

// flags.cpp
void on_spoc_key_publish(backend& b, const conn_ptr& c, const wire::request& req);
void on_spoc_keys(backend& b, const conn_ptr& c, const wire::request& req);
void on_flag_raise(backend& b, const conn_ptr& c, const wire::request& req);
void on_flag_received(backend& b, const conn_ptr& c, const wire::request& req);
void on_flag_ack(backend& b, const conn_ptr& c, const wire::request& req);
void on_flag_note(backend& b, const conn_ptr& c, const wire::request& req);
void on_flag_resolve(backend& b, const conn_ptr& c, const wire::request& req);
void on_flag_hold(backend& b, const conn_ptr& c, const wire::request& req);
void on_flags(backend& b, const conn_ptr& c, const wire::request& req);
void on_flag_show(backend& b, const conn_ptr& c, const wire::request& req);

// associates.cpp
void on_profile_set(backend& b, const conn_ptr& c, const wire::request& req);
void on_profile(backend& b, const conn_ptr& c, const wire::request& req);
void on_associates(backend& b, const conn_ptr& c, const wire::request& req);
void on_associate_approve(backend& b, const conn_ptr& c, const wire::request& req);
void on_associate_suspend(backend& b, const conn_ptr& c, const wire::request& req);

// requests.cpp
void on_request_create(backend& b, const conn_ptr& c, const wire::request& req);
void on_request_withdraw(backend& b, const conn_ptr& c, const wire::request& req);
void on_offers(backend& b, const conn_ptr& c, const wire::request& req);
void on_prefer(backend& b, const conn_ptr& c, const wire::request& req);
void on_request_decline(backend& b, const conn_ptr& c, const wire::request& req);

// pairing.cpp
void on_pair(backend& b, const conn_ptr& c, const wire::request& req);

// cycles.cpp
void on_cycles(backend& b, const conn_ptr& c, const wire::request& req);
void on_cycle_show(backend& b, const conn_ptr& c, const wire::request& req);
void on_cycle_extend(backend& b, const conn_ptr& c, const wire::request& req);
void on_cycle_close(backend& b, const conn_ptr& c, const wire::request& req);
void on_end_request(backend& b, const conn_ptr& c, const wire::request& req);
void on_cycle_end(backend& b, const conn_ptr& c, const wire::request& req);

// feedback.cpp
void on_feedback_request(backend& b, const conn_ptr& c, const wire::request& req);
void on_feedback_submit(backend& b, const conn_ptr& c, const wire::request& req);
void on_feedback_release(backend& b, const conn_ptr& c, const wire::request& req);
void on_feedback(backend& b, const conn_ptr& c, const wire::request& req);

// notes.cpp
void on_note_write(backend& b, const conn_ptr& c, const wire::request& req);
void on_notes(backend& b, const conn_ptr& c, const wire::request& req);

// stats.cpp
void on_stats(backend& b, const conn_ptr& c, const wire::request& req);

}  // namespace confidant::service
