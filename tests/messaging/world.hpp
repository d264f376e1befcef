#pragma once

// A real confidantd and three people on it, each a messenger with its own profile: a
// coordinator (from `confidantd invite`), a headteacher and an associate (invited by the
// coordinator) who are paired.

#include "client/lib/messenger.hpp"
#include "client/lib/programme.hpp"
#include "tests/messaging/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace confidant::test {

inline client::messenger_options fast_options() {
  client::messenger_options o;
  o.kdf = crypto::passphrase::minimum;
  o.conn.timeout = std::chrono::milliseconds{10'000};
  o.quiet = std::chrono::milliseconds{300};
  return o;
}

inline std::string passphrase_of(const std::string& name) { return "correct horse " + name; }

struct world {
  temp_dir tmp;
  server_process server{tmp / "server"};
  std::unique_ptr<client::messenger> coord;
  std::unique_ptr<client::messenger> head;
  std::unique_ptr<client::messenger> assoc;

  world() {
    coord = enrol("coord", server.coordinator_invite());
    auto hi = coord->invite_create("headteacher", "Hana Head", std::nullopt);
    auto ai = coord->invite_create("associate", "Asa Sociate", std::nullopt);
    if (!hi || !ai) throw std::runtime_error("invite_create failed");
    head = enrol("head", hi->code);
    assoc = enrol("assoc", ai->code);
    head_user = head->account().user;
    assoc_user = assoc->account().user;
    approve(*assoc);
    auto p = coord->pair_create(head_user, assoc_user);
    if (!p) throw std::runtime_error("pair_create failed: " + p.error().detail);
  }

  // Protocol revision 5: only an approved associate with a free place is paired (7.29).
  void approve(client::messenger& associate) {
    client::programme::profile p;
    p.region = "north";
    p.size_band = "small";
    p.phase = "primary";
    p.school = "Hill Top Primary";
    p.capacity = 2;
    client::programme::calls mine{*associate.raw_connection()};
    if (auto r = mine.profile_set(p); !r) throw std::runtime_error("profile_set failed: " + r.error().detail);
    client::programme::calls coordinator{*coord->raw_connection()};
    if (auto r = coordinator.approve(associate.account().user, {9, "good", true, true, 0, 0}); !r)
      throw std::runtime_error("associate_approve failed: " + r.error().detail);
  }

  std::unique_ptr<client::messenger> enrol(const std::string& name, const std::string& code,
                                           client::messenger_options o = fast_options()) {
    auto url = client::parse_url(server.url());
    auto m = client::messenger::register_device(tmp / name, passphrase_of(name), *url, code, std::move(o));
    if (!m) throw std::runtime_error("register " + name + " failed: " + m.error().detail);
    return std::move(*m);
  }

  // A second messenger on an existing profile (the first one must be gone: one device, one login).
  std::unique_ptr<client::messenger> reopen(const std::string& name, client::messenger_options o = fast_options()) {
    auto m = client::messenger::open(tmp / name, passphrase_of(name), std::move(o));
    if (!m) throw std::runtime_error("open " + name + " failed: " + m.error().detail);
    return std::move(*m);
  }

  [[nodiscard]] std::int64_t head_id() const { return head_user; }
  [[nodiscard]] std::int64_t assoc_id() const { return assoc_user; }

  std::int64_t head_user = 0;
  std::int64_t assoc_user = 0;
};

// Receives until `n` entries arrived or `seconds` passed.
inline std::vector<client::history_entry> receive_n(client::messenger& m, std::size_t n, int seconds = 10) {
  std::vector<client::history_entry> all;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{seconds};
  while (all.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto got = m.receive(std::chrono::milliseconds{1000});
    if (!got) {
      ADD_FAILURE() << "receive failed: " << got.error().detail;
      break;
    }
    all.insert(all.end(), got->begin(), got->end());
  }
  return all;
}

inline std::size_t count_text(const std::vector<client::history_entry>& entries, const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(entries.begin(), entries.end(), [&](const auto& e) { return e.text == text; }));
}

}  // namespace confidant::test
