#pragma once

// Splits an XMPP byte stream into what a client acts on: the stream header, each complete
// top-level element (a stanza or a nonza such as <a/>), and the stream's end. Not a validating
// parser: it tracks tags and their depth only (quoted attribute values may hold '>' or '/', the
// XML declaration is skipped; XMPP forbids comments, processing instructions and DTDs, RFC 6120
// §11.1), which is all the load generator needs to read what Prosody writes. No library: the
// generator reads one server's output, not arbitrary XML.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace confidant::load {

enum class xml_event { stream_open, element, stream_close };

class xml_splitter {
 public:
  // `text` is the whole element (or the header tag), valid during the call only.
  using handler = std::function<void(xml_event, std::string_view text)>;

  explicit xml_splitter(std::size_t max_element_bytes = 1 << 20) : max_(max_element_bytes) {}

  // Consumes `data`, calling `h` for every event it completes; false once the input broke a
  // rule (a stray end tag, an element over the limit): the stream cannot be read any further.
  [[nodiscard]] bool feed(std::string_view data, const handler& h);
  // After a stream restart (RFC 6120 §6.4.6: after SASL success) the next header opens a new
  // stream; a handler may call this for the bytes that follow the element it is handling.
  void restart() noexcept { depth_ = 0; }

 private:
  // The end of the tag that starts at `at` ('<'), past its '>'; npos when not all here yet.
  [[nodiscard]] std::size_t tag_end(std::size_t at) const;

  std::string buf_;
  std::size_t pos_ = 0;            // next unscanned byte of buf_
  std::size_t element_start_ = 0;  // where the top-level element being read starts
  int depth_ = 0;                  // 0 before the header, 1 between stanzas
  std::size_t max_;
  bool broken_ = false;
};

// The element's name: "message", "stream:features", "a".
[[nodiscard]] std::string_view element_name(std::string_view element);
// The value of attribute `name` on the element's start tag, as written (entities not decoded).
[[nodiscard]] std::optional<std::string_view> attribute(std::string_view element, std::string_view name);
// The text of the first child element called `name` (no attributes needed), as written.
[[nodiscard]] std::optional<std::string_view> child_text(std::string_view element, std::string_view name);

}  // namespace confidant::load
