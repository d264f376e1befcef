#include "client/lib/base64url.hpp"
#include "client/lib/messenger_impl.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace confidant::client {
namespace json = boost::json;

namespace {

constexpr std::uint64_t signed_prekey_max_age = 7 * 24 * 3600;  // rotate weekly
constexpr std::uint32_t max_upload = 200;                       // one_time_prekeys per request (7.7)

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

failure store_failure(const boost::system::error_code& ec, std::string_view what) {
  return make_failure(ec, std::string{what} + ": " + ec.message());
}

// --- helpers -------------------------------------------------------------------------------------

std::int64_t messenger::impl::now_ms() const { return opts.now_ms ? opts.now_ms() : system_now_ms(); }

crypto::device_address messenger::impl::address(std::int64_t user, std::int64_t device) {
  return {std::to_string(user), static_cast<std::uint32_t>(device)};
}

crypto::device_address messenger::impl::self_address() const { return address(account().user, account().device); }

void messenger::impl::make_sessions() {
  sessions = std::make_unique<crypto::sesame::session_manager>(self_address(), store->identities(), store->prekeys(),
                                                                store->sessions(), rng);
}

void messenger::impl::note(notice::kind what, std::int64_t user, std::int64_t device, std::string text) {
  notices.push_back({what, user, device, std::move(text), std::nullopt});
}

std::string messenger::impl::name_of(std::int64_t user) const {
  if (user == account().user) return "you";
  if (auto all = store->contacts()) {
    for (const auto& c : *all)
      if (c.user == user) return c.display_name + " (user " + std::to_string(user) + ")";
  }
  return "user " + std::to_string(user);
}

outcome<wire::response> messenger::impl::call_any(std::string_view type, json::object fields) {
  if (!conn || !conn->is_open()) return make_failure(errc::closed, "not connected to the server");
  return conn->call(type, std::move(fields));
}

outcome<wire::response> messenger::impl::call(std::string_view type, json::object fields, std::string_view what) {
  auto r = call_any(type, std::move(fields));
  if (!r) return r.error();
  if (r->type == "error") return codec::from_error_answer(*r, what);
  return r;
}

outcome<std::array<std::uint8_t, 32>> messenger::impl::open_and_greet(const server_url& url) {
  if (conn) conn->close();
  conn.reset();
  if (!url.tls && !url.loopback())
    return make_failure(errc::not_confidant, "refusing plain ws:// to " + url.host +
                                                 ": it would carry everything in the clear; use wss:// (plain "
                                                 "WebSocket is only for a server on this machine)");
  auto c = connection::open(url, opts.conn);
  if (!c) return c.error();
  conn = std::move(*c);
  json::array versions;
  versions.emplace_back(wire::version);
  auto hello = call("hello", {{"versions", std::move(versions)}, {"client", opts.client_name}}, "hello");
  if (!hello) return hello.error();
  auto key = codec::get_binary(hello->fields, "server_key", 32);
  if (!key) return key.error();
  if (auto t = codec::get_time(hello->fields, "server_time")) clock_offset_ms = *t - now_ms();
  if (const auto* l = hello->fields.if_contains("limits"); l && l->is_object()) {
    if (auto f = codec::get_int(l->as_object(), "max_frame_bytes"); f && *f >= 1024) max_frame_bytes = *f;
  }
  std::array<std::uint8_t, 32> out{};
  std::copy(key->begin(), key->end(), out.begin());
  return out;
}

outcome<codec::account_answer> messenger::impl::login() {
  const auto& acct = account();
  auto challenge = call("challenge", {}, "login challenge");
  if (!challenge) return challenge.error();
  auto nonce = codec::get_binary(challenge->fields, "nonce", 32);
  if (!nonce) return nonce.error();
  const auto message = codec::login_message(std::span<const std::uint8_t, 32>(acct.server_key),
                                            std::span<const std::uint8_t, 32>(nonce->data(), 32));
  const auto signature = store->identities().own_identity().sign({message});
  auto answer = call("login",
                     {{"user", acct.user}, {"device", acct.device}, {"signature", base64url_encode(signature.view())}},
                     "login");
  if (!answer) return answer.error();
  auto a = codec::read_login(answer->fields);
  if (!a) return a.error();
  if (a->user != acct.user || a->device != acct.device)
    return make_failure(errc::bad_answer, "the server logged in a different user or device");
  pending = a->pending;
  return a;
}

std::vector<std::int64_t> messenger::impl::device_list(std::int64_t user) const {
  std::vector<std::int64_t> out;
  auto v = store->get("devices/" + std::to_string(user));
  if (!v || !*v) return out;
  std::istringstream in(**v);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::int64_t d = 0;
    if (std::from_chars(item.data(), item.data() + item.size(), d).ec == std::errc{} && d > 0) out.push_back(d);
  }
  return out;
}

outcome<void> messenger::impl::set_device_list(std::int64_t user, std::vector<std::int64_t> devices) {
  std::sort(devices.begin(), devices.end());
  devices.erase(std::unique(devices.begin(), devices.end()), devices.end());
  std::string text;
  for (auto d : devices) text += (text.empty() ? "" : ",") + std::to_string(d);
  if (auto r = store->put("devices/" + std::to_string(user), text); !r) return store_failure(r.error(), "saving devices");
  return {};
}

std::map<std::string, std::string> messenger::impl::changed_identities() const {
  std::map<std::string, std::string> out;
  auto v = store->get("identity_changes");
  if (!v || !*v) return out;
  std::error_code ec;
  auto parsed = json::parse(**v, ec);
  if (ec || !parsed.is_object()) return out;
  for (const auto& [k, val] : parsed.as_object())
    if (val.is_string()) out.emplace(std::string{k}, std::string{val.as_string()});
  return out;
}

outcome<void> messenger::impl::record_changed(std::int64_t user, std::int64_t device, const crypto::identity_public& id) {
  json::object o;
  for (const auto& [k, v] : changed_identities()) o[k] = v;
  o[std::to_string(user) + "/" + std::to_string(device)] = base64url_encode(id.to_bytes());
  if (auto r = store->put("identity_changes", json::serialize(o)); !r) return store_failure(r.error(), "saving an identity change");
  return {};
}

bool messenger::impl::has_changed(std::int64_t user) const {
  const auto prefix = std::to_string(user) + "/";
  for (const auto& [k, v] : changed_identities())
    if (k.starts_with(prefix)) return true;
  return false;
}

// --- prekeys --------------------------------------------------------------------------------------

outcome<void> messenger::impl::replenish(std::int64_t held_on_server) {
  if (held_on_server >= static_cast<std::int64_t>(opts.prekey_batch)) return {};
  const auto count = static_cast<std::uint32_t>(
      std::min<std::int64_t>(max_upload, static_cast<std::int64_t>(opts.prekey_batch) - held_on_server));
  auto first = store->next_prekey_id();
  if (!first) return store_failure(first.error(), "choosing prekey ids");
  auto batch = crypto::one_time_prekey::generate_batch(*first, count, rng);
  // Stored before the upload: a key the server hands out must be one this device holds.
  auto saved = store->atomically([&]() -> store_result<void> {
    for (const auto& k : batch)
      if (auto r = store->prekeys().store_one_time_prekey(k); !r) return r.error();
    return {};
  });
  if (!saved) return store_failure(saved.error(), "storing one-time prekeys");
  auto answer = call_any("prekeys_upload", {{"one_time_prekeys", codec::to_json(batch)}});
  if (!answer) return answer.error();
  if (answer->type == "error") {
    auto f = codec::from_error_answer(*answer, "uploading one-time prekeys");
    if (f.server_code == "limit_reached") return {};
    return f;
  }
  return {};
}

outcome<void> messenger::impl::rotate_signed_prekey_if_due() {
  auto current = store->get("signed_prekey");
  if (!current) return store_failure(current.error(), "reading the signed prekey");
  std::uint32_t id = 1;
  std::uint64_t created = 0;
  if (*current) {
    std::istringstream in(**current);
    in >> id >> created;
  }
  const auto now_s = static_cast<std::uint64_t>(now_ms() / 1000);
  if (*current && now_s < created + signed_prekey_max_age) return {};
  auto spk = crypto::signed_prekey::generate(store->identities().own_identity(), id + 1, now_s, rng);
  auto saved = store->atomically([&]() -> store_result<void> {
    if (auto r = store->prekeys().store_signed_prekey(spk); !r) return r.error();
    return store->put("signed_prekey", std::to_string(id + 1) + " " + std::to_string(now_s));
  });
  if (!saved) return store_failure(saved.error(), "storing the signed prekey");
  auto answer = call("prekeys_upload", {{"signed_prekey", codec::to_json(spk.public_part())}}, "rotating the signed prekey");
  if (!answer) return answer.error();
  return {};
}

// --- life cycle -----------------------------------------------------------------------------------

messenger::messenger(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
messenger::~messenger() { disconnect(); }

outcome<std::unique_ptr<messenger>> messenger::open(const std::filesystem::path& profile, std::string_view passphrase,
                                                    messenger_options opts) {
  auto s = local_store::open(profile, passphrase);
  if (!s) return store_failure(s.error(), "opening the profile " + profile.string());
  auto p = std::make_unique<impl>();
  p->profile = profile;
  p->opts = std::move(opts);
  p->store = std::move(*s);
  p->make_sessions();
  return std::unique_ptr<messenger>(new messenger(std::move(p)));
}

outcome<std::unique_ptr<messenger>> messenger::register_device(const std::filesystem::path& profile,
                                                               std::string_view passphrase, const server_url& url,
                                                               std::string_view invite, messenger_options opts) {
  // Refuse what the store would refuse before the invite is spent.
  if (passphrase.size() < 8)
    return store_failure(make_error_code(store_errc::weak_passphrase), "the passphrase must be at least 8 bytes");
  std::error_code fs_ec;
  if (std::filesystem::exists(profile / "local.db", fs_ec))
    return store_failure(make_error_code(store_errc::profile_exists), "there is already a profile in " + profile.string());

  auto p = std::make_unique<impl>();
  p->profile = profile;
  p->opts = std::move(opts);
  const auto now_s = static_cast<std::uint64_t>(p->now_ms() / 1000);
  auto identity = crypto::identity_keypair::generate(p->rng);
  auto spk = crypto::signed_prekey::generate(identity, 1, now_s, p->rng);
  auto otks = crypto::one_time_prekey::generate_batch(1, p->opts.prekey_batch, p->rng);

  auto server_key = p->open_and_greet(url);
  if (!server_key) return server_key.error();
  auto answer = p->call("register", codec::register_fields(invite, identity.public_keys(), spk.public_part(), otks),
                        "registration");
  if (!answer) return answer.error();
  auto reg = codec::read_register(answer->fields);
  if (!reg) return reg.error();

  account_info acct;
  acct.server_url = url.to_string();
  std::copy(server_key->begin(), server_key->end(), acct.server_key.begin());
  acct.user = reg->user;
  acct.device = reg->device;
  acct.role = reg->role;
  acct.display_name = reg->display_name;
  auto s = local_store::create(profile, passphrase, acct, identity, p->opts.kdf);
  if (!s) return store_failure(s.error(), "creating the profile " + profile.string());
  p->store = std::move(*s);
  auto saved = p->store->atomically([&]() -> store_result<void> {
    if (auto r = p->store->prekeys().store_signed_prekey(spk); !r) return r.error();
    for (const auto& k : otks)
      if (auto r = p->store->prekeys().store_one_time_prekey(k); !r) return r.error();
    return p->store->put("signed_prekey", "1 " + std::to_string(now_s));
  });
  if (!saved) return store_failure(saved.error(), "storing the prekeys");
  p->make_sessions();

  // Registration does not authenticate the connection (7.2): log in like any other time.
  auto logged_in = p->login();
  if (!logged_in) return logged_in.error();
  return std::unique_ptr<messenger>(new messenger(std::move(p)));
}

outcome<void> messenger::connect(std::optional<server_url> url) {
  auto& p = *impl_;
  if (!url) {
    auto parsed = parse_url(p.account().server_url);
    if (!parsed) return make_failure(errc::not_confidant, "the profile's server address is unusable: " + parsed.error());
    url = *parsed;
  }
  auto key = p.open_and_greet(*url);
  if (!key) return key.error();
  if (!std::equal(key->begin(), key->end(), p.account().server_key.begin())) {
    p.conn->close();
    return make_failure(errc::server_key_changed,
                        "the server at " + url->to_string() +
                            " presents a different server key than at registration: refusing to log in (if the "
                            "operator replaced the server, ask them; otherwise someone may be impersonating it)");
  }
  auto a = p.login();
  if (!a) return a.error();
  if (a->one_time_prekeys < p.opts.prekey_low_water) {
    if (auto r = p.replenish(a->one_time_prekeys); !r) return r.error();
  }
  if (auto r = p.rotate_signed_prekey_if_due(); !r) return r.error();
  for (auto& x : p.extensions) {
    if (auto r = x->on_login(); !r) return r.error();
  }
  // What waits is received before anything is sent (see drain()).
  if (a->pending > 0) {
    if (auto r = p.drain(p.opts.conn.timeout); !r) return r.error();
  }
  if (auto r = flush_outbox(); !r) return r.error();
  return {};
}

bool messenger::connected() const { return impl_->conn && impl_->conn->is_open(); }

void messenger::disconnect() {
  if (!impl_->conn) return;
  if (impl_->conn->is_open()) {
    (void)impl_->flush_acks();
    impl_->conn->close();
  }
  impl_->conn.reset();
}

std::int64_t messenger::pending_at_login() const { return impl_->pending; }
const account_info& messenger::account() const { return impl_->account(); }
local_store& messenger::store() { return *impl_->store; }
connection* messenger::raw_connection() { return impl_->conn.get(); }

outcome<messenger_extension*> messenger::attach(std::unique_ptr<messenger_extension> x) {
  auto* raw = x.get();
  impl_->extensions.push_back(std::move(x));
  if (connected()) {
    if (auto r = raw->on_login(); !r) return r.error();
  }
  return raw;
}

std::vector<messenger_extension*> messenger::extensions() {
  std::vector<messenger_extension*> out;
  for (auto& x : impl_->extensions) out.push_back(x.get());
  return out;
}

void messenger::add_notice(notice n) { impl_->notices.push_back(std::move(n)); }
crypto::random_source& messenger::rng() { return impl_->rng; }
std::int64_t messenger::now_ms() const { return impl_->now_ms(); }
std::int64_t messenger::server_now_ms() const { return impl_->now_ms() + impl_->clock_offset_ms; }
std::int64_t messenger::max_frame_bytes() const { return impl_->max_frame_bytes; }

std::vector<notice> messenger::take_notices() {
  std::vector<notice> out;
  out.swap(impl_->notices);
  return out;
}

}  // namespace confidant::client
