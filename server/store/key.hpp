#pragma once

#include "server/store/error.hpp"

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace confidant::store {

// A raw 256-bit database key. Zeroed on destruction; never printed.
class db_key {
 public:
  static constexpr std::size_t size = 32;

  db_key() = default;
  db_key(const db_key&) = delete;
  db_key& operator=(const db_key&) = delete;
  db_key(db_key&& other) noexcept;
  db_key& operator=(db_key&& other) noexcept;
  ~db_key();

  // A fresh key from the operating system's CSPRNG.
  [[nodiscard]] static db_key random();
  // Parses exactly 64 hex digits (surrounding whitespace allowed).
  [[nodiscard]] static result<db_key> from_hex(std::string_view hex);

  [[nodiscard]] const std::array<unsigned char, size>& bytes() const noexcept { return bytes_; }
  // SQLCipher's raw-key literal: x'<64 hex digits>'. The caller zeroes the string after use.
  [[nodiscard]] std::string sqlcipher_literal() const;

 private:
  std::array<unsigned char, size> bytes_{};
};

// Reads a key file: 64 hex digits, mode 0600 or stricter (systemd credentials are 0400).
[[nodiscard]] result<db_key> read_key_file(const std::filesystem::path& path);

// Creates a new key file with mode 0600 (O_EXCL: never overwrites) holding `key`.
[[nodiscard]] result<void> write_key_file(const std::filesystem::path& path, const db_key& key);

}  // namespace confidant::store
