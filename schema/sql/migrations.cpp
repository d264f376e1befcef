#include "schema/sql/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstdio>
#include <utility>

namespace confidant::sql {
namespace detail {
std::span<const std::pair<std::string_view, std::string_view>> embedded_files();
}

namespace {

std::vector<migration> load() {
  std::vector<migration> out;
  for (const auto& [file, text] : detail::embedded_files()) {
    int version = 0;
    const auto [end, ec] = std::from_chars(file.data(), file.data() + file.size(), version);
    if (ec != std::errc{} || *end != '_' || !file.ends_with(".sql")) {
      std::fprintf(stderr, "embedded migration with a bad name: %.*s\n", static_cast<int>(file.size()), file.data());
      std::abort();
    }
    out.push_back({version, file, text});
  }
  std::ranges::sort(out, {}, &migration::version);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].version != static_cast<int>(i) + 1) {
      std::fprintf(stderr, "embedded migrations are not numbered 1..N without gaps\n");
      std::abort();
    }
  }
  return out;
}

}  // namespace

std::span<const migration> migrations() {
  static const std::vector<migration> all = load();
  return all;
}

}  // namespace confidant::sql
