#include "client/lib/sealed_body.hpp"

#include "crypto/aead.hpp"
#include "crypto/ed25519.hpp"

#include <sodium.h>

#include <algorithm>

namespace confidant::client::sealed_body {
namespace {

constexpr std::size_t sealed_key = 32 + crypto_box_SEALBYTES;  // 48
constexpr std::size_t header_fixed = 1 + 8 + 4 + 8 + 1;
constexpr std::size_t sig_size = 64;

void put(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
std::uint64_t get(std::span<const std::uint8_t> in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | in[at + static_cast<std::size_t>(i)];
  return v;
}

failure malformed(purpose p, std::string why) {
  return make_failure(errc::bad_answer, std::string{name(p)} + ": " + std::move(why));
}

}  // namespace

std::string_view label(purpose p) {
  switch (p) {
    case purpose::meeting_details: return "Confidant_Meeting_Details_v1";
    case purpose::concern: return "Confidant_Concern_v1";
    case purpose::feedback: return "Confidant_Feedback_v1";
    case purpose::feedback_release: return "Confidant_Feedback_Release_v1";
    case purpose::note: return "Confidant_Note_v1";
  }
  return {};
}

std::string_view name(purpose p) {
  switch (p) {
    case purpose::meeting_details: return "meeting details";
    case purpose::concern: return "concern";
    case purpose::feedback: return "feedback answer";
    case purpose::feedback_release: return "released feedback";
    case purpose::note: return "meeting note";
  }
  return {};
}

outcome<std::vector<std::uint8_t>> seal(purpose p, const crypto::identity_keypair& author, std::int64_t author_user,
                                        std::int64_t author_device, std::int64_t owner,
                                        const std::vector<recipient>& devices, std::string_view text,
                                        crypto::random_source& rng) {
  const auto label_bytes = crypto::as_bytes(label(p));
  if (devices.empty() || devices.size() > max_devices) return malformed(p, "1 to 16 devices are needed");
  std::vector<std::uint8_t> body;
  body.push_back(0x01);
  put(body, static_cast<std::uint64_t>(author_user), 8);
  put(body, static_cast<std::uint64_t>(author_device), 4);
  put(body, static_cast<std::uint64_t>(owner), 8);
  body.push_back(static_cast<std::uint8_t>(devices.size()));
  auto k = crypto::aead::key{rng.array<32>()};
  for (const auto& d : devices) {
    put(body, static_cast<std::uint64_t>(d.device), 4);
    std::array<std::uint8_t, sealed_key> sealed{};
    if (crypto_box_seal(sealed.data(), k.data(), 32, d.identity.dh.data()) != 0) return malformed(p, "sealing failed");
    body.insert(body.end(), sealed.begin(), sealed.end());
  }
  const auto n = rng.array<crypto::aead::nonce_size>();
  std::vector<std::uint8_t> ad(label_bytes.begin(), label_bytes.end());
  ad.insert(ad.end(), body.begin(), body.end());
  body.insert(body.end(), n.begin(), n.end());
  const auto ct = crypto::aead::seal(k, n, crypto::as_bytes(text), ad);
  body.insert(body.end(), ct.begin(), ct.end());
  const auto sig = author.sign({label_bytes, body});
  body.insert(body.end(), sig.view().begin(), sig.view().end());
  if (body.size() > max_body) return malformed(p, "the text is too long (at most about 7 KB)");
  return body;
}

outcome<opened> open(purpose p, const crypto::identity_keypair& mine, std::int64_t me, std::int64_t my_device,
                     std::span<const std::uint8_t> body, const identity_lookup& lookup) {
  const auto label_bytes = crypto::as_bytes(label(p));
  if (body.size() < header_fixed || body[0] != 0x01) return malformed(p, "unknown format");
  const auto n = body[header_fixed - 1];
  const std::size_t nonce_at = header_fixed + n * (4 + sealed_key);
  if (n == 0 || body.size() < nonce_at + crypto::aead::nonce_size + crypto::aead::tag_size + sig_size)
    return malformed(p, "too short");
  opened out;
  out.author_user = static_cast<std::int64_t>(get(body, 1, 8));
  out.author_device = static_cast<std::int64_t>(get(body, 9, 4));
  if (static_cast<std::int64_t>(get(body, 13, 8)) != me) return malformed(p, "written for another user");
  std::optional<crypto::aead::key> k;
  for (std::size_t i = 0; i < n; ++i) {
    const auto at = header_fixed + i * (4 + sealed_key);
    if (static_cast<std::int64_t>(get(body, at, 4)) != my_device) continue;
    std::array<std::uint8_t, 32> plain{};
    if (crypto_box_seal_open(plain.data(), body.data() + at + 4, sealed_key, mine.public_keys().dh.data(),
                             mine.dh_secret().data()) != 0)
      return malformed(p, "the key for this device does not open");
    k.emplace(std::span<const std::uint8_t, 32>{plain});
    sodium_memzero(plain.data(), plain.size());
    break;
  }
  if (!k) return malformed(p, "not encrypted for this device");
  crypto::aead::nonce nonce{};
  std::copy_n(body.begin() + static_cast<std::ptrdiff_t>(nonce_at), nonce.size(), nonce.begin());
  std::vector<std::uint8_t> ad(label_bytes.begin(), label_bytes.end());
  ad.insert(ad.end(), body.begin(), body.begin() + static_cast<std::ptrdiff_t>(nonce_at));
  const auto sig_at = body.size() - sig_size;
  const auto ct = body.subspan(nonce_at + nonce.size(), sig_at - nonce_at - nonce.size());
  auto text = crypto::aead::open(*k, nonce, ct, ad);
  if (!text) return malformed(p, "does not decrypt");
  out.text.assign(text->begin(), text->end());
  if (auto id = lookup(out.author_user, out.author_device)) {
    auto sig = crypto::ed25519_signature::from(body.subspan(sig_at));
    out.verified = sig && crypto::ed25519::verify(id->signing, *sig, {label_bytes, body.first(sig_at)}).has_value();
  }
  return out;
}

outcome<std::vector<std::uint8_t>> reseal(purpose from, purpose to, const crypto::identity_keypair& mine,
                                          std::int64_t me, std::int64_t my_device, std::span<const std::uint8_t> body,
                                          const identity_lookup& lookup, std::int64_t owner,
                                          const std::vector<recipient>& devices, crypto::random_source& rng) {
  auto opened = open(from, mine, me, my_device, body, lookup);
  if (!opened) return opened.error();
  if (opened->author_user != me || !opened->verified) {
    sodium_memzero(opened->text.data(), opened->text.size());
    return malformed(from, "not written and signed by this account: it is not passed on");
  }
  auto out = seal(to, mine, me, my_device, owner, devices, opened->text, rng);
  sodium_memzero(opened->text.data(), opened->text.size());
  return out;
}

}  // namespace confidant::client::sealed_body
