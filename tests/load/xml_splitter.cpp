#include "tests/load/xml_splitter.hpp"

namespace confidant::load {
namespace {

constexpr auto npos = std::string_view::npos;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The start tag of `element`, up to and with its '>' (quotes honoured).
std::string_view start_tag(std::string_view element) {
  char quote = 0;
  for (std::size_t i = 1; i < element.size(); ++i) {
    const char c = element[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '>') {
      return element.substr(0, i + 1);
    }
  }
  return {};
}

}  // namespace

std::size_t xml_splitter::tag_end(std::size_t at) const {
  const auto tag = start_tag(std::string_view{buf_}.substr(at));
  return tag.empty() ? npos : at + tag.size();
}

bool xml_splitter::feed(std::string_view data, const handler& h) {
  if (broken_) return false;
  buf_.append(data);
  for (;;) {
    const auto lt = buf_.find('<', pos_);
    if (lt == npos) {
      pos_ = buf_.size();
      break;
    }
    const auto end = tag_end(lt);
    if (end == npos) {
      pos_ = lt;  // the rest of this tag is still on its way
      break;
    }
    pos_ = end;
    const std::string_view tag{buf_.data() + lt, end - lt};
    if (tag.size() < 3 || tag[1] == '?' || tag[1] == '!') continue;  // <?xml ...?>
    if (tag[1] == '/') {
      if (depth_ == 0) {
        broken_ = true;
        return false;
      }
      --depth_;
      if (depth_ == 1) h(xml_event::element, std::string_view{buf_.data() + element_start_, end - element_start_});
      if (depth_ == 0) h(xml_event::stream_close, tag);
      continue;
    }
    if (depth_ == 0) {  // <stream:stream ...>: stays open for the whole stream
      depth_ = 1;
      h(xml_event::stream_open, tag);
      continue;
    }
    const bool empty = tag[tag.size() - 2] == '/';
    if (depth_ == 1) element_start_ = lt;
    if (!empty) {
      ++depth_;
    } else if (depth_ == 1) {
      h(xml_event::element, tag);
    }
  }
  // Drop what is handled: everything before pos_, or before the element still being read.
  const std::size_t keep_from = depth_ > 1 ? element_start_ : pos_;
  buf_.erase(0, keep_from);
  pos_ -= keep_from;
  element_start_ = depth_ > 1 ? 0 : pos_;
  if (buf_.size() > max_) broken_ = true;
  return !broken_;
}

std::string_view element_name(std::string_view element) {
  if (element.size() < 2 || element[0] != '<') return {};
  std::size_t end = 1;
  while (end < element.size() && !is_space(element[end]) && element[end] != '/' && element[end] != '>') ++end;
  return element.substr(1, end - 1);
}

std::optional<std::string_view> attribute(std::string_view element, std::string_view name) {
  const auto tag = start_tag(element);
  std::size_t i = 1 + element_name(element).size();
  while (i < tag.size()) {
    while (i < tag.size() && is_space(tag[i])) ++i;
    const auto name_start = i;
    while (i < tag.size() && tag[i] != '=' && !is_space(tag[i]) && tag[i] != '/' && tag[i] != '>') ++i;
    const auto attr = tag.substr(name_start, i - name_start);
    while (i < tag.size() && (is_space(tag[i]) || tag[i] == '=')) ++i;
    if (attr.empty() || i >= tag.size() || (tag[i] != '\'' && tag[i] != '"')) return std::nullopt;
    const char quote = tag[i];
    const auto close = tag.find(quote, i + 1);
    if (close == npos) return std::nullopt;
    if (attr == name) return tag.substr(i + 1, close - i - 1);
    i = close + 1;
  }
  return std::nullopt;
}

std::optional<std::string_view> child_text(std::string_view element, std::string_view name) {
  for (auto at = element.find('<', 1); at != npos; at = element.find('<', at + 1)) {
    const auto rest = element.substr(at + 1);
    if (rest.substr(0, name.size()) != name || rest.size() <= name.size() || rest[name.size()] != '>') continue;
    const auto begin = at + 2 + name.size();
    const auto end = element.find('<', begin);
    if (end == npos) return std::nullopt;
    return element.substr(begin, end - begin);
  }
  return std::nullopt;
}

}  // namespace confidant::load
