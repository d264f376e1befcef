#include "client/store/local_store.hpp"

#include "client/store/impl.hpp"
#include "client/store/migrations.hpp"
#include "client/store/profile_files.hpp"
#include "crypto/random.hpp"
#include "server/store/migrator.hpp"

#include <chrono>

namespace confidant::client {
namespace {

constexpr std::size_t min_passphrase = 8;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The storage layer's failures at open, in the terms of a profile.
boost::system::error_code open_error(const boost::system::error_code& ec) {
  if (ec == store::errc::wrong_key) return store_errc::wrong_passphrase;
  if (ec == store::errc::not_found) return store_errc::no_profile;
  if (ec == store::errc::open_failed || ec == store::errc::io) return store_errc::io_error;
  if (ec == store::errc::corrupt) return store_errc::corrupt;
  return ec;
}

store_result<void> write_profile(store::database& db, const account_info& account,
                                 const crypto::identity_keypair& identity) {
  auto tx = store::transaction::begin(db);
  if (!tx) return tx.error();
  auto a = db.prepare(
      "INSERT INTO account (id, server_url, server_key, user_id, device_id, role, display_name)"
      " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6);");
  if (!a) return a.error();
  a->bind(1, account.server_url)
      .bind(2, account.server_key)
      .bind(3, account.user)
      .bind(4, account.device)
      .bind(5, account.role)
      .bind(6, account.display_name);
  if (auto r = a->run(); !r) return r.error();
  auto i = db.prepare("INSERT INTO own_identity (id, secret) VALUES (1, ?1);");
  if (!i) return i.error();
  auto secret = identity.to_bytes();
  i->bind(1, secret);
  crypto::wipe(secret);
  if (auto r = i->run(); !r) return r.error();
  return tx->commit();
}

store_result<account_info> read_account(store::database& db) {
  auto q = db.prepare("SELECT server_url, server_key, user_id, device_id, role, display_name FROM account;");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return store_errc::corrupt;
  account_info a;
  a.server_url = q->column_text(0);
  const auto key = q->column_blob(1);
  if (key.size() != a.server_key.size()) return store_errc::corrupt;
  std::copy(key.begin(), key.end(), a.server_key.begin());
  a.user = q->column_int64(2);
  a.device = q->column_int64(3);
  a.role = q->column_text(4);
  a.display_name = q->column_text(5);
  return a;
}

store_result<crypto::identity_keypair> read_identity(store::database& db) {
  auto q = db.prepare("SELECT secret FROM own_identity;");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return store_errc::corrupt;
  auto id = crypto::identity_keypair::from_bytes(q->column_blob(0));
  if (!id) return store_errc::corrupt;
  return std::move(*id);
}

}  // namespace

local_store::local_store(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
local_store::~local_store() = default;

store_result<std::unique_ptr<local_store>> local_store::open_keyed(const std::filesystem::path& dir,
                                                                   const store::db_key& key) {
  const profile_paths paths{dir};
  auto db = store::database::open(paths.database(), key, {});
  if (!db) return open_error(db.error());
  if (auto m = store::migrate(*db, client_migrations(), now_ms()); !m) return open_error(m.error());
  auto account = read_account(*db);
  if (!account) return account.error();
  auto identity = read_identity(*db);
  if (!identity) return identity.error();
  return std::unique_ptr<local_store>(
      new local_store(std::make_unique<impl>(std::move(*db), std::move(*account), std::move(*identity))));
}

store_result<std::unique_ptr<local_store>> local_store::create(const std::filesystem::path& dir,
                                                               std::string_view passphrase,
                                                               const account_info& account,
                                                               const crypto::identity_keypair& identity,
                                                               crypto::passphrase::params kdf) {
  if (passphrase.size() < min_passphrase) return store_errc::weak_passphrase;
  const profile_paths paths{dir};
  auto exists = file_exists(paths.database());
  if (!exists) return exists.error();
  if (*exists) return store_errc::profile_exists;
  if (auto r = make_private_dir(dir); !r) return r.error();

  crypto::system_random rng;
  const auto record = crypto::passphrase::new_record(rng, kdf);
  auto key = derive_db_key(passphrase, record);
  if (!key) return key.error();

  // Build the whole profile under a staging name, then publish it with one link(): a crash
  // part-way leaves no `local.db`, and the next create() starts again from scratch.
  remove_database_files(paths.staging());
  if (auto r = create_private_file(paths.staging()); !r) return r.error();
  const auto built = [&]() -> store_result<void> {
    auto db = store::database::open(paths.staging(), *key, {.create = true});
    if (!db) return open_error(db.error());
    if (auto m = store::migrate(*db, client_migrations(), now_ms()); !m) return m.error();
    if (auto r = write_profile(*db, account, identity); !r) return r;
    // Back to a rollback journal, so that closing leaves one self-contained file to publish.
    auto mode = db->query_text("PRAGMA journal_mode = DELETE;");
    if (!mode) return mode.error();
    if (*mode != "delete") return store_errc::io_error;
    return {};
  }();  // the connection is closed here
  if (!built) {
    remove_database_files(paths.staging());
    return built.error();
  }
  // The record goes first: whenever `local.db` exists, its record is beside it.
  if (auto r = write_record(paths.record(), record); !r) return r.error();
  if (auto r = publish(paths.staging(), paths.database()); !r) {
    remove_database_files(paths.staging());
    return r.error();
  }
  return open_keyed(dir, *key);
}

store_result<std::unique_ptr<local_store>> local_store::open(const std::filesystem::path& dir,
                                                             std::string_view passphrase) {
  const profile_paths paths{dir};
  auto exists = file_exists(paths.database());
  if (!exists) return exists.error();
  if (!*exists) return store_errc::no_profile;
  // create() never accepts a shorter one, so it cannot be right: skip Argon2id.
  if (passphrase.size() < min_passphrase) return store_errc::wrong_passphrase;
  auto record = read_record(paths.record());
  if (!record) return record.error();
  auto key = derive_db_key(passphrase, *record);
  if (!key) {
    // A record below the floor was not written by create(): someone edited it.
    if (key.error() == crypto::errc::weak_parameters) return store_errc::corrupt;
    return key.error();
  }
  return open_keyed(dir, *key);
}

const account_info& local_store::account() const { return impl_->account; }

crypto::identity_store& local_store::identities() { return impl_->identities; }
crypto::prekey_store& local_store::prekeys() { return impl_->prekeys; }
crypto::session_store& local_store::sessions() { return impl_->sessions; }
flag_store& local_store::flags() { return impl_->flags; }

store_result<void> local_store::mark_verified(const crypto::device_address& who, const crypto::identity_public& key) {
  return impl_->identities.mark_verified(who, key);
}

store_result<bool> local_store::is_verified(const crypto::device_address& who) const {
  return impl_->identities.is_verified(who);
}

store_result<std::vector<std::pair<crypto::device_address, crypto::identity_public>>> local_store::known_identities(
    std::int64_t user) const {
  return impl_->identities.known(std::to_string(user));
}

store_result<std::uint32_t> local_store::next_prekey_id() { return impl_->prekeys.next_one_time_id(); }

store_result<void> local_store::atomically(const std::function<store_result<void>()>& fn) {
  return in_write_scope(impl_->conn, fn);
}

}  // namespace confidant::client
