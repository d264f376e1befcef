#include "client/lib/request.hpp"

#include "client/lib/codec.hpp"

namespace confidant::client {

outcome<boost::json::object> request_ok(connection& conn, std::string_view type, boost::json::object fields,
                                        std::string_view what, boost::json::object& refusal_members) {
  refusal_members = {};
  auto r = conn.call(type, std::move(fields));
  if (!r) return r.error();
  if (r->type == "error") {
    for (const auto& [k, v] : r->fields)
      if (k != "code" && k != "message") refusal_members[k] = v;
    return codec::from_error_answer(*r, what);
  }
  if (r->type != "ok") return make_failure(errc::bad_answer, "the server's answer is malformed: expected ok or error");
  return std::move(r->fields);
}

}  // namespace confidant::client
