#pragma once

#include "crypto/error.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::crypto {

using byte = std::uint8_t;
using bytes = std::vector<byte>;
using byte_view = std::span<const byte>;

// The bytes of a string (labels, identifiers) as a byte view.
[[nodiscard]] inline byte_view as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const byte*>(s.data()), s.size()};
}

[[nodiscard]] std::string to_hex(byte_view b);
// Exactly 2*n hex digits, either case; anything else is errc::malformed.
[[nodiscard]] result<bytes> from_hex(std::string_view hex);

// Wipes a buffer that held secrets (plaintexts, serialized state) before it is freed.
void wipe(std::span<byte> b) noexcept;
void wipe(bytes& b) noexcept;

// Big-endian, length-checked writer for the library's compact binary records.
class byte_writer {
 public:
  byte_writer& u8(std::uint8_t v);
  byte_writer& u16(std::uint16_t v);
  byte_writer& u32(std::uint32_t v);
  byte_writer& u64(std::uint64_t v);
  byte_writer& raw(byte_view b);
  // A u32 length followed by the bytes.
  byte_writer& blob(byte_view b);

  [[nodiscard]] bytes take() noexcept { return std::move(out_); }
  [[nodiscard]] const bytes& view() const noexcept { return out_; }

 private:
  bytes out_;
};

// Reader matching byte_writer; every read fails with errc::malformed past the end.
class byte_reader {
 public:
  explicit byte_reader(byte_view in) noexcept : in_(in) {}

  [[nodiscard]] result<std::uint8_t> u8();
  [[nodiscard]] result<std::uint16_t> u16();
  [[nodiscard]] result<std::uint32_t> u32();
  [[nodiscard]] result<std::uint64_t> u64();
  [[nodiscard]] result<byte_view> raw(std::size_t n);
  // A u32 length (at most max) followed by the bytes.
  [[nodiscard]] result<byte_view> blob(std::size_t max);

  template <std::size_t N>
  [[nodiscard]] result<std::array<byte, N>> array() {
    auto r = raw(N);
    if (!r) return r.error();
    std::array<byte, N> a{};
    std::copy(r->begin(), r->end(), a.begin());
    return a;
  }

  [[nodiscard]] std::size_t remaining() const noexcept { return in_.size() - pos_; }
  // Succeeds only when every byte was consumed (no trailing garbage).
  [[nodiscard]] result<void> finish() const;

 private:
  byte_view in_;
  std::size_t pos_ = 0;
};

}  // namespace confidant::crypto
