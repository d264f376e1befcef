// confidantd's TOML configuration (daemon::parse_config): any text is either a configuration
// whose values are inside their documented ranges or a list of "FILE:LINE:COLUMN: what" errors.
#include "server/daemon/config.hpp"
#include "server/net/origin.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "config_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  const auto parsed = confidant::daemon::parse_config(text, "fuzz.toml", "/srv/confidant");
  if (!parsed) {
    check(!parsed.error().empty(), "refused without an error");
    for (const auto& e : parsed.error()) check(e.starts_with("fuzz.toml:") && e.size() > 10, "an error without its position");
    return 0;
  }
  const auto& c = *parsed;
  check(c.threads >= 1 && c.threads <= 64, "server.threads out of range");
  check(c.net.max_frame_bytes >= 1024 && c.net.max_frame_bytes <= 16u * 1024 * 1024, "max_frame_bytes out of range");
  check(c.net.max_outgoing_frames >= 8, "max_outgoing_frames out of range");
  check(c.net.handshake_timeout.count() >= 1 && c.net.idle_timeout.count() >= 5, "timeouts out of range");
  check(c.messaging.send.refill_every.count() >= 1, "send refill below 1 ms");
  check(!c.tenant_name.empty() && c.tenant_name.size() <= 120, "tenant.name out of range");
  check(c.data_dir.is_absolute() && c.key_file.is_absolute(), "a relative path survived resolution");
  check(c.net.tls || c.net.listen.address().is_loopback() || c.allow_plain_remote, "plain WebSocket off loopback");
  for (const auto& o : c.net.allowed_origins) {
    check(confidant::net::normalize_origin(o) == o, "an allowed origin not in its normal form");
  }
  return 0;
}
