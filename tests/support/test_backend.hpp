#pragma once

// A real service backend for tests: a keyed SQLCipher database in a temporary folder, a fixed
// clock, a fresh server key, and a dispatcher over them.

#include "crypto/random.hpp"
#include "server/rules/clock.hpp"
#include "server/service/backend.hpp"
#include "server/service/dispatcher.hpp"
#include "server/service/metrics.hpp"
#include "server/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <memory>
#include <stdexcept>

namespace confidant::test {

class test_backend {
 public:
  explicit test_backend(service::metrics& m, service::server_info info = {"Test LA", "confidantd/test", 4096, 60},
                        service::messaging_limits limits = {},
                        rules::policy policy = *rules::preset("la-peer-support"))
      : clock(rules::time_point{std::chrono::milliseconds{1'795'000'000'000}}) {
    const auto path = dir / "server.db";
    const auto now = clock.now().time_since_epoch().count();
    auto key = store::db_key::random();
    if (!store::create_database(path, key, info.tenant, now)) throw std::runtime_error("cannot create the test database");
    auto opened = store::store::open(path, std::move(key), now);
    if (!opened) throw std::runtime_error("cannot open the test database");
    db = std::move(*opened);
    crypto::system_random rng;
    auto cals = service::build_calendars(service::demo_calendar_files(), policy);
    if (!cals) throw std::runtime_error("cannot build the demo calendars");
    backend = std::make_unique<service::backend>(clock, std::move(info), m, *db, crypto::ed25519::generate(rng), limits,
                                                 policy, std::move(*cals));
    dispatcher = std::make_unique<service::dispatcher>(*backend);
  }
  ~test_backend() {
    if (db) db->close();  // first: writer completions use the backend
    dispatcher.reset();
    backend.reset();
  }

  temp_dir dir;
  rules::fixed_clock clock;
  std::unique_ptr<store::store> db;
  std::unique_ptr<service::backend> backend;
  std::unique_ptr<service::dispatcher> dispatcher;
};

}  // namespace confidant::test
