#pragma once

// Public prekeys of devices (schema 0003): the current signed prekey and a supply of one-time
// prekeys, each handed out once.

#include "server/store/database.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace confidant::store {

inline constexpr std::size_t max_one_time_prekeys = 1000;  // per device

struct signed_prekey_row {
  std::uint32_t id = 0;
  std::int64_t created_at_s = 0;
  std::array<unsigned char, 32> key{};
  std::array<unsigned char, 64> signature{};
};

struct one_time_prekey_row {
  std::uint32_t id = 0;
  std::array<unsigned char, 32> key{};
};

[[nodiscard]] result<void> put_signed_prekey(database& db, std::int64_t account, std::int64_t device,
                                             const signed_prekey_row& spk);
[[nodiscard]] result<std::optional<signed_prekey_row>> get_signed_prekey(database& db, std::int64_t account,
                                                                         std::int64_t device);

// Adds one-time prekeys. errc::constraint when an id is held already (nothing is added: run it
// in a transaction or savepoint, as every writer job is).
[[nodiscard]] result<void> add_one_time_prekeys(database& db, std::int64_t account, std::int64_t device,
                                                std::span<const one_time_prekey_row> keys);
[[nodiscard]] result<std::int64_t> count_one_time_prekeys(database& db, std::int64_t account, std::int64_t device);
// Removes and returns the device's lowest-id one-time prekey (nullopt when none is left). In the
// writer, so two fetches never hand out the same key.
[[nodiscard]] result<std::optional<one_time_prekey_row>> take_one_time_prekey(database& db, std::int64_t account,
                                                                              std::int64_t device);

}  // namespace confidant::store
