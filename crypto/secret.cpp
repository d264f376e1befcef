#include "crypto/secret.hpp"

#include "crypto/sodium.hpp"

#include <sodium.h>

#include <new>

namespace confidant::crypto::detail {

void wipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) sodium_memzero(p, n);
}

bool equal(const void* a, const void* b, std::size_t n) noexcept { return sodium_memcmp(a, b, n) == 0; }

void* guarded_alloc(std::size_t n) {
  ensure_sodium();
  void* p = sodium_malloc(n);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void guarded_free(void* p) noexcept {
  if (p != nullptr) sodium_free(p);
}

}  // namespace confidant::crypto::detail
