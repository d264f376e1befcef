// confidant-load: the load generator of issue 8. Parses the command line, runs the targets and
// prints the report (docs/benchmarks.md).
#include "tests/load/prosody_server.hpp"
#include "tests/load/report.hpp"
#include "tests/load/runner.hpp"

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string_view>

#ifndef CONFIDANTD_PATH
#error "CONFIDANTD_PATH must name the confidantd binary"
#endif
#ifndef WS_RELAY_PATH
#error "WS_RELAY_PATH must name the ws_relay binary"
#endif

int main(int argc, char** argv) {
  namespace load = confidant::load;
  CLI::App app{"confidant-load: real E2E clients against confidantd on loopback, and the bare relay and Prosody beside it"};
  load::run_options o;
  o.confidantd = CONFIDANTD_PATH;
  o.relay = WS_RELAY_PATH;
  o.prosody = load::default_prosody_binary();
  std::string target = "both", json_file, work_dir;
  app.add_option("--target", target, "confidant, relay, prosody, both (confidant and relay) or all (the three; prosody when installed)")
      ->check(CLI::IsMember({"confidant", "relay", "prosody", "both", "all"}))
      ->capture_default_str();
  app.add_option("-n,--connections", o.connections, "messaging clients (even: headteacher/associate pairs)")->capture_default_str();
  app.add_option("--idle", o.idle_extra, "more logged-in clients that only hold their connection")->capture_default_str();
  app.add_option("-s,--size", o.message_bytes, "message text size in bytes (1 to 16384)")->check(CLI::Range(1, 16384))->capture_default_str();
  app.add_option("-d,--duration", o.duration_s, "seconds of measured sending")->capture_default_str();
  app.add_option("-m,--messages", o.max_messages, "at most this many measured sends (0: no bound)")->capture_default_str();
  app.add_option("-r,--rate", o.rate, "offered msgs/s over all clients (0: as fast as the window allows)")->capture_default_str();
  app.add_option("-w,--window", o.window, "outstanding sends per client")->capture_default_str();
  app.add_option("-t,--threads", o.threads, "generator threads")->capture_default_str();
  app.add_option("--server-threads", o.server_threads, "server I/O threads (confidantd server.threads, relay threads)")->capture_default_str();
  app.add_option("--verify-stamps-every", o.verify_stamp_every, "verify the server's stamp on every Nth message (1: all, 0: none)")->capture_default_str();
  app.add_option("--ack-batch", o.ack_batch, "acknowledge after this many messages...")->capture_default_str();
  app.add_option("--ack-delay-us", o.ack_delay_us, "...or this long after the first unacknowledged one")->capture_default_str();
  app.add_option("--drain-timeout", o.drain_timeout_s, "seconds to wait for answers after sending stops")->capture_default_str();
  app.add_option("--server-clock", o.server_clock, "UTC instant confidantd's clock starts from (inside the contact window); \"\" for the real clock")->capture_default_str();
  app.add_option("--history", o.history, "held messages in the database through the run (Confidant; default clock)")->capture_default_str();
  app.add_option("--release", o.release, "more held messages, released and timed after the run when their window opens")->capture_default_str();
  app.add_option("--holding-pairs", o.holding_pairs, "pairs that send the --history (and as many the --release) messages")->check(CLI::Range(1, 1000))->capture_default_str();
  app.add_option("--release-lead", o.release_lead_s, "seconds between the restart and the release window's opening")->check(CLI::Range(2.0, 600.0))->capture_default_str();
  app.add_option("--confidantd", o.confidantd, "the confidantd binary")->capture_default_str();
  app.add_option("--relay", o.relay, "the ws_relay binary")->capture_default_str();
  app.add_option("--prosody", o.prosody, "the prosody binary (Debian package `prosody`)")->capture_default_str();
  app.add_option("--work-dir", work_dir, "folder for the servers' data and logs (default: a new folder under $TMPDIR)");
  app.add_option("--json", json_file, "write the JSON report here (\"-\": standard output)");
  app.add_flag("-q,--quiet", o.quiet, "no progress lines");
  CLI11_PARSE(app, argc, argv);

  // 1,000+ connections on each side: lift the soft open-file limit to the hard one.
  rlimit nofile{};
  if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &nofile);
  }

  std::vector<std::string> targets{target};
  if (target == "both") targets = {"confidant", "relay"};
  if (target == "all") targets = {"confidant", "relay", "prosody"};
  std::string skipped;
  if (targets.back() == "prosody" && !load::is_executable(o.prosody)) {
    const auto missing = o.prosody.string() + " is not installed (apt-get install prosody, or --prosody PATH)";
    if (target != "all") {
      std::fprintf(stderr, "confidant-load: %s\n", missing.c_str());
      return 2;
    }
    targets.pop_back();
    skipped = "prosody: skipped, " + missing;
  }

  const bool temporary = work_dir.empty();
  if (temporary) {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp ? tmp : "/tmp") + "/confidant-load-XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    work_dir = templ;
  }

  std::vector<load::run_result> runs;
  int status = 0;
  try {
    for (const auto& t : targets) {
      auto opts = o;
      opts.target = t;
      opts.work_dir = std::filesystem::path(work_dir) / t;
      runs.push_back(load::run_load(opts));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "confidant-load: %s (logs in %s)\n", e.what(), work_dir.c_str());
    return 1;
  }
  std::cout << load::report_table(runs);
  auto report = load::report_json(runs);
  if (!skipped.empty()) {
    std::cout << skipped << "\n";
    report["skipped"] = skipped;
  }
  const auto doc = boost::json::serialize(report);
  if (json_file == "-") {
    std::cout << doc << "\n";
  } else if (!json_file.empty()) {
    std::ofstream(json_file) << doc << "\n";
  }
  // CONFIDANT_KEEP_TEST_FILES=1 keeps the servers' files for the whole-suite secret sweep.
  const char* keep = std::getenv("CONFIDANT_KEEP_TEST_FILES");
  if (temporary && !(keep && std::string_view{keep} == "1")) {
    std::error_code ec;
    std::filesystem::remove_all(work_dir, ec);
  }
  return status;
}
