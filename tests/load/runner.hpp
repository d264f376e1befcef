#pragma once

// One load run against one target, phase by phase (docs/benchmarks.md has the method):
//   Confidant: start confidantd, register a coordinator from `confidantd invite`, invite and
//   register every client, pair them, restart the server (a fresh process for the memory
//   figures), log every client in (RSS before and after: bytes per idle authenticated
//   connection), warm up each pair's session, then send for the run's duration or message
//   bound, then drain.
//   Relay: start ws_relay, connect the same pairs, send and drain the same way.
//   Prosody: start it, connect the same pairs over XMPP, send and drain the same way
//   (tests/load/prosody_run.hpp).

#include "tests/load/confidant_client.hpp"
#include "tests/load/metrics.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace confidant::load {

struct run_options {
  std::string target = "confidant";  // "confidant", "relay" or "prosody"
  std::size_t connections = 100;     // messaging clients (even: pairs)
  std::size_t idle_extra = 0;        // more logged-in clients that only hold a connection
  std::size_t message_bytes = 256;
  double duration_s = 10;
  std::int64_t max_messages = 1'000'000;  // bound on measured sends
  double rate = 0;                   // offered msgs/s over all clients; 0: as fast as the window allows
  unsigned window = 16;              // outstanding sends per client
  unsigned threads = 1;              // generator threads
  unsigned server_threads = 2;
  unsigned verify_stamp_every = 16;
  unsigned ack_batch = 16;
  unsigned ack_delay_us = 2000;
  double setup_timeout_s = 300;
  double drain_timeout_s = 30;
  // The server's clock starts here (inside the demo calendar's contact window: a term-time
  // Tuesday, 10:00 London), empty for the real clock (messages outside the window are held).
  std::string server_clock = "2026-11-24T10:00:00.000Z";
  // History (Confidant only): before the measured run, `history` messages are sent to users who
  // narrowed their window to Mondays, so they stay held in the database through the run; and
  // `release` more to users whose window is Fridays. After the run the server restarts with its
  // clock `release_lead_s` before that Friday window opens, the recipients log in, and the time
  // from the opening to the last released message decrypted is measured. Both need the default
  // clock's weekday (a Tuesday): any history message answered other than `held` fails the run.
  std::uint64_t history = 0;
  std::uint64_t release = 0;
  std::size_t holding_pairs = 10;  // sender/recipient pairs over which each of the two is spread
  unsigned preload_window = 64;    // history sends in flight per sender
  double release_lead_s = 10;
  double release_timeout_s = 300;
  std::filesystem::path confidantd;
  std::filesystem::path relay;
  std::filesystem::path prosody;
  std::filesystem::path work_dir;
  bool quiet = false;
};

struct run_result {
  run_options opts;
  double measured_s = 0;
  std::uint64_t sent = 0, accepted = 0, delivered = 0, failed = 0;        // in the measured window
  std::uint64_t accepted_total = 0, delivered_total = 0, unanswered = 0;  // after the drain
  double accepted_per_s = 0, delivered_per_s = 0;
  merged latency;
  double server_cpu_s = 0, server_cpu_per_1000 = 0, server_cores = 0;
  std::int64_t server_rss_start_kib = 0, server_rss_end_kib = 0, server_threads_seen = 0;
  std::int64_t idle_base_kib = 0, idle_loaded_kib = 0;
  std::size_t idle_measured = 0;
  double rss_per_idle_connection_bytes = 0;
  double gen_cpu_s = 0, gen_cores = 0, gen_cpu_per_1000 = 0;
  double setup_s = 0;
  std::uint64_t acks_sent = 0;
  std::map<std::string, std::string> server_config;
  std::string clock_method;
  std::uint64_t held = 0;  // sends answered `held: true` (should be 0: the clock is in the window)
  // History (run_options::history, release).
  std::uint64_t preloaded = 0;    // history messages answered `held: true`
  double preload_s = 0, preload_per_s = 0;
  double database_mib = 0;        // the data folder after the preload
  std::uint64_t released = 0;     // released messages decrypted after the window opened
  double restart_s = 0;           // spawn to listening, on the full database
  double release_first_s = 0, release_last_s = 0;  // window opening to the first / last released message
  double release_cpu_per_1000 = 0;                 // server CPU s per 1,000 released (login to the last)
};

[[nodiscard]] run_result run_load(const run_options& o);

}  // namespace confidant::load
