#include "crypto/quote.hpp"

namespace confidant::crypto::franking {
namespace {

constexpr byte quote_version = 1;

result<void> check_binding(const ed25519_public_key& server, const context& ctx, const commitment& c,
                           const stamp& st) {
  if (auto v = verify_stamp(server, st); !v) return v;
  if (!(st.fields.c == c)) return errc::commitment_mismatch;
  if (st.fields.sender != ctx.sender || st.fields.recipient != ctx.recipient) return errc::binding_mismatch;
  return {};
}

}  // namespace

result<void> check_delivery(const ed25519_public_key& server, const opened& o, const stamp& st) {
  return check_binding(server, o.ctx, o.c, st);
}

quote make_quote(const opened& o, const stamp& st) { return quote{o.ctx, o.message, o.k.clone(), st}; }

result<void> verify_quote(const ed25519_public_key& server, const quote& q) {
  auto c = compute(q.k, q.ctx, q.message);
  if (!c) return c.error();
  return check_binding(server, q.ctx, *c, q.st);
}

bytes quote::to_bytes() const {
  byte_writer w;
  w.u8(quote_version).blob(ctx.encode().value()).blob(message).raw(k.view()).blob(st.to_bytes());
  return w.take();
}

result<quote> quote::from_bytes(byte_view b) {
  byte_reader r(b);
  auto v = r.u8();
  if (!v) return v.error();
  if (*v != quote_version) return errc::unsupported_version;
  auto ctx_bytes = r.blob(1024);
  if (!ctx_bytes) return errc::malformed;
  auto message = r.blob(max_message);
  auto k = r.raw(32);
  if (!message || !k) return errc::malformed;
  auto st_bytes = r.blob(4096);
  if (!st_bytes) return errc::malformed;
  if (auto f = r.finish(); !f) return f.error();
  auto ctx = context::decode(*ctx_bytes);
  if (!ctx) return ctx.error();
  auto st = stamp::from_bytes(*st_bytes);
  if (!st) return st.error();
  return quote{std::move(*ctx), bytes(message->begin(), message->end()), key(k->first<32>()), std::move(*st)};
}

}  // namespace confidant::crypto::franking
