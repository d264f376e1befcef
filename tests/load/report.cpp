#include "tests/load/report.hpp"

#include <boost/json/array.hpp>

#include <cstdio>
#include <sstream>

namespace confidant::load {
namespace json = boost::json;
namespace {

json::object latency(const latency_summary& l) {
  return {{"count", l.count}, {"p50_ms", l.p50_ms}, {"p99_ms", l.p99_ms}, {"p999_ms", l.p999_ms},
          {"max_ms", l.max_ms}, {"mean_ms", l.mean_ms}};
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

json::value history_json(const run_result& r) {
  if (r.opts.history == 0 && r.opts.release == 0) return nullptr;
  return json::object{{"held_through_run", r.opts.history},
                      {"released_after_run", r.opts.release},
                      {"holding_pairs", r.opts.holding_pairs},
                      {"preloaded", r.preloaded},
                      {"preload_s", r.preload_s},
                      {"preload_per_s", r.preload_per_s},
                      {"database_mib", r.database_mib},
                      {"released", r.released},
                      {"restart_s", r.restart_s},
                      {"release_first_s", r.release_first_s},
                      {"release_last_s", r.release_last_s},
                      {"release_server_cpu_s_per_1000", r.release_cpu_per_1000}};
}

}  // namespace

json::object to_json(const run_result& r) {
  const auto& o = r.opts;
  json::object params{{"connections", o.connections},
                      {"idle_extra", o.idle_extra},
                      {"message_bytes", o.message_bytes},
                      {"mode", o.rate > 0 ? "rate" : "window"},
                      {"offered_rate", o.rate},
                      {"window", o.window},
                      {"duration_s", o.duration_s},
                      {"max_messages", o.max_messages},
                      {"generator_threads", o.threads},
                      {"server_threads", o.server_threads},
                      {"verify_stamp_every", o.verify_stamp_every},
                      {"ack_batch", o.ack_batch},
                      {"ack_delay_us", o.ack_delay_us}};
  json::object config;
  for (const auto& [k, v] : r.server_config) config[k] = v;
  json::object errors;
  for (const auto& [k, v] : r.latency.errors) errors[k] = v;
  return {
      {"target", o.target},
      {"accepted_means", accepted_means(o.target)},
      {"params", std::move(params)},
      {"server_config", std::move(config)},
      {"server_clock", r.clock_method},
      {"held", r.held},
      {"setup_s", r.setup_s},
      {"measured_s", r.measured_s},
      {"sent", r.sent},
      {"accepted", r.accepted},
      {"delivered", r.delivered},
      {"failed", r.failed},
      {"accepted_total", r.accepted_total},
      {"delivered_total", r.delivered_total},
      {"unanswered", r.unanswered},
      {"acks_sent", r.acks_sent},
      {"accepted_per_s", r.accepted_per_s},
      {"delivered_per_s", r.delivered_per_s},
      {"latency", {{"send_to_accepted", latency(r.latency.accept)}, {"send_to_delivered", latency(r.latency.deliver)}}},
      {"server",
       {{"cpu_s", r.server_cpu_s},
        {"cpu_s_per_1000_msgs", r.server_cpu_per_1000},
        {"cores_busy", r.server_cores},
        {"threads", r.server_threads_seen},
        {"rss_kib_start", r.server_rss_start_kib},
        {"rss_kib_end", r.server_rss_end_kib},
        {"idle_rss_kib_base", r.idle_base_kib},
        {"idle_rss_kib_loaded", r.idle_loaded_kib},
        {"idle_connections_measured", r.idle_measured},
        {"rss_bytes_per_idle_connection", r.rss_per_idle_connection_bytes}}},
      {"generator", {{"cpu_s", r.gen_cpu_s}, {"cores_busy", r.gen_cores}, {"cpu_s_per_1000_msgs", r.gen_cpu_per_1000}}},
      {"errors", std::move(errors)},
      {"history", history_json(r)},
  };
}

namespace {

const run_result* find_run(const std::vector<run_result>& runs, std::string_view target) {
  for (const auto& x : runs)
    if (x.opts.target == target) return &x;
  return nullptr;
}

}  // namespace

std::string_view accepted_means(std::string_view target) {
  if (target == "confidant") return "ok after the group commit (durable)";
  if (target == "relay") return "the relay's ack frame (nothing stored)";
  if (target == "prosody") return "XEP-0198 <a h/>: routed to the recipient's session in memory (not durable)";
  return "";
}

std::optional<double> confidant_to_relay(const std::vector<run_result>& runs) {
  const auto* c = find_run(runs, "confidant");
  const auto* r = find_run(runs, "relay");
  if (!c || !r || r->delivered_per_s <= 0) return std::nullopt;
  return c->accepted_per_s / r->delivered_per_s;
}

std::optional<double> confidant_to_prosody(const std::vector<run_result>& runs) {
  const auto* c = find_run(runs, "confidant");
  const auto* p = find_run(runs, "prosody");
  if (!c || !p || p->accepted_per_s <= 0) return std::nullopt;
  return c->accepted_per_s / p->accepted_per_s;
}

json::object report_json(const std::vector<run_result>& runs) {
  json::array a;
  for (const auto& r : runs) a.push_back(to_json(r));
  json::object out{{"runs", std::move(a)}};
  if (auto ratio = confidant_to_relay(runs)) out["confidant_accepted_over_relay_relayed"] = *ratio;
  if (auto ratio = confidant_to_prosody(runs)) out["confidant_accepted_over_prosody_accepted"] = *ratio;
  return out;
}

std::string report_table(const std::vector<run_result>& runs) {
  std::ostringstream s;
  for (const auto& r : runs) {
    const auto& o = r.opts;
    s << "\n== " << o.target << ": " << o.connections << " connections";
    if (o.idle_extra) s << " (+" << o.idle_extra << " idle)";
    s << ", " << o.message_bytes << " B messages, "
      << (o.rate > 0 ? "offered " + fmt("%.0f", o.rate) + " msg/s" : "as fast as possible") << ", window "
      << o.window << ", " << fmt("%.1f", r.measured_s) << " s measured ==\n";
    s << "  accepted            " << fmt("%10.0f", r.accepted_per_s) << " msg/s  (" << r.accepted << " in the window, "
      << r.failed << " refused, " << r.unanswered << " unanswered at the end)\n";
    s << "    accepted means    " << accepted_means(o.target) << "\n";
    s << "  delivered           " << fmt("%10.0f", r.delivered_per_s) << " msg/s  (" << r.delivered << ")\n";
    s << "  latency (ms)              p50       p99     p99.9       max\n";
    for (auto [name, l] : {std::pair{"send->accepted ", &r.latency.accept}, std::pair{"send->delivered", &r.latency.deliver}})
      s << "  " << name << "   " << fmt("%9.2f", l->p50_ms) << " " << fmt("%9.2f", l->p99_ms) << " "
        << fmt("%9.2f", l->p999_ms) << " " << fmt("%9.2f", l->max_ms) << "\n";
    s << "  server CPU          " << fmt("%10.3f", r.server_cpu_per_1000) << " s per 1,000 msgs ("
      << fmt("%.2f", r.server_cores) << " cores busy)\n";
    s << "  generator CPU       " << fmt("%10.3f", r.gen_cpu_per_1000) << " s per 1,000 msgs ("
      << fmt("%.2f", r.gen_cores) << " cores busy)\n";
    s << "  server RSS          " << fmt("%10.1f", static_cast<double>(r.server_rss_end_kib) / 1024.0) << " MiB at the end ("
      << fmt("%.1f", static_cast<double>(r.server_rss_start_kib) / 1024.0) << " MiB when sending started)\n";
    s << "  RSS per idle conn.  " << fmt("%10.0f", r.rss_per_idle_connection_bytes) << " bytes (" << r.idle_measured
      << " authenticated idle connections, " << fmt("%.1f", static_cast<double>(r.idle_base_kib) / 1024.0) << " -> "
      << fmt("%.1f", static_cast<double>(r.idle_loaded_kib) / 1024.0) << " MiB)\n";
    s << "  errors              ";
    if (r.latency.errors.empty()) s << "none";
    for (const auto& [k, v] : r.latency.errors) s << k << "=" << v << " ";
    s << "\n";
    if (o.target == "confidant") {
      s << "  server clock: " << r.clock_method << "; sends held outside the contact window: " << r.held << "\n";
      if (o.history > 0 || o.release > 0) {
        s << "  held history        " << r.preloaded << " messages held (" << o.history << " through the run, "
          << o.release << " to release), sent in " << fmt("%.1f", r.preload_s) << " s (" << fmt("%.0f", r.preload_per_s)
          << " msg/s); data folder " << fmt("%.0f", r.database_mib) << " MiB\n";
      }
      if (o.release > 0) {
        s << "  release             " << r.released << " of " << o.release << " delivered; window opening -> first "
          << fmt("%.2f", r.release_first_s) << " s, -> last " << fmt("%.2f", r.release_last_s)
          << " s (restart on the full database: " << fmt("%.2f", r.restart_s) << " s); server CPU "
          << fmt("%.3f", r.release_cpu_per_1000) << " s per 1,000\n";
      }
      s << "  server limits raised for the run:";
      for (const auto& [k, v] : r.server_config) s << " " << k << "=" << v;
      s << "\n";
    }
    if (o.target == "prosody") {
      s << "  prosody configuration:\n";
      for (const auto& [k, v] : r.server_config) s << "    " << k << ": " << v << "\n";
    }
  }
  if (auto ratio = confidant_to_relay(runs))
    s << "\nConfidant accepted / relay relayed: " << fmt("%.3f", *ratio) << " (" << fmt("%.1f", *ratio * 100) << "%)\n";
  if (auto ratio = confidant_to_prosody(runs))
    s << "Confidant accepted (durable) / Prosody accepted (XEP-0198 ack, in memory): " << fmt("%.3f", *ratio) << "\n";
  return s.str();
}

}  // namespace confidant::load
