#pragma once

namespace confidant::crypto {

// Calls sodium_init() once (thread-safe, idempotent). Every entry point that needs libsodium's
// runtime state (sodium_malloc, the CPU feature selection) calls it; users need not.
void ensure_sodium();

}  // namespace confidant::crypto
