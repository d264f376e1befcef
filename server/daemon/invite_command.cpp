#include "server/daemon/commands.hpp"

#include "server/daemon/keys.hpp"
#include "server/rules/time_format.hpp"
#include "server/service/invites.hpp"
#include "server/service/system_clock.hpp"
#include "server/store/store.hpp"

#include <fmt/format.h>

#include <future>

namespace confidant::daemon {

int invite_command(const config& c, std::string_view role_name, std::string_view name, int days) {
  const auto role = rules::parse_role(role_name);
  if (!role) {
    fmt::print(stderr, "confidantd: --role must be headteacher, associate, coordinator or spoc\n");
    return exit_usage;
  }
  if (!rules::operator_may_invite(*role)) {
    fmt::print(stderr,
               "confidantd: on the server host only coordinators can be invited; a coordinator invites {}s "
               "from their client\n",
               rules::name(*role));
    return exit_usage;
  }
  if (!service::valid_display_name(name)) {
    fmt::print(stderr, "confidantd: --name must be 1 to 120 characters without control characters\n");
    return exit_usage;
  }
  if (days < 1 || days > service::max_invite_lifetime.count()) {
    fmt::print(stderr, "confidantd: --days must be from 1 to {}\n", service::max_invite_lifetime.count());
    return exit_usage;
  }
  auto key = load_key(c);
  if (!key) {
    fmt::print(stderr, "confidantd: {}\n", key_error(c, key.error()));
    return exit_failure;
  }
  service::system_clock clock{c.clock_start};
  const auto now = clock.now();
  auto opened = store::store::open(c.database_path(), std::move(*key), now.time_since_epoch().count());
  if (!opened) {
    fmt::print(stderr, "confidantd: {}: {}\n", c.database_path().string(), opened.error().message());
    return exit_failure;
  }
  std::promise<boost::system::result<service::issued_invite>> issued;
  service::issue_invite((*opened)->write(), *role, std::string{name}, std::nullopt, now, std::chrono::days{days},
                        [&issued](auto r) { issued.set_value(std::move(r)); });
  auto result = issued.get_future().get();
  (*opened)->close();
  if (!result) {
    fmt::print(stderr, "confidantd: could not store the invite: {}\n", result.error().message());
    return exit_failure;
  }
  fmt::print("invite for {} \"{}\"\n  code:    {}\n  expires: {}\n", rules::name(*role), name, result->code,
             rules::format_utc(result->expires_at));
  fmt::print("Give the code to them privately (it is shown only now; the server keeps only its hash).\n");
  fmt::print("They enter it in their Confidant client when it first registers their device.\n");
  return exit_ok;
}

}  // namespace confidant::daemon
