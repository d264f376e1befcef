#pragma once
// Reading what a process printed: the word or number that follows a fixed prefix
// ("code: 7K3M...", "listening on ws://127.0.0.1:40123/v1/ws"). Plain string search, because
// libstdc++ 12's <regex> trips -Wmaybe-uninitialized under -O1 with the sanitizers.

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace confidant::test {

// The run of non-space characters after the first `prefix` (spaces after it skipped).
inline std::optional<std::string> word_after(std::string_view text, std::string_view prefix) {
  const auto at = text.find(prefix);
  if (at == std::string_view::npos) return std::nullopt;
  auto begin = at + prefix.size();
  while (begin < text.size() && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  auto end = begin;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
  if (begin == end) return std::nullopt;
  return std::string{text.substr(begin, end - begin)};
}

// The run of digits right after the first `prefix`.
inline std::optional<std::string> number_after(std::string_view text, std::string_view prefix) {
  const auto at = text.find(prefix);
  if (at == std::string_view::npos) return std::nullopt;
  const auto begin = at + prefix.size();
  auto end = begin;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (begin == end) return std::nullopt;
  return std::string{text.substr(begin, end - begin)};
}

}  // namespace confidant::test
