#include "crypto/bytes.hpp"

#include <sodium.h>

namespace confidant::crypto {

std::string to_hex(byte_view b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (byte x : b) {
    s.push_back(digits[x >> 4]);
    s.push_back(digits[x & 0x0f]);
  }
  return s;
}

result<bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return errc::malformed;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return errc::malformed;
    out[i] = static_cast<byte>((hi << 4) | lo);
  }
  return out;
}

void wipe(std::span<byte> b) noexcept {
  if (!b.empty()) sodium_memzero(b.data(), b.size());
}

void wipe(bytes& b) noexcept {
  wipe(std::span<byte>(b));
  b.clear();
}

byte_writer& byte_writer::u8(std::uint8_t v) {
  out_.push_back(v);
  return *this;
}

byte_writer& byte_writer::u16(std::uint16_t v) {
  out_.push_back(static_cast<byte>(v >> 8));
  out_.push_back(static_cast<byte>(v));
  return *this;
}

byte_writer& byte_writer::u32(std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<byte>(v >> shift));
  return *this;
}

byte_writer& byte_writer::u64(std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<byte>(v >> shift));
  return *this;
}

byte_writer& byte_writer::raw(byte_view b) {
  out_.insert(out_.end(), b.begin(), b.end());
  return *this;
}

byte_writer& byte_writer::blob(byte_view b) {
  u32(static_cast<std::uint32_t>(b.size()));
  return raw(b);
}

result<byte_view> byte_reader::raw(std::size_t n) {
  if (n > remaining()) return errc::malformed;
  auto out = in_.subspan(pos_, n);
  pos_ += n;
  return out;
}

result<std::uint8_t> byte_reader::u8() {
  auto r = raw(1);
  if (!r) return r.error();
  return (*r)[0];
}

result<std::uint16_t> byte_reader::u16() {
  auto r = raw(2);
  if (!r) return r.error();
  return static_cast<std::uint16_t>(((*r)[0] << 8) | (*r)[1]);
}

result<std::uint32_t> byte_reader::u32() {
  auto r = raw(4);
  if (!r) return r.error();
  std::uint32_t v = 0;
  for (byte x : *r) v = (v << 8) | x;
  return v;
}

result<std::uint64_t> byte_reader::u64() {
  auto r = raw(8);
  if (!r) return r.error();
  std::uint64_t v = 0;
  for (byte x : *r) v = (v << 8) | x;
  return v;
}

result<byte_view> byte_reader::blob(std::size_t max) {
  auto n = u32();
  if (!n) return n.error();
  if (*n > max) return errc::malformed;
  return raw(*n);
}

result<void> byte_reader::finish() const {
  if (remaining() != 0) return errc::malformed;
  return {};
}

}  // namespace confidant::crypto
