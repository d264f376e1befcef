// confidant hello: connect and print what the server says about itself (no profile needed).
#include "client/cli/commands.hpp"

#include "schema/wire/hello.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace confidant::cli {

namespace {

int hello_command(const common_options& opts) {
  auto url = client::parse_url(opts.server);
  if (!url) return usage_error(url.error(), opts);
  auto conn = client::connection::open(*url, connection_options(opts));
  if (!conn) return report(conn.error(), opts);

  const wire::hello_request hello{{std::string{wire::version}}, "confidant-cli/0.1.0"};
  auto answer = (*conn)->call("hello", wire::to_json(hello));
  if (!answer) return report(answer.error(), opts);
  (*conn)->close();

  if (opts.json) {
    boost::json::object all = answer->fields;
    all["type"] = answer->type;
    fmt::print("{}\n", boost::json::serialize(all));
  }
  if (answer->type == "error") {
    const auto* code = answer->fields.if_contains("code");
    const auto* msg = answer->fields.if_contains("message");
    if (!opts.json) {
      fmt::print(stderr, "confidant: the server refused hello: {} ({})\n",
                 code && code->is_string() ? std::string{code->as_string()} : "?",
                 msg && msg->is_string() ? std::string{msg->as_string()} : "");
    }
    return exit_error_answer;
  }
  auto reply = wire::read_hello_reply(answer->fields);
  if (!reply) {
    fmt::print(stderr, "confidant: the server's hello answer is incomplete: {}\n", reply.error().message);
    return exit_protocol;
  }
  if (!opts.json) {
    fmt::print("connected to {} ({})\n", url->to_string(), url->tls ? "TLS" : "plain WebSocket");
    fmt::print("  server:      {}\n  protocol:    {}\n  tenant:      {}\n  server time: {}\n", reply->server,
               reply->version, reply->tenant, reply->server_time);
    fmt::print("  limits:      frames up to {} bytes, idle timeout {} s\n", reply->max_frame_bytes,
               reply->idle_timeout_seconds);
  }
  return exit_ok;
}

}  // namespace

void add_hello(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("hello", "Connect and print what the server says about itself");
  sub->callback([&opts, &chosen] { chosen = [&opts] { return hello_command(opts); }; });
}

}  // namespace confidant::cli
