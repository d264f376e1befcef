#include "schema/wire/invite_code.hpp"

namespace confidant::wire {
namespace {

constexpr std::string_view alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford: no I L O U
constexpr std::size_t digits = 26;                                         // ceil(128 / 5)

int value_of(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') return 0;
  if (c == 'I' || c == 'L') return 1;
  const auto pos = alphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::string format_invite_code(const invite_bytes& bytes) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t written = 0;
  auto emit = [&](unsigned v) {
    if (written > 0 && written % 4 == 0) out += '-';
    out += alphabet[v & 31u];
    ++written;
  };
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      emit(buffer >> (bits - 5));
      bits -= 5;
    }
  }
  if (bits > 0) emit(buffer << (5 - bits));
  return out;
}

std::optional<invite_bytes> parse_invite_code(std::string_view text) {
  invite_bytes out{};
  unsigned buffer = 0;
  int bits = 0;
  std::size_t count = 0, filled = 0;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    const int v = value_of(c);
    if (v < 0 || ++count > digits) return std::nullopt;
    buffer = (buffer << 5) | static_cast<unsigned>(v);
    bits += 5;
    if (bits >= 8) {
      if (filled == out.size()) return std::nullopt;
      out[filled++] = static_cast<unsigned char>(buffer >> (bits - 8));
      bits -= 8;
    }
    buffer &= (1u << bits) - 1u;
  }
  // 26 digits = 130 bits: the 2 spare bits of the last digit must be zero.
  if (count != digits || filled != out.size() || buffer != 0) return std::nullopt;
  return out;
}

}  // namespace confidant::wire
