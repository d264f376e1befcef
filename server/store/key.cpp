#include "server/store/key.hpp"

#include <sodium.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace confidant::store {
namespace {

// Holds text that contained key material and wipes it on every path out.
struct wiped_string {
  std::string text;
  ~wiped_string() { sodium_memzero(text.data(), text.size()); }
};

}  // namespace

db_key::db_key(db_key&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), size);
}

db_key& db_key::operator=(db_key&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    sodium_memzero(other.bytes_.data(), size);
  }
  return *this;
}

db_key::~db_key() { sodium_memzero(bytes_.data(), size); }

db_key db_key::random() {
  if (sodium_init() < 0) std::abort();
  db_key k;
  randombytes_buf(k.bytes_.data(), size);
  return k;
}

result<db_key> db_key::from_hex(std::string_view hex) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.remove_suffix(1);
  while (!hex.empty() && hex.front() == ' ') hex.remove_prefix(1);
  if (hex.size() != 2 * size) return errc::key_file_malformed;
  db_key k;
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(k.bytes_.data(), size, hex.data(), hex.size(), nullptr, &written, &end) != 0 ||
      written != size || end != hex.data() + hex.size()) {
    return errc::key_file_malformed;
  }
  return k;
}

std::string db_key::sqlcipher_literal() const {
  std::string out(2 * size + 3, '\0');
  out[0] = 'x';
  out[1] = '\'';
  sodium_bin2hex(out.data() + 2, 2 * size + 1, bytes_.data(), size);
  out[2 * size + 2] = '\'';
  return out;
}

result<db_key> read_key_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno == ENOENT ? errc::key_file_missing : errc::open_failed;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return errc::open_failed;
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return errc::key_file_permissions;
  }
  wiped_string buf{std::string(128, '\0')};
  const ssize_t n = ::read(fd, buf.text.data(), buf.text.size());
  ::close(fd);
  if (n < 0) return errc::io;
  return db_key::from_hex(std::string_view{buf.text.data(), static_cast<std::size_t>(n)});
}

result<void> write_key_file(const std::filesystem::path& path, const db_key& key) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return errno == EEXIST ? errc::key_file_exists : errc::open_failed;
  wiped_string hex{std::string(2 * db_key::size + 1, '\0')};
  sodium_bin2hex(hex.text.data(), hex.text.size(), key.bytes().data(), db_key::size);
  hex.text.back() = '\n';
  const bool ok = ::write(fd, hex.text.data(), hex.text.size()) == static_cast<ssize_t>(hex.text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    std::filesystem::remove(path);
    return errc::io;
  }
  return {};
}

}  // namespace confidant::store
