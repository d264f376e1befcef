#include "client/lib/connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <deque>
#include <optional>
#include <variant>

namespace confidant::client {
inline namespace ws {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

namespace {

using plain_ws = websocket::stream<beast::tcp_stream>;
using tls_ws = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

connection::failure fail(errc code, std::string detail) { return make_failure(code, std::move(detail)); }

// The close codes of docs/protocol.md section 2.7 that end a session for good.
errc close_errc(int code) {
  switch (code) {
    case 4001: return errc::device_removed;
    case 4002: return errc::account_disabled;
    case 4003: return errc::logged_in_elsewhere;
    default: return errc::closed;
  }
}

}  // namespace

struct connection::impl {
  asio::io_context ioc;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::variant<std::monostate, plain_ws, tls_ws> ws;
  server_url url;
  options opts;
  beast::flat_buffer buffer;
  std::deque<wire::response> answers;  // ok and error answers not yet claimed by their call
  std::deque<wire::response> events;
  bool reading = false;
  std::optional<failure> broken;  // set once the connection ended; every later call returns it
  std::uint64_t next_rid = 1;

  // Runs the io_context until `pred()` holds or the deadline passes.
  template <class Pred>
  bool run_until(Pred pred, std::chrono::steady_clock::time_point deadline) {
    ioc.restart();
    while (!pred()) {
      if (ioc.run_one_until(deadline) == 0 && (std::chrono::steady_clock::now() >= deadline || ioc.stopped())) break;
    }
    return pred();
  }

  // For the opening steps and calls: on a timeout closes the socket so the pending operation
  // completes (with an error) before returning.
  bool run_until(const bool& done) {
    if (run_until([&] { return done; }, std::chrono::steady_clock::now() + opts.timeout)) return true;
    abort_socket();
    return false;
  }

  void abort_socket() {
    std::visit([](auto& s) {
      if constexpr (!std::is_same_v<std::decay_t<decltype(s)>, std::monostate>) {
        beast::error_code ec;
        beast::get_lowest_layer(s).socket().close(ec);
      }
    }, ws);
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds{200});
  }

  template <class Ws>
  failure describe_read_error(Ws& s, beast::error_code ec) {
    if (ec == websocket::error::closed) {
      const auto& reason = s.reason();
      const int code = static_cast<int>(reason.code);
      const std::string text{reason.reason.data(), reason.reason.size()};
      auto f = fail(close_errc(code), "the server closed the connection (code " + std::to_string(code) +
                                          (text.empty() ? "" : ": " + text) + ")");
      f.close_code = code;
      return f;
    }
    return fail(errc::closed, "the connection to " + url.authority() + " failed: " + ec.message());
  }

  // Keeps one read outstanding; each frame lands in `answers` or `events`.
  template <class Ws>
  void start_read(Ws& s) {
    if (reading || broken) return;
    reading = true;
    buffer.clear();
    s.async_read(buffer, [this, &s](beast::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        if (!broken) broken = describe_read_error(s, ec);
        return;
      }
      auto parsed = wire::parse_response(beast::buffers_to_string(buffer.data()));
      if (!parsed) {
        broken = fail(errc::protocol_error, "the server sent a frame that is not confidant.v1 JSON");
        beast::error_code ignored;
        beast::get_lowest_layer(s).socket().close(ignored);
        return;
      }
      if (parsed->type == "ok" || parsed->type == "error") {
        answers.push_back(std::move(*parsed));
      } else {
        events.push_back(std::move(*parsed));
      }
      start_read(s);
    });
  }

  template <class Ws>
  result<void> handshake(Ws& s) {
    auto& tcp_layer = beast::get_lowest_layer(s);
    bool done = false;
    beast::error_code ec;
    tcp::resolver resolver{ioc};
    tcp::resolver::results_type endpoints;
    resolver.async_resolve(url.host, url.port, [&](beast::error_code e, tcp::resolver::results_type r) {
      ec = e;
      endpoints = std::move(r);
      done = true;
    });
    if (!run_until(done)) return fail(errc::timed_out, "timed out resolving " + url.host);
    if (ec) return fail(errc::cannot_resolve, "cannot resolve `" + url.host + "`: " + ec.message());

    done = false;
    tcp_layer.expires_after(opts.timeout);
    tcp_layer.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) {
      ec = e;
      done = true;
    });
    if (!run_until(done) || ec == beast::error::timeout)
      return fail(errc::timed_out, "timed out connecting to " + url.authority());
    if (ec == asio::error::connection_refused)
      return fail(errc::refused, "cannot connect to " + url.authority() + ": connection refused (is confidantd running there?)");
    if (ec) return fail(errc::refused, "cannot connect to " + url.authority() + ": " + ec.message());

    if constexpr (std::is_same_v<Ws, tls_ws>) {
      auto& ssl = s.next_layer();
      // SSL_set_tlsext_host_name is a macro with a C cast; call what it expands to.
      if (!SSL_ctrl(ssl.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                    const_cast<char*>(url.host.c_str())))
        return fail(errc::tls_failed, "TLS: cannot set the server name");
      ssl.set_verify_callback(asio::ssl::host_name_verification(url.host));
      done = false;
      ssl.async_handshake(asio::ssl::stream_base::client, [&](beast::error_code e) {
        ec = e;
        done = true;
      });
      if (!run_until(done)) return fail(errc::timed_out, "timed out in the TLS handshake with " + url.authority());
      if (ec) {
        // A plain server answers a ClientHello by closing or with HTTP text.
        const bool plain_server = ec == asio::ssl::error::stream_truncated ||
                                  ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_WRONG_VERSION_NUMBER;
        const std::string hint = plain_server             ? " (the server may not use TLS: try ws://)"
                                 : opts.ca_file.empty()   ? " (for a private CA use --ca FILE)"
                                                          : "";
        return fail(errc::tls_failed, "TLS handshake with " + url.authority() + " failed: " + ec.message() + hint);
      }
    }

    tcp_layer.expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = opts.timeout;
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    s.set_option(t);
    s.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(beast::http::field::sec_websocket_protocol, wire::subprotocol);
      req.set(beast::http::field::user_agent, "confidant-client/0.1.0");
    }));
    websocket::response_type res;
    done = false;
    s.async_handshake(res, url.authority(), url.path, [&](beast::error_code e) {
      ec = e;
      done = true;
    });
    if (!run_until(done)) return fail(errc::timed_out, "timed out in the WebSocket upgrade with " + url.authority());
    if (ec == websocket::error::upgrade_declined) {
      auto body = res.body();
      while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
      return fail(errc::upgrade_refused, "the server at " + url.authority() + " refused the WebSocket upgrade: HTTP " +
                                             std::to_string(res.result_int()) + (body.empty() ? "" : " (" + body + ")"));
    }
    if (ec) {
      const std::string hint = url.tls ? "" : " (if it uses TLS, use wss://)";
      return fail(errc::not_confidant, "the server at " + url.authority() + " did not answer as a WebSocket server: " +
                                           ec.message() + hint);
    }
    if (res[beast::http::field::sec_websocket_protocol] != wire::subprotocol)
      return fail(errc::not_confidant, "the server at " + url.authority() + " did not accept subprotocol confidant.v1");
    s.text(true);
    return {};
  }

  template <class Ws>
  result<wire::response> exchange(Ws& s, const std::string& frame, const std::optional<std::string>& rid) {
    if (broken) return *broken;
    bool done = false;
    beast::error_code ec;
    s.async_write(asio::buffer(frame), [&](beast::error_code e, std::size_t) {
      ec = e;
      done = true;
    });
    if (!run_until(done)) {
      broken = fail(errc::timed_out, "timed out sending to " + url.authority());
      return *broken;
    }
    if (ec) {
      if (!broken) broken = fail(errc::closed, "the connection to " + url.authority() + " failed: " + ec.message());
      return *broken;
    }
    start_read(s);
    auto matching = [&]() -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < answers.size(); ++i) {
        if (!rid || !answers[i].rid || *answers[i].rid == *rid) return i;
      }
      return std::nullopt;
    };
    const auto deadline = std::chrono::steady_clock::now() + opts.timeout;
    run_until([&] { return matching().has_value() || broken.has_value(); }, deadline);
    if (auto i = matching()) {
      auto answer = std::move(answers[*i]);
      answers.erase(answers.begin() + static_cast<std::ptrdiff_t>(*i));
      return answer;
    }
    if (broken) return *broken;
    abort_socket();
    broken = fail(errc::timed_out, "timed out waiting for an answer from " + url.authority());
    return *broken;
  }

  result<std::optional<wire::response>> next_event(std::chrono::milliseconds timeout) {
    if (events.empty() && !broken) {
      std::visit([this](auto& s) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(s)>, std::monostate>) start_read(s);
      }, ws);
      run_until([&] { return !events.empty() || broken.has_value(); }, std::chrono::steady_clock::now() + timeout);
    }
    if (!events.empty()) {
      auto e = std::move(events.front());
      events.pop_front();
      return std::optional<wire::response>(std::move(e));
    }
    if (broken) return *broken;
    return std::optional<wire::response>();
  }

  template <class F>
  auto with_stream(F&& f) {
    return std::visit(
        [&](auto& s) -> decltype(f(std::declval<plain_ws&>())) {
          if constexpr (std::is_same_v<std::decay_t<decltype(s)>, std::monostate>) {
            return fail(errc::closed, "not connected");
          } else {
            return f(s);
          }
        },
        ws);
  }
};

connection::connection(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

connection::~connection() = default;

connection::result<std::unique_ptr<connection>> connection::open(const server_url& url, const options& opts) {
  auto p = std::make_unique<impl>();
  p->url = url;
  p->opts = opts;
  result<void> r;
  if (url.tls) {
    boost::system::error_code ec;
    p->tls.set_verify_mode(asio::ssl::verify_peer);
    if (opts.ca_file.empty()) {
      p->tls.set_default_verify_paths(ec);
    } else {
      p->tls.load_verify_file(opts.ca_file, ec);
    }
    if (ec) return fail(errc::tls_failed, "cannot load trusted certificates" +
                                              (opts.ca_file.empty() ? std::string{} : " from " + opts.ca_file) + ": " +
                                              ec.message());
    auto& s = p->ws.emplace<tls_ws>(p->ioc, p->tls);
    r = p->handshake(s);
  } else {
    auto& s = p->ws.emplace<plain_ws>(p->ioc);
    r = p->handshake(s);
  }
  if (!r) return r.error();
  return std::unique_ptr<connection>(new connection(std::move(p)));
}

connection::result<wire::response> connection::call(std::string_view type, boost::json::object fields) {
  const auto rid = "c" + std::to_string(impl_->next_rid++);
  fields["type"] = type;
  fields["rid"] = rid;
  const auto frame = boost::json::serialize(fields);
  return impl_->with_stream([&](auto& s) { return impl_->exchange(s, frame, rid); });
}

connection::result<wire::response> connection::call_raw(std::string_view frame) {
  const std::string text{frame};
  return impl_->with_stream([&](auto& s) { return impl_->exchange(s, text, std::nullopt); });
}

std::vector<wire::response> connection::take_events() {
  std::vector<wire::response> out(std::make_move_iterator(impl_->events.begin()),
                                  std::make_move_iterator(impl_->events.end()));
  impl_->events.clear();
  return out;
}

connection::result<std::optional<wire::response>> connection::next_event(std::chrono::milliseconds timeout) {
  return impl_->next_event(timeout);
}

bool connection::is_open() const { return !impl_->broken.has_value(); }

void connection::close() {
  std::visit([this](auto& s) {
    if constexpr (!std::is_same_v<std::decay_t<decltype(s)>, std::monostate>) {
      if (impl_->broken || !s.is_open()) return;
      bool done = false;
      s.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
      impl_->run_until(done);
      if (!impl_->broken) impl_->broken = fail(errc::closed, "the connection was closed");
    }
  }, impl_->ws);
}

}  // namespace ws
}  // namespace confidant::client
