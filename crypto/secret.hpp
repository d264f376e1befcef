#pragma once

// Key types. Every key is a distinct fixed-size type (a tag plus a size), so a chain key cannot
// be passed where a root key is expected. Secrets are move-only: copying one takes an explicit
// clone(). secret<> lives inline and is wiped on destruction and move; locked_secret<> lives in
// sodium_malloc memory (guard pages, mlock, wiped by sodium_free) for long-lived identity keys.
// Equality of secrets is constant time (sodium_memcmp).

#include "crypto/bytes.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>

namespace confidant::crypto {

namespace detail {
void wipe(void* p, std::size_t n) noexcept;
[[nodiscard]] bool equal(const void* a, const void* b, std::size_t n) noexcept;
// sodium_malloc after sodium_init; throws std::bad_alloc when the allocation fails.
[[nodiscard]] void* guarded_alloc(std::size_t n);
void guarded_free(void* p) noexcept;
}  // namespace detail

template <class Tag, std::size_t N>
class secret {
 public:
  static constexpr std::size_t size = N;

  secret() noexcept = default;
  explicit secret(std::span<const byte, N> b) noexcept { std::copy(b.begin(), b.end(), bytes_.begin()); }
  secret(const secret&) = delete;
  secret& operator=(const secret&) = delete;
  secret(secret&& o) noexcept : bytes_(o.bytes_) { detail::wipe(o.bytes_.data(), N); }
  secret& operator=(secret&& o) noexcept {
    if (this != &o) {
      bytes_ = o.bytes_;
      detail::wipe(o.bytes_.data(), N);
    }
    return *this;
  }
  ~secret() { detail::wipe(bytes_.data(), N); }

  // Builds from a runtime-sized view; errc::invalid_length unless it holds exactly N bytes.
  [[nodiscard]] static result<secret> from(byte_view b) {
    if (b.size() != N) return errc::invalid_length;
    return secret(b.template first<N>());
  }

  [[nodiscard]] secret clone() const noexcept { return secret(view()); }
  [[nodiscard]] std::span<const byte, N> view() const noexcept { return bytes_; }
  [[nodiscard]] std::span<byte, N> writable() noexcept { return bytes_; }
  [[nodiscard]] const byte* data() const noexcept { return bytes_.data(); }
  [[nodiscard]] byte* data() noexcept { return bytes_.data(); }

  friend bool operator==(const secret& a, const secret& b) noexcept {
    return detail::equal(a.bytes_.data(), b.bytes_.data(), N);
  }

 private:
  std::array<byte, N> bytes_{};
};

template <class Tag, std::size_t N>
class locked_secret {
 public:
  static constexpr std::size_t size = N;

  locked_secret() : p_(static_cast<byte*>(detail::guarded_alloc(N))) { detail::wipe(p_, N); }
  explicit locked_secret(std::span<const byte, N> b) : locked_secret() { std::copy(b.begin(), b.end(), p_); }
  locked_secret(const locked_secret&) = delete;
  locked_secret& operator=(const locked_secret&) = delete;
  locked_secret(locked_secret&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  locked_secret& operator=(locked_secret&& o) noexcept {
    if (this != &o) {
      detail::guarded_free(p_);
      p_ = o.p_;
      o.p_ = nullptr;
    }
    return *this;
  }
  ~locked_secret() { detail::guarded_free(p_); }

  [[nodiscard]] locked_secret clone() const { return locked_secret(view()); }
  // A moved-from locked_secret must not be used (it holds no memory).
  [[nodiscard]] std::span<const byte, N> view() const noexcept { return std::span<const byte, N>(p_, N); }
  [[nodiscard]] std::span<byte, N> writable() noexcept { return std::span<byte, N>(p_, N); }
  [[nodiscard]] const byte* data() const noexcept { return p_; }
  [[nodiscard]] byte* data() noexcept { return p_; }

  friend bool operator==(const locked_secret& a, const locked_secret& b) noexcept {
    return detail::equal(a.p_, b.p_, N);
  }

 private:
  byte* p_;
};

// A non-owning view of either kind of secret with the same tag, for primitives that only read it.
template <class Tag, std::size_t N>
class secret_ref {
 public:
  secret_ref(const secret<Tag, N>& s) noexcept : p_(s.data()) {}         // NOLINT(implicit)
  secret_ref(const locked_secret<Tag, N>& s) noexcept : p_(s.data()) {}  // NOLINT(implicit)
  [[nodiscard]] const byte* data() const noexcept { return p_; }
  [[nodiscard]] std::span<const byte, N> view() const noexcept { return std::span<const byte, N>(p_, N); }

 private:
  const byte* p_;
};

// A public value of fixed size (public key, signature, commitment). Freely copyable; equality is
// still constant time so it can compare MACs and commitments too.
template <class Tag, std::size_t N>
struct fixed_bytes {
  static constexpr std::size_t size = N;
  std::array<byte, N> bytes{};

  [[nodiscard]] static result<fixed_bytes> from(byte_view b) {
    if (b.size() != N) return errc::invalid_length;
    fixed_bytes out;
    std::copy(b.begin(), b.end(), out.bytes.begin());
    return out;
  }
  [[nodiscard]] std::span<const byte, N> view() const noexcept { return bytes; }
  [[nodiscard]] const byte* data() const noexcept { return bytes.data(); }
  [[nodiscard]] byte* data() noexcept { return bytes.data(); }

  friend bool operator==(const fixed_bytes& a, const fixed_bytes& b) noexcept {
    return detail::equal(a.bytes.data(), b.bytes.data(), N);
  }
  // Ordering for use as a map key (public data only: not constant time).
  friend bool operator<(const fixed_bytes& a, const fixed_bytes& b) noexcept { return a.bytes < b.bytes; }
};

}  // namespace confidant::crypto
