#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>

namespace confidant::test {

// CONFIDANT_KEEP_TEST_FILES=1: test folders are left in place for the whole-suite secret sweep
// (scripts/test points TMPDIR at build/<preset>/test-files and sweeps it afterwards with
// scripts/sweep; docs/reliability.md "Secret sweep").
inline bool keep_test_files() {
  const char* keep = std::getenv("CONFIDANT_KEEP_TEST_FILES");
  return keep != nullptr && std::string_view{keep} == "1";
}

// A fresh folder under the system temporary directory ($TMPDIR, else /tmp), removed at the end of
// the test unless keep_test_files().
class temp_dir {
 public:
  temp_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("confidant-" + std::string(info ? info->name() : "test") + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    if (keep_test_files()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Every byte of a file ("" if it does not exist).
inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace confidant::test
