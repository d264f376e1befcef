// The crypto library's parsers of bytes that arrive from elsewhere (a peer, the server, the local
// store), chosen by the first byte of the input: the Sesame envelope, the ratchet header and
// message, prekey bundles, franking stamps, contexts and quotes, identities, prekeys, SPOC
// certificates and sealed flags, passphrase records, ratchet sessions and session records, and
// the invite code text, and the franked payload inside the encryption. What parses is verified (signatures, Merkle paths: they must fail
// cleanly) and must encode back to exactly the input: every format here is canonical.
#include "crypto/bundle.hpp"
#include "crypto/envelope.hpp"
#include "crypto/flag.hpp"
#include "crypto/franking.hpp"
#include "crypto/identity.hpp"
#include "crypto/passphrase.hpp"
#include "crypto/prekeys.hpp"
#include "crypto/quote.hpp"
#include "crypto/ratchet/header.hpp"
#include "crypto/ratchet/session.hpp"
#include "crypto/session_record.hpp"
#include "crypto/stamp.hpp"
#include "schema/wire/invite_code.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace confidant;
using namespace confidant::crypto;

// Which parser reads the rest of the input (the first byte, modulo the count).
enum class target : std::uint8_t {
  envelope,
  ratchet_header,
  ratchet_message,
  bundle,
  stamp,
  identity,
  invite_code,
  franking_context,
  quote,
  signed_prekey,
  one_time_prekey,
  spoc_certificate,
  sealed_flag,
  passphrase_record,
  ratchet_session,
  session_record,
  franked_payload,
  count
};

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "crypto_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

bool same(const bytes& a, byte_view b) { return std::ranges::equal(a, b); }
template <std::size_t N>
bool same(const std::array<byte, N>& a, byte_view b) {
  return std::ranges::equal(a, b);
}

// Keys the verifiers check against: fixed for the whole run (nothing parsed will match them).
struct keys {
  keys() : rng(1), own(identity_keypair::generate(rng)), server(ed25519::generate(rng)) {}
  deterministic_random rng;
  identity_keypair own;
  ed25519::keypair server;
};

const keys& fixed() {
  static const keys k;
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto which = static_cast<target>(data[0] % static_cast<std::uint8_t>(target::count));
  const byte_view in{data + 1, size - 1};
  const auto& k = fixed();

  switch (which) {
    case target::envelope:
      if (auto e = sesame::envelope::from_bytes(in)) {
        check(same(e->to_bytes(), in), "envelope does not round-trip");
        check(same(e->prefix(), in.first(e->prefix().size())), "envelope prefix is not its first bytes");
        if (e->prekey) check(e->prekey->initiator.verify().has_value(), "envelope initiator identity not verified");
      }
      break;
    case target::ratchet_header:
      if (auto h = ratchet::header::from_bytes(in)) check(same(h->to_bytes(), in), "ratchet header does not round-trip");
      break;
    case target::ratchet_message:
      if (auto m = ratchet::message::from_bytes(in)) check(same(m->to_bytes(), in), "ratchet message does not round-trip");
      break;
    case target::bundle:
      if (auto b = prekey_bundle::from_bytes(in)) {
        check(same(b->to_bytes(), in), "bundle does not round-trip");
        (void)b->verify();
      }
      break;
    case target::stamp:
      if (auto s = franking::stamp::from_bytes(in)) {
        check(same(s->to_bytes(), in), "stamp does not round-trip");
        check(!franking::verify_stamp(k.server.public_key, *s), "a parsed stamp verified under an unrelated key");
      }
      break;
    case target::identity:
      if (auto id = identity_public::from_bytes(in)) {
        check(same(id->to_bytes(), in), "identity does not round-trip");
        check(id->verify().has_value(), "identity parsed but does not verify");
      }
      break;
    case target::invite_code: {
      const std::string_view text{reinterpret_cast<const char*>(in.data()), in.size()};
      if (auto code = wire::parse_invite_code(text)) {
        const auto again = wire::parse_invite_code(wire::format_invite_code(*code));
        check(again && *again == *code, "invite code does not round-trip through its printed form");
      }
      break;
    }
    case target::franking_context:
      if (auto c = franking::context::decode(in)) {
        auto encoded = c->encode();
        check(encoded && same(*encoded, in), "franking context does not round-trip");
      }
      break;
    case target::quote:
      if (auto q = franking::quote::from_bytes(in)) {
        check(same(q->to_bytes(), in), "quote does not round-trip");
        check(!franking::verify_quote(k.server.public_key, *q), "a parsed quote verified under an unrelated key");
      }
      break;
    case target::signed_prekey:
      if (auto p = signed_prekey::from_bytes(in)) check(same(p->to_bytes(), in), "signed prekey does not round-trip");
      break;
    case target::one_time_prekey:
      if (auto p = one_time_prekey::from_bytes(in)) check(same(p->to_bytes(), in), "one-time prekey does not round-trip");
      break;
    case target::spoc_certificate:
      if (auto c = flag::spoc_key_certificate::from_bytes(in)) {
        check(same(c->to_bytes(), in), "SPOC certificate does not round-trip");
        check(!c->verify(k.server.public_key, c->not_before), "a parsed certificate verified under an unrelated key");
      }
      break;
    case target::sealed_flag:
      if (auto f = flag::sealed_flag::from_bytes(in)) check(same(f->to_bytes(), in), "sealed flag does not round-trip");
      break;
    case target::passphrase_record:
      if (auto r = passphrase::record::from_bytes(in)) check(same(r->to_bytes(), in), "passphrase record does not round-trip");
      break;
    case target::ratchet_session:
      if (auto s = ratchet::session::from_bytes(in)) check(same(s->to_bytes(), in), "ratchet session does not round-trip");
      break;
    case target::session_record:
      if (auto r = sesame::session_record::from_bytes(in, k.own.public_keys(), {})) {
        check(same(r->to_bytes(), in), "session record does not round-trip");
      }
      break;
    case target::franked_payload:
      // A decrypted payload checked against a commitment it was not made with.
      check(!franking::open(in, franking::commitment{}), "a payload opened under an all-zero commitment");
      break;
    case target::count:
      break;
  }
  return 0;
}
