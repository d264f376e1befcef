#include "crypto/ratchet/header.hpp"

#include "crypto/aead.hpp"

namespace confidant::crypto::ratchet {

std::array<byte, header::encoded_size> header::to_bytes() const {
  byte_writer w;
  w.u8(header_version).raw(dh.view()).u32(pn).u32(n);
  std::array<byte, encoded_size> out{};
  std::copy(w.view().begin(), w.view().end(), out.begin());
  return out;
}

result<header> header::from_bytes(byte_view b) {
  if (b.size() != encoded_size) return errc::invalid_length;
  if (b[0] != header_version) return errc::unsupported_version;
  byte_reader r(b.subspan(1));
  header h;
  h.dh.bytes = *r.array<32>();
  h.pn = *r.u32();
  h.n = *r.u32();
  return h;
}

bytes message::to_bytes() const {
  byte_writer w;
  w.raw(hdr.to_bytes()).raw(ciphertext);
  return w.take();
}

result<message> message::from_bytes(byte_view b) {
  if (b.size() < header::encoded_size + aead::tag_size) return errc::invalid_length;
  auto h = header::from_bytes(b.first(header::encoded_size));
  if (!h) return h.error();
  return message{*h, bytes(b.begin() + header::encoded_size, b.end())};
}

}  // namespace confidant::crypto::ratchet
