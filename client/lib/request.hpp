#pragma once

// One request whose answer is `ok` (its fields) or `error` (a failure that names what was being
// done, its code and message): what every typed call of the client library does.

#include "client/lib/connection.hpp"
#include "client/lib/failure.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace confidant::client {

// The error answer's members other than type, rid, code and message (next_opening, used, cap,
// policy, ...) go to `refusal_members`, for a caller that shows them; it is cleared first.
[[nodiscard]] outcome<boost::json::object> request_ok(connection& conn, std::string_view type,
                                                      boost::json::object fields, std::string_view what,
                                                      boost::json::object& refusal_members);

}  // namespace confidant::client
