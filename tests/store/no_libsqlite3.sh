#!/bin/sh
# Fails if any given binary loads libsqlite3: beside SQLCipher it would silently write plaintext.
# Also checks the SQLCipher codec is linked in (sqlcipher_ symbols present).
set -eu
for bin in "$@"; do
  if ldd "$bin" | grep -q 'libsqlite3'; then
    echo "FAIL: $bin loads libsqlite3" >&2
    exit 1
  fi
  if ! nm "$bin" 2>/dev/null | grep -q 'sqlcipher_codec_ctx_init\|sqlcipher_extra_init'; then
    echo "FAIL: $bin does not contain the SQLCipher codec" >&2
    exit 1
  fi
  echo "ok: $bin links SQLCipher and not libsqlite3"
done
