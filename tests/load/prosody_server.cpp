#include "tests/load/prosody_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <thread>

namespace confidant::load {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

const auto loopback = asio::ip::make_address_v4("127.0.0.1");

// A port nothing listens on now: bind port 0, read it, close. Another process may take it before
// Prosody binds it; start() then tries another.
unsigned short free_port() {
  asio::io_context ioc;
  tcp::acceptor a(ioc, tcp::endpoint{loopback, 0});
  return a.local_endpoint().port();
}

bool accepts(unsigned short port) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  boost::system::error_code ec;
  s.connect(tcp::endpoint{loopback, port}, ec);
  return !ec;
}

// A Lua long string: any path, no escaping.
std::string lua_string(const std::filesystem::path& p) { return "[==[" + p.string() + "]==]"; }

}  // namespace

bool is_executable(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

std::filesystem::path default_prosody_binary() {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const auto candidate = std::filesystem::path(dirs.substr(0, colon)) / "prosody";
    if (colon != 0 && is_executable(candidate)) return candidate;
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
  }
  return "/usr/bin/prosody";
}

prosody_server::prosody_server(std::filesystem::path binary, std::filesystem::path dir)
    : binary_(std::move(binary)), dir_(std::move(dir)) {
  settings_ = {
      {"authentication", "SASL ANONYMOUS"},
      {"tls", "off (mod_tls not loaded, c2s_require_encryption = false)"},
      {"compression", "off (Prosody 0.12 has none)"},
      {"s2s", "off (mod_s2s disabled)"},
      {"stream_management", "XEP-0198 (mod_smacks), default queue of 500"},
      {"rate_limits", "none (mod_limits not loaded)"},
      {"threads", "1 (Prosody runs one Lua thread)"},
      {"tcp_nodelay", "off (Prosody's default, Nagle on; its faster setting here)"},
  };
}

void prosody_server::write_config(unsigned short port) const {
  std::ofstream f(dir_ / "prosody.cfg.lua");
  f << "-- Written by confidant-load for one comparison run (docs/benchmarks.md).\n"
       "-- Prosody refuses to start as root unless told; the generator may run as root in a container.\n"
       "run_as_root = true\n"
       "pidfile = " << lua_string(dir_ / "prosody.pid") << "\n"
       "data_path = " << lua_string(dir_ / "data") << "\n"
       "-- Empty: no TLS; set so that Prosody does not look in /etc/prosody/certs.\n"
       "certificates = " << lua_string(dir_ / "certs") << "\n"
       "-- Standard output, which the generator reads for the port.\n"
       "log = { info = \"*console\" }\n"
       "-- network_settings stay at their defaults, Nagle on: confidantd and the relay set TCP_NODELAY,\n"
       "-- but Prosody relayed 15-55 % more with Nagle than without here (docs/benchmarks.md).\n"
       "interfaces = { \"127.0.0.1\" }\n"
       "c2s_ports = { " << port << " }\n"
       "c2s_direct_tls_ports = { }\n"
       "legacy_ssl_ports = { }\n"
       "-- Only what the clients use on top of what Prosody always loads (c2s, message, iq, presence).\n"
       "-- Not loaded: mod_tls (no TLS), mod_limits (no rate limits), mod_roster, mod_carbons, mod_mam.\n"
       "modules_enabled = { \"saslauth\", \"smacks\" }\n"
       "-- No server-to-server; no offline storage (every recipient is online, and anonymous accounts\n"
       "-- have none anyway).\n"
       "modules_disabled = { \"s2s\", \"s2s_auth_certs\", \"offline\" }\n"
       "c2s_require_encryption = false\n"
       "authentication = \"anonymous\"\n"
       "-- smacks_max_queue_size stays at its default (500 unacknowledged stanzas per session): the\n"
       "-- clients answer every <r/> at once, and Prosody allocates the whole queue per session.\n"
       "VirtualHost \"" << domain << "\"\n";
  if (!f) throw std::runtime_error("cannot write " + (dir_ / "prosody.cfg.lua").string());
}

bool prosody_server::wait_listening(unsigned short port) {
  const auto listening = "Activated service 'c2s' on [127.0.0.1]:" + std::to_string(port);
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto printed = read_file(dir_ / "prosody.out");
    if (printed.find(listening) != std::string::npos) return true;
    if (printed.find("Failed to open server port") != std::string::npos || !process_.running()) return false;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

unsigned short prosody_server::start() {
  std::filesystem::create_directories(dir_ / "data");
  std::filesystem::create_directories(dir_ / "certs");
  for (int attempt = 0; attempt < 5; ++attempt) {
    const auto port = free_port();
    write_config(port);
    // -F: in the foreground, the generator's child (0.12 deprecates `daemonize` in the file).
    process_.start({binary_.string(), "-F", "--config", (dir_ / "prosody.cfg.lua").string()}, dir_ / "prosody.out");
    if (wait_listening(port) && accepts(port)) {
      const auto printed = read_file(dir_ / "prosody.out");
      const auto at = printed.find("Prosody version ");
      if (at != std::string::npos) settings_["version"] = printed.substr(at + 16, printed.find('\n', at) - at - 16);
      settings_["listen"] = "127.0.0.1:" + std::to_string(port) + ", plain TCP";
      return port;
    }
    process_.stop();
  }
  throw std::runtime_error("prosody did not start (see " + (dir_ / "prosody.out").string() + ")");
}

}  // namespace confidant::load
