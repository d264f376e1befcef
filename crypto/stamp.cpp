#include "crypto/stamp.hpp"

namespace confidant::crypto::franking {
namespace {

constexpr std::string_view leaf_label = "Confidant_Stamp_v1";
constexpr std::string_view root_label = "Confidant_Stamp_Root_v1";
constexpr byte stamp_version = 1;

result<sha256_digest> leaf_hash(const stamp_fields& f) {
  if (f.sender.size() > 255 || f.recipient.size() > 255) return errc::invalid_argument;
  byte_writer w;
  w.u8(0).raw(as_bytes(leaf_label)).raw(f.c.view());
  w.u8(static_cast<std::uint8_t>(f.sender.size())).raw(as_bytes(f.sender));
  w.u8(static_cast<std::uint8_t>(f.recipient.size())).raw(as_bytes(f.recipient)).u64(f.time);
  return sha256({w.view()});
}

sha256_digest node_hash(const sha256_digest& left, const sha256_digest& right) {
  static constexpr byte prefix[1] = {1};
  return sha256({byte_view(prefix), left, right});
}

std::array<byte, 4> u32_bytes(std::uint32_t v) {
  return {static_cast<byte>(v >> 24), static_cast<byte>(v >> 16), static_cast<byte>(v >> 8), static_cast<byte>(v)};
}

}  // namespace

result<std::vector<stamp>> sign_batch(const ed25519_secret_key& server, std::span<const stamp_fields> batch) {
  if (batch.empty() || batch.size() > max_batch) return errc::invalid_argument;
  const auto n = static_cast<std::uint32_t>(batch.size());
  std::vector<stamp> out(batch.size());
  std::vector<sha256_digest> level;
  for (std::uint32_t i = 0; i < n; ++i) {
    auto h = leaf_hash(batch[i]);
    if (!h) return h.error();
    level.push_back(*h);
    out[i].fields = batch[i];
    out[i].index = i;
    out[i].batch_size = n;
  }
  // Position of each stamp's ancestor at the current level.
  std::vector<std::size_t> pos(batch.size());
  for (std::size_t i = 0; i < pos.size(); ++i) pos[i] = i;
  while (level.size() > 1) {
    for (std::size_t i = 0; i < out.size(); ++i) {
      const std::size_t sibling = pos[i] ^ 1u;
      if (sibling < level.size()) out[i].path.push_back(level[sibling]);
      pos[i] /= 2;
    }
    std::vector<sha256_digest> up;
    for (std::size_t i = 0; i < level.size(); i += 2) {
      up.push_back(i + 1 < level.size() ? node_hash(level[i], level[i + 1]) : level[i]);
    }
    level = std::move(up);
  }
  const auto size = u32_bytes(n);
  const auto sig = ed25519::sign(server, {as_bytes(root_label), level[0], size});
  for (auto& s : out) s.signature = sig;
  return out;
}

result<void> verify_stamp(const ed25519_public_key& server, const stamp& s) {
  if (s.batch_size == 0 || s.batch_size > max_batch || s.index >= s.batch_size) return errc::bad_stamp;
  auto h = leaf_hash(s.fields);
  if (!h) return errc::bad_stamp;
  std::size_t pos = s.index;
  std::size_t width = s.batch_size;
  std::size_t used = 0;
  sha256_digest acc = *h;
  while (width > 1) {
    const std::size_t sibling = pos ^ 1u;
    if (sibling < width) {
      if (used == s.path.size()) return errc::bad_stamp;
      acc = (pos % 2 == 0) ? node_hash(acc, s.path[used]) : node_hash(s.path[used], acc);
      ++used;
    }
    pos /= 2;
    width = (width + 1) / 2;
  }
  if (used != s.path.size()) return errc::bad_stamp;
  const auto size = u32_bytes(s.batch_size);
  if (!ed25519::verify(server, s.signature, {as_bytes(root_label), acc, size})) return errc::bad_stamp;
  return {};
}

bytes stamp::to_bytes() const {
  byte_writer w;
  w.u8(stamp_version).raw(fields.c.view());
  w.u8(static_cast<std::uint8_t>(fields.sender.size())).raw(as_bytes(fields.sender));
  w.u8(static_cast<std::uint8_t>(fields.recipient.size())).raw(as_bytes(fields.recipient));
  w.u64(fields.time).u32(index).u32(batch_size).u8(static_cast<std::uint8_t>(path.size()));
  for (const auto& p : path) w.raw(p);
  w.raw(signature.view());
  return w.take();
}

result<stamp> stamp::from_bytes(byte_view b) {
  byte_reader r(b);
  auto v = r.u8();
  if (!v) return v.error();
  if (*v != stamp_version) return errc::unsupported_version;
  stamp s;
  auto c = r.array<32>();
  auto sender_len = r.u8();
  if (!c || !sender_len) return errc::malformed;
  auto sender = r.raw(*sender_len);
  auto recipient_len = r.u8();
  if (!sender || !recipient_len) return errc::malformed;
  auto recipient = r.raw(*recipient_len);
  auto time = r.u64();
  auto index = r.u32();
  auto size = r.u32();
  auto path_len = r.u8();
  if (!recipient || !time || !index || !size || !path_len || *path_len > 32) return errc::malformed;
  for (std::uint8_t i = 0; i < *path_len; ++i) {
    auto p = r.array<32>();
    if (!p) return p.error();
    s.path.push_back(*p);
  }
  auto sig = r.array<64>();
  if (!sig) return sig.error();
  if (auto f = r.finish(); !f) return f.error();
  s.fields.c.bytes = *c;
  s.fields.sender.assign(sender->begin(), sender->end());
  s.fields.recipient.assign(recipient->begin(), recipient->end());
  s.fields.time = *time;
  s.index = *index;
  s.batch_size = *size;
  s.signature.bytes = *sig;
  return s;
}

}  // namespace confidant::crypto::franking
