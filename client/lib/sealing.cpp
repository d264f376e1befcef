#include "client/lib/sealing.hpp"

namespace confidant::client::sealing {
namespace {

std::vector<sealed_body::recipient> pinned(messenger& m, std::int64_t user) {
  std::vector<sealed_body::recipient> out;
  auto known = m.store().known_identities(user);
  if (!known) return out;
  for (const auto& [who, key] : *known) out.push_back({static_cast<std::int64_t>(who.device), key});
  return out;
}

outcome<std::vector<sealed_body::recipient>> own_devices(messenger& m) {
  auto devices = m.devices();
  if (!devices) return devices.error();
  std::vector<sealed_body::recipient> out;
  for (const auto& d : *devices)
    if (auto id = crypto::identity_public::from_bytes(d.identity)) out.push_back({d.device, *id});
  return out;
}

std::optional<crypto::identity_public> author_identity(messenger& m, std::int64_t user, std::int64_t device) {
  const auto& me = m.account();
  if (user == me.user && device == me.device) return m.store().identities().own_identity().public_keys();
  std::vector<sealed_body::recipient> known;
  if (user == me.user) {
    if (auto own = own_devices(m)) known = std::move(*own);
  } else {
    known = pinned(m, user);
    if (known.empty() && m.connected()) {
      // First sight of the author: learn and pin their devices' identities, as for a message.
      (void)m.safety_numbers(user);
      known = pinned(m, user);
    }
  }
  for (const auto& r : known)
    if (r.device == device) return r.identity;
  return std::nullopt;
}

sealed_body::identity_lookup lookup_for(messenger& m) {
  return [&m](std::int64_t user, std::int64_t device) { return author_identity(m, user, device); };
}

}  // namespace

outcome<std::vector<sealed_body::recipient>> recipients(messenger& m, std::int64_t owner) {
  if (owner == m.account().user) return own_devices(m);
  auto theirs = pinned(m, owner);
  if (theirs.empty()) {
    if (auto s = m.safety_numbers(owner); !s) return s.error();
    theirs = pinned(m, owner);
  }
  if (theirs.empty())
    return make_failure(errc::unknown_contact,
                        "no device of user " + std::to_string(owner) + " is known: nothing can be encrypted for them");
  return theirs;
}

outcome<addressed> seal_for(messenger& m, sealed_body::purpose p, std::int64_t owner, std::string_view text) {
  auto devices = recipients(m, owner);
  if (!devices) return devices.error();
  const auto& me = m.account();
  auto body = sealed_body::seal(p, m.store().identities().own_identity(), me.user, me.device, owner, *devices, text,
                                m.rng());
  if (!body) return body.error();
  return addressed{owner, std::move(*body)};
}

outcome<std::vector<addressed>> seal_for_each(messenger& m, sealed_body::purpose p,
                                              const std::vector<std::int64_t>& owners, std::string_view text) {
  std::vector<addressed> out;
  for (const auto owner : owners) {
    auto one = seal_for(m, p, owner, text);
    if (!one) return one.error();
    out.push_back(std::move(*one));
  }
  return out;
}

outcome<addressed> reseal_for(messenger& m, sealed_body::purpose from, sealed_body::purpose to, std::int64_t owner,
                              std::span<const std::uint8_t> body) {
  auto devices = recipients(m, owner);
  if (!devices) return devices.error();
  const auto& me = m.account();
  auto sealed = sealed_body::reseal(from, to, m.store().identities().own_identity(), me.user, me.device, body, lookup_for(m),
                                    owner, *devices, m.rng());
  if (!sealed) return sealed.error();
  return addressed{owner, std::move(*sealed)};
}

outcome<sealed_body::opened> open(messenger& m, sealed_body::purpose p, std::span<const std::uint8_t> body) {
  const auto& me = m.account();
  return sealed_body::open(p, m.store().identities().own_identity(), me.user, me.device, body, lookup_for(m));
}

std::string readable(messenger& m, sealed_body::purpose p, std::span<const std::uint8_t> body) {
  auto opened = open(m, p, body);
  if (!opened) return "[not readable on this device: " + opened.error().detail + "]";
  return (opened->verified ? "" : "(unverified) ") + opened->text;
}

}  // namespace confidant::client::sealing
