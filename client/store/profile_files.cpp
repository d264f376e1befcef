#include "client/store/profile_files.hpp"

#include <sodium.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <string>

namespace confidant::client {
namespace {

constexpr std::size_t max_record_file = 256;  // the record is 34 bytes; anything far larger is not one

store_result<void> sync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return store_errc::io_error;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return store_errc::io_error;
  return {};
}

bool write_all(int fd, const crypto::bytes& b) {
  std::size_t done = 0;
  while (done < b.size()) {
    const ssize_t n = ::write(fd, b.data() + done, b.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

store_result<void> make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return store_errc::io_error;
  if (::chmod(dir.c_str(), 0700) != 0) return store_errc::io_error;
  return {};
}

store_result<void> create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return store_errc::io_error;
  // The mode passed to open() is masked by the umask; fchmod is not.
  const bool ok = ::fchmod(fd, 0600) == 0;
  ::close(fd);
  if (!ok) return store_errc::io_error;
  return {};
}

store_result<bool> file_exists(const std::filesystem::path& path) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (ec) return store_errc::io_error;
  return exists;
}

void remove_database_files(const std::filesystem::path& path) noexcept {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path.string() + suffix, ec);
  }
}

store_result<void> publish(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::link(from.c_str(), to.c_str()) != 0) {
    return errno == EEXIST ? store_errc::profile_exists : store_errc::io_error;
  }
  ::unlink(from.c_str());
  return sync_dir(to.parent_path());
}

store_result<void> write_record(const std::filesystem::path& path, const crypto::passphrase::record& r) {
  const auto tmp = path.string() + ".tmp";
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return store_errc::io_error;
  const bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, r.to_bytes()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return store_errc::io_error;
  }
  return sync_dir(path.parent_path());
}

store_result<crypto::passphrase::record> read_record(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno == ENOENT ? store_errc::corrupt : store_errc::io_error;
  std::array<crypto::byte, max_record_file> buf{};
  std::size_t size = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data() + size, buf.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return store_errc::io_error;
    }
    if (n == 0 || (size += static_cast<std::size_t>(n)) == buf.size()) break;
  }
  ::close(fd);
  auto r = crypto::passphrase::record::from_bytes(crypto::byte_view{buf.data(), size});
  if (!r) return store_errc::corrupt;
  return *r;
}

store_result<store::db_key> derive_db_key(std::string_view passphrase, const crypto::passphrase::record& r) {
  static_assert(crypto::passphrase::key::size == store::db_key::size);
  auto k = crypto::passphrase::derive_key(passphrase, r);
  if (!k) return k.error();
  // store::db_key is built only from hex (server/store/key.hpp); the hex text is wiped at once.
  std::string hex(2 * store::db_key::size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), k->data(), k->size);
  hex.pop_back();
  auto key = store::db_key::from_hex(hex);
  sodium_memzero(hex.data(), hex.size());
  if (!key) return key.error();
  return std::move(*key);
}

}  // namespace confidant::client
