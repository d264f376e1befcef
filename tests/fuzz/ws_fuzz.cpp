// The server's transport as a client reaches it: bytes into a real http_session over Beast's
// in-memory test stream, which answers HTTP routes or hands a valid upgrade to a real
// ws_session, whose frames go to the real dispatcher over a real (SQLCipher) backend.
//
// Input: an HTTP request and whatever follows. The bytes up to the first blank line ("\r\n\r\n")
// are written first and the server runs until it waits; then the rest (WebSocket frames, which a
// client sends only after the 101, or a next HTTP request) is written; then the client closes.
// After that nothing may be left: no session alive, no socket counted, nothing registered.
//
// The backend (a database in a temporary folder, a server key) is built once for the run.
#include "server/net/http_session_impl.hpp"
#include "server/net/ws_session_impl.hpp"
#include "tests/support/test_backend.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <string_view>

namespace confidant::net {
template class http_session<boost::beast::test::stream>;
template class ws_session<boost::beast::test::stream>;
}  // namespace confidant::net

namespace {

using namespace confidant;
using test_stream = boost::beast::test::stream;

// Login throttles sized so a long run never exhausts them (the clock is fixed: nothing refills).
service::messaging_limits roomy_limits() {
  service::messaging_limits l;
  l.login_per_device = {1'000'000'000, std::chrono::milliseconds{1}};
  l.login_per_address = {1'000'000'000, std::chrono::milliseconds{1}};
  return l;
}

// One listed origin (the seeds upgrade_origin_*), so inputs reach both sides of the Origin rule.
net::options with_origin() {
  net::options o;
  o.allowed_origins = {"https://confidant.example.gov.uk"};
  return o;
}

struct fixture {
  fixture()
      : backend(metrics, {"Fuzz LA", "confidantd/fuzz", 65536, 300}, roomy_limits()),
        ctx{opts, *backend.dispatcher, metrics, [this] { return backend.db->ping().has_value(); }, {}, {}} {}

  service::metrics metrics;
  test::test_backend backend;
  net::options opts = with_origin();
  net::context ctx;
  boost::asio::io_context ioc;  // every session of the run; run only by this thread
};

fixture& the_fixture() {
  static fixture f;  // destroyed at exit: the writer stops, the temporary folder goes
  return f;
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "ws_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

// Runs every handler that is ready, until none is.
void drain(boost::asio::io_context& ioc) {
  ioc.restart();
  while (ioc.poll() > 0) {
  }
}

// Waits until the store's writer has finished every job queued so far (their completions may
// post answers to a session), by queueing an empty one behind them.
void settle_writer(fixture& f) {
  std::promise<void> done;
  f.backend.db->write().submit([](store::database&) -> store::result<void> { return {}; },
                               [&](boost::system::error_code) { done.set_value(); });
  done.get_future().wait();
}

void write_all(test_stream& client, std::string_view bytes) {
  if (bytes.empty()) return;
  boost::system::error_code ec;
  boost::asio::write(client, boost::asio::buffer(bytes.data(), bytes.size()), ec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& f = the_fixture();
  const std::string_view input{reinterpret_cast<const char*>(data), size};
  const auto blank = input.find("\r\n\r\n");
  const auto head = blank == std::string_view::npos ? input.size() : blank + 4;

  {
    test_stream server_side{f.ioc};
    test_stream client{f.ioc};
    server_side.connect(client);
    std::make_shared<net::http_session<test_stream>>(std::move(server_side), f.ctx, net::socket_slot{f.ctx})->run();

    write_all(client, input.substr(0, head));
    drain(f.ioc);
    write_all(client, input.substr(head));
    drain(f.ioc);
    client.close();
    drain(f.ioc);
    if (f.ctx.sockets.load() != 0) {  // an answer still on its way from the writer thread
      settle_writer(f);
      drain(f.ioc);
    }
  }
  drain(f.ioc);
  check(f.ctx.sockets.load() == 0, "a session outlived its client");
  check(f.ctx.sessions.size() == 0, "a closed session is still registered");
  check(f.metrics.open_connections() == 0, "open_connections is not back to zero");
  return 0;
}
