// ws_relay: the machine's ceiling for the load generator (issue 8). A bare Beast WebSocket relay:
// no JSON, no crypto, no storage. A client connects to /ME/PEER; each binary message it sends is
// forwarded unchanged to PEER's connection and acknowledged to the sender with the message's
// first 17 bytes, type byte set to 'A' (the counterpart of Confidant's `ok`). The same
// structure as confidantd's transport: a strand per session, one write in flight, a bounded
// queue of shared immutable buffers, N threads on one io_context.
//
//   ws_relay [--listen 127.0.0.1:0] [--threads 2] [--max-clients 100000]
// prints "listening on PORT" once ready; SIGTERM/SIGINT stop it.

#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <charconv>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t queue_limit = 4096;

class session;

// Live sessions by client number: weak pointers under a lock, frames sent after releasing it.
class registry {
 public:
  explicit registry(std::size_t n) : slots_(n) {}
  void put(std::size_t i, const std::shared_ptr<session>& s) {
    std::lock_guard l(m_);
    if (i < slots_.size()) slots_[i] = s;
  }
  std::shared_ptr<session> get(std::size_t i) {
    std::lock_guard l(m_);
    return i < slots_.size() ? slots_[i].lock() : nullptr;
  }
  [[nodiscard]] std::size_t size() const { return slots_.size(); }

 private:
  std::mutex m_;
  std::vector<std::weak_ptr<session>> slots_;
};

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket s, registry& r) : ws_(std::move(s)), reg_(r) {}

  void start() {
    asio::dispatch(ws_.get_executor(), [self = shared_from_this()] { self->read_request(); });
  }

  void send(std::shared_ptr<const std::string> f) {
    asio::post(ws_.get_executor(), [self = shared_from_this(), f = std::move(f)]() mutable {
      self->enqueue(std::move(f));
    });
  }

 private:
  void read_request() {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds{10});
    http::async_read(beast::get_lowest_layer(ws_), buf_, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->accept();
    });
  }

  void accept() {
    // Target "/ME/PEER".
    const std::string_view t{req_.target().data(), req_.target().size()};
    const auto slash = t.find('/', 1);
    if (t.size() < 4 || slash == std::string_view::npos) return;
    std::from_chars(t.data() + 1, t.data() + slash, me_);
    std::from_chars(t.data() + slash + 1, t.data() + t.size(), peer_);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.binary(true);
    ws_.async_accept(req_, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->reg_.put(self->me_, self);
      self->read();
    });
  }

  void read() {
    ws_.async_read(in_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->on_message();
    });
  }

  void on_message() {
    const auto data = in_.cdata();
    auto frame = std::make_shared<const std::string>(static_cast<const char*>(data.data()), data.size());
    in_.consume(in_.size());
    if (frame->size() >= 17) {
      auto ack = std::make_shared<std::string>(frame->substr(0, 17));
      (*ack)[0] = 'A';
      if (auto peer = reg_.get(peer_)) peer->send(frame);
      enqueue(std::move(ack));
    }
    read();
  }

  void enqueue(std::shared_ptr<const std::string> f) {
    if (queue_.size() >= queue_limit) {
      queue_.resize(1);  // drop what waits (never the frame being written) and close
      closing_ = true;
      return;
    }
    queue_.push_back(std::move(f));
    if (queue_.size() == 1) write();
  }

  void write() {
    ws_.async_write(asio::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->queue_.pop_front();
      if (self->closing_ && self->queue_.empty()) {
        self->ws_.async_close(websocket::close_code::policy_error, [self](beast::error_code) {});
        return;
      }
      if (!self->queue_.empty()) self->write();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  registry& reg_;
  beast::flat_buffer buf_, in_;
  http::request<http::string_body> req_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::size_t me_ = 0, peer_ = 0;
  bool closing_ = false;
};

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(asio::io_context& ioc, const tcp::endpoint& ep, registry& r) : ioc_(ioc), acceptor_(ioc), reg_(r) {
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  }
  [[nodiscard]] unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void run() { accept(); }
  void stop() {
    beast::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  void accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        s.set_option(tcp::no_delay(true));
        std::make_shared<session>(std::move(s), self->reg_)->start();
      }
      self->accept();
    });
  }
  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  registry& reg_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  int threads = 2;
  std::size_t max_clients = 100'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--listen") listen = argv[i + 1];
    else if (a == "--threads") threads = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--max-clients") max_clients = static_cast<std::size_t>(std::atoll(argv[i + 1]));
    else {
      std::fprintf(stderr, "usage: ws_relay [--listen ADDR:PORT] [--threads N] [--max-clients N]\n");
      return 2;
    }
  }
  const auto colon = listen.rfind(':');
  const tcp::endpoint ep{asio::ip::make_address(listen.substr(0, colon)),
                         static_cast<unsigned short>(std::stoi(listen.substr(colon + 1)))};
  asio::io_context ioc{threads};
  registry reg{max_clients};
  auto l = std::make_shared<listener>(ioc, ep, reg);
  l->run();
  std::printf("listening on %u\n", static_cast<unsigned>(l->port()));
  std::fflush(stdout);
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) {
    l->stop();
    ioc.stop();
  });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return 0;
}
