// confidant spoc keys rotate | spoc keys list: a SPOC device's flag sealing keys (protocol.md 7.24).
#include "client/cli/commands.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/flag_desk.hpp"
#include "client/lib/messenger.hpp"
#include "crypto/flag.hpp"

#include <fmt/format.h>

namespace confidant::cli {
namespace {
namespace json = boost::json;

json::array key_list(client::messenger& m, std::string& error) {
  json::array out;
  auto keys = m.store().flags().keys();
  if (!keys) {
    error = keys.error().message();
    return out;
  }
  for (const auto& k : *keys) {
    json::object o{{"key_id", std::int64_t{k.key_id}}, {"published", k.published_at_ms.has_value()},
                   {"retired", k.retired_at_ms.has_value()}};
    if (auto cert = crypto::flag::spoc_key_certificate::from_bytes(k.certificate))
      o["not_after"] = client::codec::format_time_ms(static_cast<std::int64_t>(cert->not_after) * 1000);
    out.push_back(std::move(o));
  }
  return out;
}

int keys_command(const common_options& opts, bool rotate) {
  int code = 0;
  auto m = open_messenger(opts, rotate, code);
  if (!m) return code;
  std::int64_t current = 0;
  if (rotate) {
    auto id = m->extension<client::flag_desk>()->rotate();
    if (!id) return report(id.error(), opts);
    current = *id;
  }
  std::string error;
  auto keys = key_list(*m, error);
  if (!error.empty()) return report(client::make_failure(client::store_errc::corrupt, "reading flag keys: " + error), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    json::object out{{"ok", true}, {"keys", keys}, {"notices", notices}};
    if (rotate) out["key_id"] = current;
    print_json(out);
    return exit_ok;
  }
  if (rotate) fmt::print("Published flag key {}; older keys are kept to open flags sealed to them.\n", current);
  for (const auto& v : keys) {
    const auto& k = v.as_object();
    fmt::print("key {}: {}{}\n", k.at("key_id").as_int64(),
               k.at("retired").as_bool() ? "retired" : k.at("published").as_bool() ? "current" : "not published",
               k.contains("not_after") ? fmt::format(", valid until {}", k.at("not_after").as_string().c_str()) : "");
  }
  return exit_ok;
}

}  // namespace

void add_spoc(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("spoc", "SPOC devices: the keys that flags are sealed to");
  sub->require_subcommand(1);
  auto* keys = sub->add_subcommand("keys", "This device's flag sealing keys");
  keys->require_subcommand(1);
  auto* rotate = keys->add_subcommand("rotate", "Publish a new sealing key (higher id); old ones are kept");
  rotate->callback([&opts, &chosen] { chosen = [&opts] { return keys_command(opts, true); }; });
  auto* list = keys->add_subcommand("list", "List the kept keys (from this device's store)");
  list->callback([&opts, &chosen] { chosen = [&opts] { return keys_command(opts, false); }; });
}

}  // namespace confidant::cli
