#include "server/daemon/config.hpp"

#include "server/net/origin.hpp"
#include "server/rules/time_format.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <sstream>

namespace confidant::daemon {
namespace {

// Walks a parsed TOML document and collects every problem with its position.
class validator {
 public:
  explicit validator(std::string source) : source_(std::move(source)) {}

  void error(const toml::source_region& where, const std::string& message) {
    errors_.push_back(fmt::format("{}:{}:{}: {}", source_, where.begin.line, where.begin.column, message));
  }

  // Reports any key of `t` not in `known`.
  void only(const toml::table& t, std::string_view prefix, std::initializer_list<std::string_view> known) {
    for (const auto& [key, node] : t) {
      if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
        error(node.source(), fmt::format("unknown key `{}{}`", prefix, key.str()));
      }
    }
  }

  const toml::table* table(const toml::table& t, std::string_view key, std::string_view prefix) {
    const auto* n = t.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) {
      error(n->source(), fmt::format("`{}{}` must be a table", prefix, key));
      return nullptr;
    }
    return n->as_table();
  }

  std::optional<std::string> text(const toml::table& t, std::string_view key, std::string_view prefix) {
    const auto* n = t.get(key);
    if (!n) return std::nullopt;
    if (const auto* s = n->as_string()) return s->get();
    error(n->source(), fmt::format("`{}{}` must be a string", prefix, key));
    return std::nullopt;
  }

  std::optional<bool> boolean(const toml::table& t, std::string_view key, std::string_view prefix) {
    const auto* n = t.get(key);
    if (!n) return std::nullopt;
    if (const auto* b = n->as_boolean()) return b->get();
    error(n->source(), fmt::format("`{}{}` must be true or false", prefix, key));
    return std::nullopt;
  }

  std::optional<std::int64_t> integer(const toml::table& t, std::string_view key, std::string_view prefix,
                                      std::int64_t min, std::int64_t max) {
    const auto* n = t.get(key);
    if (!n) return std::nullopt;
    const auto* i = n->as_integer();
    if (!i || i->get() < min || i->get() > max) {
      error(n->source(), fmt::format("`{}{}` must be an integer from {} to {}", prefix, key, min, max));
      return std::nullopt;
    }
    return i->get();
  }

  // An array of origins ("https://host[:port]"), each normalised (net::normalize_origin).
  std::optional<std::vector<std::string>> origins(const toml::table& t, std::string_view key, std::string_view prefix) {
    const auto* n = t.get(key);
    if (!n) return std::nullopt;
    const auto* array = n->as_array();
    if (!array) {
      error(n->source(), fmt::format("`{}{}` must be an array of strings", prefix, key));
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : *array) {
      const auto* s = item.as_string();
      auto origin = s ? net::normalize_origin(s->get()) : std::nullopt;
      if (!origin) {
        error(item.source(), fmt::format("`{}{}` entries must be origins like \"https://confidant.example.gov.uk\" or "
                                         "\"https://host:8443\": http or https, a host, an optional port, no path "
                                         "and no trailing slash",
                                         prefix, key));
        continue;
      }
      if (std::find(out.begin(), out.end(), *origin) == out.end()) out.push_back(std::move(*origin));
    }
    return out;
  }

  const toml::source_region& where(const toml::table& t, std::string_view key) { return t.get(key)->source(); }

  [[nodiscard]] config_errors take() { return std::move(errors_); }
  [[nodiscard]] bool ok() const { return errors_.empty(); }

 private:
  std::string source_;
  config_errors errors_;
};

// "host:port" or "[v6]:port".
std::optional<boost::asio::ip::tcp::endpoint> parse_endpoint(std::string_view s) {
  const auto colon = s.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto host = s.substr(0, colon);
  const auto port_text = s.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) return std::nullopt;
  boost::system::error_code aec;
  const auto addr = boost::asio::ip::make_address(std::string{host}, aec);
  if (aec) return std::nullopt;
  return boost::asio::ip::tcp::endpoint{addr, static_cast<unsigned short>(port)};
}

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
  const std::filesystem::path path{p};
  return path.is_absolute() ? path : base / path;
}

}  // namespace

config embedded_default() {
  config c;
  c.source = "embedded default";
  c.data_dir = "confidant-data";
  c.key_file = c.data_dir / "db.key";
  c.tenant_name = "Demo LA (embedded default)";
  c.policy = *rules::preset("la-peer-support");
  return c;
}

boost::system::result<config, config_errors> parse_config(std::string_view toml_text, std::string_view source_name,
                                                          const std::filesystem::path& base_dir) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return config_errors{fmt::format("{}:{}:{}: {}", source_name, b.line, b.column, e.description())};
  }

  validator v{std::string{source_name}};
  config c = embedded_default();
  c.source = std::string{source_name};
  c.data_dir = base_dir / "confidant-data";
  c.key_file.clear();
  v.only(root, "", {"server", "limits", "storage", "tenant", "policy", "safeguarding", "log", "testing"});

  if (const auto* s = v.table(root, "server", "")) {
    v.only(*s, "server.", {"listen", "threads", "allow_plain_remote", "allowed_origins", "tls"});
    if (auto listen = v.text(*s, "listen", "server.")) {
      if (auto ep = parse_endpoint(*listen)) {
        c.net.listen = *ep;
      } else {
        v.error(v.where(*s, "listen"), "`server.listen` must be ADDRESS:PORT, e.g. \"127.0.0.1:8080\" or \"[::1]:8080\"");
      }
    }
    if (auto t = v.integer(*s, "threads", "server.", 1, 64)) c.threads = static_cast<unsigned>(*t);
    if (auto a = v.boolean(*s, "allow_plain_remote", "server.")) c.allow_plain_remote = *a;
    if (auto origins = v.origins(*s, "allowed_origins", "server.")) c.net.allowed_origins = std::move(*origins);
    if (const auto* tls = v.table(*s, "tls", "server.")) {
      v.only(*tls, "server.tls.", {"certificate_chain", "private_key"});
      auto chain = v.text(*tls, "certificate_chain", "server.tls.");
      auto key = v.text(*tls, "private_key", "server.tls.");
      if (chain && key) {
        c.net.tls = net::tls_files{resolve(base_dir, *chain), resolve(base_dir, *key)};
      } else if (chain || key) {
        v.error(tls->source(), "`server.tls` needs both `certificate_chain` and `private_key`");
      }
    }
  }
  if (const auto* l = v.table(root, "limits", "")) {
    v.only(*l, "limits.",
           {"max_frame_bytes", "max_outgoing_frames", "max_connections", "handshake_timeout_seconds",
            "idle_timeout_seconds", "envelope_retention_days", "send_burst", "send_per_second",
            "login_failures_per_device", "login_refill_seconds_per_device", "login_failures_per_address",
            "login_refill_seconds_per_address", "flag_retention_days"});
    if (auto n = v.integer(*l, "max_frame_bytes", "limits.", 1024, 16 * 1024 * 1024))
      c.net.max_frame_bytes = static_cast<std::size_t>(*n);
    if (auto n = v.integer(*l, "max_outgoing_frames", "limits.", 8, 100'000))
      c.net.max_outgoing_frames = static_cast<std::size_t>(*n);
    if (auto n = v.integer(*l, "max_connections", "limits.", 1, 1'000'000))
      c.net.max_connections = static_cast<std::size_t>(*n);
    if (auto n = v.integer(*l, "handshake_timeout_seconds", "limits.", 1, 300))
      c.net.handshake_timeout = std::chrono::seconds{*n};
    if (auto n = v.integer(*l, "idle_timeout_seconds", "limits.", 5, 86'400))
      c.net.idle_timeout = std::chrono::seconds{*n};
    auto& m = c.messaging;
    if (auto n = v.integer(*l, "envelope_retention_days", "limits.", 1, 365)) m.envelope_retention = std::chrono::days{*n};
    if (auto n = v.integer(*l, "flag_retention_days", "limits.", 365, 36'500)) m.flag_retention = std::chrono::days{*n};
    if (auto n = v.integer(*l, "send_burst", "limits.", 1, 100'000)) m.send.capacity = *n;
    if (auto n = v.integer(*l, "send_per_second", "limits.", 1, 100'000))
      m.send.refill_every = std::max(std::chrono::milliseconds{1}, std::chrono::milliseconds{1000 / *n});
    if (auto n = v.integer(*l, "login_failures_per_device", "limits.", 1, 1000)) m.login_per_device.capacity = *n;
    if (auto n = v.integer(*l, "login_refill_seconds_per_device", "limits.", 1, 86'400))
      m.login_per_device.refill_every = std::chrono::seconds{*n};
    if (auto n = v.integer(*l, "login_failures_per_address", "limits.", 1, 100'000)) m.login_per_address.capacity = *n;
    if (auto n = v.integer(*l, "login_refill_seconds_per_address", "limits.", 1, 86'400))
      m.login_per_address.refill_every = std::chrono::seconds{*n};
  }
  if (const auto* st = v.table(root, "storage", "")) {
    v.only(*st, "storage.", {"data_dir", "key_file", "key_credential"});
    if (auto d = v.text(*st, "data_dir", "storage.")) c.data_dir = resolve(base_dir, *d);
    if (auto k = v.text(*st, "key_file", "storage.")) c.key_file = resolve(base_dir, *k);
    if (auto cred = v.text(*st, "key_credential", "storage.")) {
      const bool valid = !cred->empty() && cred->find('/') == std::string::npos && *cred != "." && *cred != "..";
      if (valid) {
        c.key_credential = *cred;
      } else {
        v.error(v.where(*st, "key_credential"), "`storage.key_credential` must be a credential name, not a path");
      }
    }
    if (st->contains("key_file") && st->contains("key_credential")) {
      v.error(st->source(), "set either `storage.key_file` or `storage.key_credential`, not both");
    }
  }
  if (c.key_file.empty()) c.key_file = c.data_dir / "db.key";
  if (const auto* t = v.table(root, "tenant", "")) {
    v.only(*t, "tenant.", {"name", "preset"});
    if (auto n = v.text(*t, "name", "tenant.")) {
      if (n->empty() || n->size() > 120) {
        v.error(v.where(*t, "name"), "`tenant.name` must be 1 to 120 characters");
      } else {
        c.tenant_name = *n;
      }
    }
    if (auto p = v.text(*t, "preset", "tenant.")) {
      if (auto pol = rules::preset(*p)) {
        c.policy = *pol;
      } else {
        std::string names;
        for (auto n : rules::preset_names()) names += (names.empty() ? "" : ", ") + std::string{n};
        v.error(v.where(*t, "preset"), fmt::format("`tenant.preset` must be one of: {}", names));
      }
    }
  }
  if (const auto* pt = v.table(root, "policy", "")) {
    v.only(*pt, "policy.", {"outside_window", "meeting_buffer_minutes", "reminder_minutes_before"});
    if (auto o = v.text(*pt, "outside_window", "policy.")) {
      if (*o == "hold" || *o == "reject") {
        c.policy.outside = *o == "hold" ? rules::policy::outside_window::hold : rules::policy::outside_window::reject;
      } else {
        v.error(v.where(*pt, "outside_window"), "`policy.outside_window` must be \"hold\" or \"reject\"");
      }
    }
    if (auto n = v.integer(*pt, "meeting_buffer_minutes", "policy.", 0, 240))
      c.policy.meeting_buffer = std::chrono::minutes{*n};
    if (auto n = v.integer(*pt, "reminder_minutes_before", "policy.", 15, 7 * 24 * 60))
      c.policy.meeting_reminder_lead = std::chrono::minutes{*n};
  }
  if (const auto* sg = v.table(root, "safeguarding", "")) {
    v.only(*sg, "safeguarding.", {"emergency_route", "ack_within_minutes", "escalate_every_minutes"});
    if (auto r = v.text(*sg, "emergency_route", "safeguarding.")) {
      if (r->empty() || r->size() > 1000) {
        v.error(v.where(*sg, "emergency_route"), "`safeguarding.emergency_route` must be 1 to 1000 characters");
      } else {
        c.emergency_route = *r;
      }
    }
    if (auto n = v.integer(*sg, "ack_within_minutes", "safeguarding.", 5, 7 * 24 * 60))
      c.policy.spoc_ack_deadline = std::chrono::minutes{*n};
    if (auto n = v.integer(*sg, "escalate_every_minutes", "safeguarding.", 5, 24 * 60))
      c.policy.spoc_escalation_interval = std::chrono::minutes{*n};
  }
  if (const auto* t = v.table(root, "testing", "")) {
    v.only(*t, "testing.", {"clock_start", "unsafe_no_sync"});
    if (auto u = v.boolean(*t, "unsafe_no_sync", "testing.")) c.unsafe_no_sync = *u;
    if (auto start = v.text(*t, "clock_start", "testing.")) {
      if (auto when = rules::parse_utc(*start)) {
        c.clock_start = *when;
      } else {
        v.error(v.where(*t, "clock_start"), "`testing.clock_start` must be a UTC time like \"2026-11-23T10:00:00.000Z\"");
      }
    }
  }
  if (const auto* lg = v.table(root, "log", "")) {
    v.only(*lg, "log.", {"level"});
    if (auto lvl = v.text(*lg, "level", "log.")) {
      static constexpr std::string_view levels[] = {"trace", "debug", "info", "warn", "error"};
      if (std::find(std::begin(levels), std::end(levels), *lvl) != std::end(levels)) {
        c.log_level = *lvl;
      } else {
        v.error(v.where(*lg, "level"), "`log.level` must be trace, debug, info, warn or error");
      }
    }
  }
  if ((c.clock_start || c.unsafe_no_sync) && !c.net.listen.address().is_loopback()) {
    const auto* t = root.get("testing");
    v.error(t ? t->source() : toml::source_region{}, "`[testing]` is for tests on a loopback address only");
  }
  // Plain WebSocket carries login challenges and ciphertext in the clear: loopback only, unless
  // the operator says a TLS proxy in front makes it safe.
  if (!c.net.tls && !c.net.listen.address().is_loopback() && !c.allow_plain_remote) {
    const auto* s = root.get("server");
    v.error(s ? s->source() : toml::source_region{},
            "`server.listen` is not a loopback address but no `server.tls` is configured: add TLS, or set "
            "`server.allow_plain_remote = true` if a TLS proxy on a private network is in front");
  }
  if (!v.ok()) return v.take();
  return c;
}

boost::system::result<config, config_errors> load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return config_errors{fmt::format("{}: cannot read the file", file.string())};
  std::stringstream buf;
  buf << in.rdbuf();
  const auto base = std::filesystem::absolute(file).parent_path();
  return parse_config(buf.str(), file.string(), base);
}

}  // namespace confidant::daemon
