#include "server/service/audit.hpp"

#include "server/rules/time_format.hpp"

#include <boost/json/serialize.hpp>

namespace confidant::service {

std::string user_actor(std::int64_t user) { return "user:" + std::to_string(user); }

std::string object_name(std::string_view kind, std::int64_t id) {
  return std::string{kind} + ":" + std::to_string(id);
}

store::result<void> record(store::database& db, std::int64_t at_ms, std::string_view actor, std::string_view action,
                           std::string_view object, const boost::json::object& detail) {
  auto seq = store::append_audit(db, at_ms, actor, action, object, boost::json::serialize(detail));
  if (!seq) return seq.error();
  return {};
}

store::result<boost::json::array> audit_history(store::database& db, std::string_view object) {
  auto history = store::audit_of_object(db, object);
  if (!history) return history.error();
  boost::json::array entries;
  for (const auto& e : *history)
    entries.push_back(boost::json::object{{"at", rules::format_utc(rules::time_point{std::chrono::milliseconds{e.at_ms}})},
                                          {"action", e.action},
                                          {"actor", e.actor}});
  return entries;
}

}  // namespace confidant::service
