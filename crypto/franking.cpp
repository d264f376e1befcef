#include "crypto/franking.hpp"

#include "crypto/hash.hpp"

namespace confidant::crypto::franking {
namespace {

constexpr byte version = 1;

}  // namespace

result<bytes> context::encode() const {
  if (sender.size() > 255 || recipient.size() > 255) return errc::invalid_argument;
  byte_writer w;
  w.u8(version).u8(static_cast<std::uint8_t>(sender.size())).raw(as_bytes(sender));
  w.u8(static_cast<std::uint8_t>(recipient.size())).raw(as_bytes(recipient));
  w.u64(sent_at).raw(message_id);
  return w.take();
}

result<context> context::decode(byte_view b) {
  byte_reader r(b);
  auto v = r.u8();
  if (!v) return v.error();
  if (*v != version) return errc::unsupported_version;
  context ctx;
  auto sender_len = r.u8();
  if (!sender_len) return errc::malformed;
  auto sender = r.raw(*sender_len);
  auto recipient_len = r.u8();
  if (!sender || !recipient_len) return errc::malformed;
  auto recipient = r.raw(*recipient_len);
  auto sent_at = r.u64();
  auto id = r.array<16>();
  if (!recipient || !sent_at || !id) return errc::malformed;
  if (auto f = r.finish(); !f) return f.error();
  ctx.sender.assign(sender->begin(), sender->end());
  ctx.recipient.assign(recipient->begin(), recipient->end());
  ctx.sent_at = *sent_at;
  ctx.message_id = *id;
  return ctx;
}

result<commitment> compute(const key& k, const context& ctx, byte_view message) {
  auto encoded = ctx.encode();
  if (!encoded) return encoded.error();
  const auto digest = sha256({message});
  const auto tag = hmac_sha256(k.view(), {*encoded, digest});
  return commitment{tag.bytes};
}

result<franked> commit(random_source& rng, const context& ctx, byte_view message) {
  if (message.size() > max_message) return errc::invalid_argument;
  key k;
  rng.fill(k.writable());
  auto c = compute(k, ctx, message);
  if (!c) return c.error();
  byte_writer w;
  w.u8(version).raw(k.view()).blob(*ctx.encode()).blob(message);
  return franked{w.take(), *c};
}

result<opened> open(byte_view payload, const commitment& claimed) {
  byte_reader r(payload);
  auto v = r.u8();
  if (!v) return v.error();
  if (*v != version) return errc::unsupported_version;
  auto k = r.raw(32);
  auto ctx_bytes = r.blob(1 + 1 + 255 + 1 + 255 + 8 + 16);
  if (!k || !ctx_bytes) return errc::malformed;
  auto message = r.blob(max_message);
  if (!message) return errc::malformed;
  if (auto f = r.finish(); !f) return f.error();
  auto ctx = context::decode(*ctx_bytes);
  if (!ctx) return ctx.error();
  opened out{std::move(*ctx), bytes(message->begin(), message->end()), key(k->first<32>()), {}};
  auto c = compute(out.k, out.ctx, out.message);
  if (!c) return c.error();
  if (!(*c == claimed)) return errc::commitment_mismatch;
  out.c = *c;
  return out;
}

}  // namespace confidant::crypto::franking
