#include "server/service/key_fields.hpp"

#include "crypto/prekeys.hpp"
#include "crypto/x25519.hpp"
#include "server/service/handler_support.hpp"

#include <set>

namespace confidant::service {
namespace {

constexpr std::int64_t max_u32 = 4294967295;

std::string rule(const wire::field_reader& in, std::string_view key, std::string_view what) {
  return "field `" + in.field_name(key) + "` " + std::string{what};
}

}  // namespace

std::optional<crypto::identity_public> read_identity(wire::field_reader& in, std::string_view key) {
  auto raw = in.binary(key, {.min_bytes = 128, .max_bytes = 128});
  if (!raw) return std::nullopt;
  auto id = crypto::identity_public::from_bytes(*raw);
  if (!id) {
    in.reject(wire::errc::invalid_field, rule(in, key, "is not a valid identity (keys or signature invalid)"));
    return std::nullopt;
  }
  return *id;
}

std::optional<store::signed_prekey_row> read_signed_prekey(wire::field_reader& in, std::string_view key, bool required) {
  const auto* obj = in.object(key, required);
  if (!obj) return std::nullopt;
  store::signed_prekey_row out;
  const bool ok = in.nested(*obj, std::string{key} + ".", [&](wire::field_reader& sub) {
    const auto id = sub.integer("id", {.min = 0, .max = max_u32});
    const auto created = sub.integer("created_at", {.min = 0});
    const auto pk = read_fixed<32>(sub, "key");
    const auto sig = read_fixed<64>(sub, "signature");
    if (!sub.ok()) return;
    if (!crypto::x25519::parse_public(*pk)) {
      sub.reject(wire::errc::invalid_field, rule(sub, "key", "is not a usable X25519 public key"));
      return;
    }
    out = {static_cast<std::uint32_t>(*id), *created, *pk, *sig};
  });
  if (!ok) return std::nullopt;
  return out;
}

bool check_signed_prekey(wire::field_reader& in, std::string_view key, const store::signed_prekey_row& spk,
                         const crypto::ed25519_public_key& signer) {
  crypto::signed_prekey_public pub;
  pub.id = spk.id;
  pub.created_at = static_cast<std::uint64_t>(spk.created_at_s);
  std::copy(spk.key.begin(), spk.key.end(), pub.key.bytes.begin());
  std::copy(spk.signature.begin(), spk.signature.end(), pub.signature.bytes.begin());
  if (pub.verify(signer)) return true;
  in.reject(wire::errc::invalid_field, "field `" + in.field_name(key) + ".signature` does not verify with the identity key");
  return false;
}

std::optional<std::vector<store::one_time_prekey_row>> read_one_time_prekeys(wire::field_reader& in,
                                                                             std::string_view key, bool required) {
  const auto* arr = in.array(key, {.min_items = 1, .max_items = max_prekeys_per_request, .required = required});
  if (!arr) return std::nullopt;
  std::vector<store::one_time_prekey_row> out;
  out.reserve(arr->size());
  std::set<std::uint32_t> ids;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto name = std::string{key} + "[" + std::to_string(i) + "]";
    const auto* obj = (*arr)[i].if_object();
    if (!obj) {
      in.reject(wire::errc::invalid_field, "field `" + in.field_name(name) + "` must be an object");
      return std::nullopt;
    }
    store::one_time_prekey_row row;
    const bool ok = in.nested(*obj, name + ".", [&](wire::field_reader& sub) {
      const auto id = sub.integer("id", {.min = 0, .max = max_u32});
      const auto pk = read_fixed<32>(sub, "key");
      if (!sub.ok()) return;
      if (!crypto::x25519::parse_public(*pk)) {
        sub.reject(wire::errc::invalid_field, rule(sub, "key", "is not a usable X25519 public key"));
        return;
      }
      row = {static_cast<std::uint32_t>(*id), *pk};
    });
    if (!ok) return std::nullopt;
    if (!ids.insert(row.id).second) {
      in.reject(wire::errc::invalid_field, "field `" + in.field_name(key) + "` has two prekeys with the same id");
      return std::nullopt;
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace confidant::service
