#include "client/lib/quote_check.hpp"

#include "client/lib/payload.hpp"
#include "crypto/quote.hpp"

namespace confidant::client::quote_check {
namespace {

failure bad(const std::string& what) { return make_failure(errc::invalid_request, "cannot quote this message: " + what); }

std::string reason(const boost::system::error_code& ec) {
  if (ec.category() != crypto::category()) return ec.message();
  switch (static_cast<crypto::errc>(ec.value())) {
    case crypto::errc::bad_stamp: return "the server's stamp does not verify";
    case crypto::errc::commitment_mismatch: return "the text does not match what the sender committed to";
    case crypto::errc::binding_mismatch: return "the stamp names other users than the quote";
    case crypto::errc::unsupported_version: return "a quote format this client does not know";
    default: return "the quote is malformed";
  }
}

}  // namespace

outcome<bytes> make(std::span<const std::uint8_t> context, std::span<const std::uint8_t> message,
                    std::span<const std::uint8_t> franking_key, std::span<const std::uint8_t> stamp) {
  if (context.empty() || message.empty() || franking_key.size() != 32 || stamp.empty())
    return bad("it carries no franking proof (only received messages can be quoted)");
  auto ctx = crypto::franking::context::decode(context);
  if (!ctx) return bad("its franking context is unreadable");
  auto st = crypto::franking::stamp::from_bytes(stamp);
  if (!st) return bad("its stamp is unreadable");
  crypto::franking::quote q{std::move(*ctx), bytes(message.begin(), message.end()),
                            crypto::franking::key(franking_key.first<32>()), std::move(*st)};
  auto out = q.to_bytes();
  crypto::wipe(q.message);
  return out;
}

verdict check(const std::array<std::uint8_t, 32>& server_key, std::int64_t raiser, std::span<const std::uint8_t> quote) {
  verdict v;
  auto q = crypto::franking::quote::from_bytes(quote);
  if (!q) {
    v.problem = reason(q.error());
    return v;
  }
  v.sender = q->ctx.sender;
  v.recipient = q->ctx.recipient;
  v.sent_at_ms = static_cast<std::int64_t>(q->ctx.sent_at) * 1000;
  v.stamped_at_ms = static_cast<std::int64_t>(q->st.fields.time) * 1000;
  auto decoded = decode_payload(q->message);
  if (decoded) {
    if (const auto* t = std::get_if<text_payload>(&*decoded)) v.text = t->text;
  }
  auto key = crypto::ed25519_public_key::from(server_key);
  const auto ok = key ? crypto::franking::verify_quote(*key, *q) : crypto::result<void>(crypto::errc::bad_stamp);
  crypto::wipe(q->message);
  if (!ok) {
    v.problem = reason(ok.error());
    return v;
  }
  if (v.recipient != std::to_string(raiser)) {
    v.problem = "the quoted message was not sent to the person who raised the flag";
    return v;
  }
  if (!decoded || !std::holds_alternative<text_payload>(*decoded)) {
    v.problem = "the quoted message is not a text message";
    return v;
  }
  v.verified = true;
  return v;
}

}  // namespace confidant::client::quote_check
