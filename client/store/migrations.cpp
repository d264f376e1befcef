#include "client/store/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

namespace confidant::client {
namespace detail {
std::span<const std::pair<std::string_view, std::string_view>> embedded_files();
}

namespace {

// The same rules as schema/sql/migrations.cpp, over the client's own embedded files: a build
// with a badly named or missing migration aborts rather than migrating half a schema.
std::vector<sql::migration> load() {
  std::vector<sql::migration> out;
  for (const auto& [file, text] : detail::embedded_files()) {
    int version = 0;
    const auto [end, ec] = std::from_chars(file.data(), file.data() + file.size(), version);
    if (ec != std::errc{} || *end != '_' || !file.ends_with(".sql")) {
      std::fprintf(stderr, "embedded client migration with a bad name: %.*s\n", static_cast<int>(file.size()),
                   file.data());
      std::abort();
    }
    out.push_back({version, file, text});
  }
  std::ranges::sort(out, {}, &sql::migration::version);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].version != static_cast<int>(i) + 1) {
      std::fprintf(stderr, "embedded client migrations are not numbered 1..N without gaps\n");
      std::abort();
    }
  }
  return out;
}

}  // namespace

std::span<const sql::migration> client_migrations() {
  static const std::vector<sql::migration> all = load();
  return all;
}

}  // namespace confidant::client
