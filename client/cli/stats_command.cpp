// confidant stats [--csv FILE [--associates-csv FILE]]: the programme's statistics without content
// (protocol.md 7.39), and the per-cycle rows and the associates as RFC 4180 CSV files.
#include "client/cli/commands.hpp"
#include "client/cli/programme_support.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/stats_csv.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace confidant::cli {
namespace {
namespace json = boost::json;
namespace pg = client::programme;

struct stats_options {
  std::string csv;
  std::string associates_csv;
};

// "stats.csv" -> "stats-associates.csv"
std::string associates_path(const std::string& cycles) {
  std::filesystem::path p{cycles};
  return (p.parent_path() / (p.stem().string() + "-associates" + p.extension().string())).string();
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

json::object stats_json(const pg::stats& s) {
  json::object by_state;
  for (const auto& [state, n] : s.cycles_by_state) by_state[state] = n;
  json::array associates;
  for (const auto& a : s.associates)
    associates.push_back({{"user", a.user}, {"display_name", a.display_name}, {"status", a.status}, {"load", a.load},
                          {"capacity", a.capacity}});
  return {{"generated_at", client::codec::format_time_ms(s.generated_at_ms)},
          {"cycles_by_state", std::move(by_state)},
          {"time_to_pairing", {{"count", s.paired_count}, {"median_hours", s.median_hours}, {"max_hours", s.max_hours}}},
          {"active_cycles", s.active_cycles},
          {"meetings_held", {{"total", s.meetings_total}, {"cycles", s.meetings_cycles}, {"mean_per_cycle", s.mean_per_cycle}}},
          {"cycles_reached_review", s.cycles_reached_review},
          {"associates", std::move(associates)},
          {"cycles", static_cast<std::int64_t>(s.cycles.size())}};
}

void print_stats(const pg::stats& s) {
  fmt::print("Programme statistics at {} UTC\n", show_time(s.generated_at_ms));
  std::string states;
  for (const auto st : pg::states) {
    const auto it = s.cycles_by_state.find(std::string{st});
    states += fmt::format("{}{} {}", states.empty() ? "" : ", ", st, it == s.cycles_by_state.end() ? 0 : it->second);
  }
  fmt::print("Cycles: {}\n", states);
  fmt::print("Time to pairing: {} paired, median {:.1f} h, longest {:.1f} h\n", s.paired_count, s.median_hours,
             s.max_hours);
  fmt::print("Active cycles: {}; reached review: {}\n", s.active_cycles, s.cycles_reached_review);
  fmt::print("Meetings held: {} in {} cycles ({:.1f} per cycle)\n", s.meetings_total, s.meetings_cycles, s.mean_per_cycle);
  fmt::print("Associates:\n");
  for (const auto& a : s.associates)
    fmt::print("  {} (user {})  {}  load {} of {}\n", a.display_name, a.user, a.status, a.load, a.capacity);
}

int stats_command(const common_options& opts, const stats_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto st = s->calls->statistics();
  if (!st) return s->refused(st.error(), opts);
  auto out = stats_json(*st);
  if (!o.csv.empty()) {
    const auto assoc_path = o.associates_csv.empty() ? associates_path(o.csv) : o.associates_csv;
    if (!write_file(o.csv, client::stats_csv::cycles(*st))) return usage_error("cannot write " + o.csv, opts);
    if (!write_file(assoc_path, client::stats_csv::associates(*st))) return usage_error("cannot write " + assoc_path, opts);
    out["csv"] = {{"cycles", o.csv}, {"associates", assoc_path}};
    if (!opts.json)
      fmt::print("Wrote {} cycle rows to {} and {} associates to {}\n", st->cycles.size(), o.csv, st->associates.size(),
                 assoc_path);
  }
  s->done({{"stats", std::move(out)}}, opts);
  if (!opts.json) print_stats(*st);
  return exit_ok;
}

}  // namespace

void add_stats(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<stats_options>();
  auto* sub = app.add_subcommand("stats", "Programme statistics, without content (coordinators)");
  sub->add_option("--csv", o->csv, "write one row per cycle to FILE (RFC 4180 CSV), and the associates beside it");
  sub->add_option("--associates-csv", o->associates_csv, "where the associates CSV goes (default: FILE-associates.csv)");
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return stats_command(opts, *o); }; });
}

}  // namespace confidant::cli
