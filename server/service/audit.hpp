#pragma once

// Audit entries from the service: who did what to which object, with metadata only (never
// content). Call inside the writer job of the action, so the entry commits with it.

#include "server/store/audit.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace confidant::service {

[[nodiscard]] std::string user_actor(std::int64_t user);
[[nodiscard]] std::string object_name(std::string_view kind, std::int64_t id);

[[nodiscard]] store::result<void> record(store::database& db, std::int64_t at_ms, std::string_view actor,
                                         std::string_view action, std::string_view object,
                                         const boost::json::object& detail = {});

// The entries of one object, `{"at", "action", "actor"}` in order (flag_show, cycle_show).
[[nodiscard]] store::result<boost::json::array> audit_history(store::database& db, std::string_view object);

}  // namespace confidant::service
