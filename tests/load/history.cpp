#include "tests/load/history.hpp"

#include "tests/load/process.hpp"

#include <boost/asio/post.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace confidant::load {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr int history_weekday = 1;  // Monday: after the release day, so held through it
constexpr int release_weekday = 5;  // Friday

double folder_mib(const std::filesystem::path& dir) {
  std::uintmax_t bytes = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) bytes += e.file_size(ec);
  return static_cast<double>(bytes) / (1024.0 * 1024.0);
}

double seconds_between(std::int64_t from_ns, std::int64_t to_ns) { return static_cast<double>(to_ns - from_ns) / 1e9; }

}  // namespace

client_layout::client_layout(const run_options& o)
    : measured(o.connections), idle(o.idle_extra), history_first(o.connections + o.idle_extra) {
  holding_pairs = (o.history > 0 || o.release > 0) ? std::max<std::size_t>(1, o.holding_pairs) : 0;
  release_first = history_first + (o.history > 0 ? 2 * holding_pairs : 0);
  total = release_first + (o.release > 0 ? 2 * holding_pairs : 0);
}

bool client_layout::headteacher(std::size_t i) const {
  if (i < measured) return i % 2 == 0;
  if (i < history_first) return true;
  return (i - history_first) % 2 == 0;
}

std::vector<std::size_t> client_layout::paired() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < total; ++i)
    if (i < measured || i >= history_first) out.push_back(i);
  return out;
}

std::vector<std::size_t> client_layout::holding_recipients(std::size_t first) const {
  std::vector<std::size_t> out;
  for (std::size_t i = first + 1; i < total; i += 2) out.push_back(i);
  return out;
}

void preload_history(run_result& r, counters& c, thread_pool& pool, client_list& clients, const client_layout& l,
                     const run_options& o) {
  if (l.holding_pairs == 0) return;
  const auto recipients = l.holding_recipients(l.history_first);
  c.new_phase();
  for (auto i : recipients)
    asio::post(pool.at(i).ioc, [&, i] { clients[i]->narrow_window(i < l.release_first ? history_weekday : release_weekday); });
  wait_count(c, recipients.size(), o.setup_timeout_s, "narrowing the holding recipients' windows");

  say(o, "sending " + std::to_string(o.history) + " held history and " + std::to_string(o.release) + " held release messages");
  c.new_phase();
  const auto t0 = steady::now();
  auto spread = [&](std::uint64_t n, std::size_t k) { return n / l.holding_pairs + (k < n % l.holding_pairs ? 1 : 0); };
  for (std::size_t k = 0; k < recipients.size(); ++k) {
    const std::size_t sender = recipients[k] - 1;
    const auto n = spread(sender < l.release_first ? o.history : o.release, k % l.holding_pairs);
    asio::post(pool.at(sender).ioc, [&, sender, n] { clients[sender]->preload(n, o.preload_window); });
  }
  wait_count(c, recipients.size(), std::max(o.setup_timeout_s, 3600.0), "sending the held history");
  r.preload_s = seconds_since(t0);
  r.preloaded = c.preloaded;
  r.preload_per_s = static_cast<double>(r.preloaded) / r.preload_s;
  r.database_mib = folder_mib(o.work_dir / "confidantd" / "data");
  char line[96];
  std::snprintf(line, sizeof line, "%llu held in %.1f s", static_cast<unsigned long long>(r.preloaded), r.preload_s);
  say(o, line);
}

void time_release(run_result& r, counters& c, thread_pool& pool, client_list& clients, const client_layout& l,
                  const run_options& o, confidant_server& server) {
  if (o.release == 0) return;
  const auto opens = clients[l.release_first]->held_until();
  if (opens.empty()) throw std::runtime_error("no release message was held");
  server.stop();
  const auto clock = utc_minus(opens, o.release_lead_s);
  server.set_clock(clock);
  const auto spawned = now_ns();
  const auto port = server.start();
  r.restart_s = seconds_between(spawned, now_ns());
  const auto window_opens = spawned + static_cast<std::int64_t>(o.release_lead_s * 1e9);
  say(o, "confidantd restarted with its clock at " + clock + "; the recipients log in");
  const auto target = target_for(port, "/v1/ws", "confidant.v1");
  const auto recipients = l.holding_recipients(l.release_first);
  c.new_phase();
  for (auto i : recipients) asio::post(pool.at(i).ioc, [&, i] { clients[i]->sign_in(target); });
  wait_count(c, recipients.size(), o.setup_timeout_s, "logging the release recipients in");
  if (now_ns() > window_opens) say(o, "warning: the recipients logged in after the window opened");

  const auto deadline = steady::now() + std::chrono::duration<double>(o.release_lead_s + o.release_timeout_s);
  const auto cpu0 = sample_process(server.pid()).value_or(proc_sample{});
  while (c.released < o.release && steady::now() < deadline) std::this_thread::sleep_for(5ms);
  const auto cpu1 = sample_process(server.pid()).value_or(proc_sample{});
  r.released = c.released;
  if (r.released > 0) {
    r.release_cpu_per_1000 = (cpu1.cpu_seconds - cpu0.cpu_seconds) * 1000.0 / static_cast<double>(r.released);
    r.release_first_s = seconds_between(window_opens, c.first_release_ns);
    r.release_last_s = seconds_between(window_opens, c.last_release_ns);
  }
  for (auto i : recipients) asio::post(pool.at(i).ioc, [&, i] { clients[i]->flush_acks(); });
  std::this_thread::sleep_for(300ms);
  for (auto i : recipients) asio::post(pool.at(i).ioc, [&, i] { clients[i]->close(); });
  std::this_thread::sleep_for(200ms);
}

std::string utc_minus(const std::string& iso, double seconds) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &y, &mo, &d, &h, &mi, &s, &ms) != 7)
    throw std::runtime_error("not a UTC time: " + iso);
  using namespace std::chrono;
  const auto date = sys_days{year{y} / month{static_cast<unsigned>(mo)} / std::chrono::day{static_cast<unsigned>(d)}};
  const auto t = date + hours{h} + minutes{mi} + std::chrono::seconds{s} + milliseconds{ms} -
                 duration_cast<milliseconds>(duration<double>(seconds));
  const auto dp = floor<days>(t);
  const year_month_day ymd{dp};
  const hh_mm_ss hms{t - dp};
  char out[32];
  std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return out;
}

}  // namespace confidant::load
