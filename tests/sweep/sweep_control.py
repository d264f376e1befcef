#!/usr/bin/python3
"""Negative control for the whole-suite secret sweep (scripts/sweep, docs/reliability.md "Secret
sweep"): plants canaries, a passphrase and keys in plain files under the run directory ($TMPDIR,
which the test presets point at build/<preset>/test-files) and checks that the sweep names each
file and offset; a tree with only legitimate key files and the allowed passphrase file passes; an
empty tree is an error. The planted tree is always removed (it is this test's, not a server's or a
client's), so the sweep after the whole suite does not see it.

  /usr/bin/python3 tests/sweep/sweep_control.py [--sweep scripts/sweep]
"""
import argparse
import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SWEEP = os.path.join(HERE, "..", "..", "scripts", "sweep")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def sec1_pem(secret):
    """A minimal SEC1 EC private key (version 1, 32-byte private key) as PEM."""
    der = b"\x30\x25\x02\x01\x01\x04\x20" + secret + b"\xa0\x00"
    body = base64.b64encode(der)
    return b"-----BEGIN EC PRIVATE KEY-----\n" + body + b"\n-----END EC PRIVATE KEY-----\n"


def run(sweep, root):
    done = subprocess.run([sys.executable, sweep, root], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sweep", default=SWEEP)
    a = ap.parse_args()
    failures = []

    def expect(cond, what, output):
        if not cond:
            failures.append(f"{what}\n--- sweep output ---\n{output}")

    base = tempfile.mkdtemp(prefix="sweep-control-")
    try:
        key = os.urandom(32)
        key_hex = key.hex().encode() + b"\n"
        pem_secret = os.urandom(32)
        pem = sec1_pem(pem_secret)

        # 1. Clean: key files (two copies of one key), a PEM key, the allowed passphrase file,
        # random bytes, a log. Must pass and say which allowed file it saw.
        clean = os.path.join(base, "clean")
        write(os.path.join(clean, "server-a", "data", "db.key"), key_hex)
        write(os.path.join(clean, "server-a", "check-copy", "db.key"), key_hex)
        write(os.path.join(clean, "tls", "key.pem"), pem)
        write(os.path.join(clean, "confidant-cli-x", "pass.txt"), b"CANARY-PASS-0123456789abcdef Cora Ordinator\n")
        write(os.path.join(clean, "blob.bin"), os.urandom(200_000))
        write(os.path.join(clean, "run.stderr"), b"confidantd listening on ws://127.0.0.1:1/v1/ws\n" * 100)
        code, out = run(a.sweep, clean)
        expect(code == 0, f"clean tree: exit {code}, expected 0", out)
        expect("allowed: confidant-cli-x/pass.txt" in out, "clean tree: the allowed file is not reported", out)
        expect("passed" in out, "clean tree: no pass line", out)

        # 2. Plants: every one must be found at its offset.
        dirty = os.path.join(base, "dirty")
        shutil.copytree(clean, dirty)
        text = b"CANARY-" + os.urandom(8).hex().encode()
        planted = []  # (relative path, offset, what the sweep must name)

        def plant(rel, data, offset, label, lead=b""):
            """`data` at byte `offset` of a new file, after filler and the text `lead`."""
            filler = os.urandom(offset - len(lead)) if rel.endswith(".bin") else b"x" * (offset - len(lead))
            write(os.path.join(dirty, rel), filler + lead + data + b" tail")
            planted.append((rel, offset, label))

        plant("server-b/run.stdout", text, 137, "canary prefix CANARY-", lead=b"message ")
        # base64 of the canary one byte into a longer value: the needle starts where its bits do.
        b64 = base64.b64encode(b"Z" + text)
        plant("client/export.json", b64, 50, "canary prefix CANARY- (base64")
        plant("client/dump.txt", text.hex().upper().encode(), 9, "canary prefix CANARY- (HEX")
        plant("client/notes.bin", text.decode().encode("utf-16-le"), 4096, "canary prefix CANARY- (utf-16le")
        plant("client/profile.log", b"correct horse battery staple", 31, "passphrase 'correct horse'", lead=b"passphrase=")
        plant("server-a/run.stderr", key.hex().encode(), 30, "database key of server-a", lead=b"opening with key ")
        plant("server-a/data/core.bin", key, 70_001, "database key of server-a")
        plant("tls/leak.log", base64.urlsafe_b64encode(pem_secret), 12, "private key of tls/key.pem")
        # An allowed file's name with more than the expected content is not allowed.
        write(os.path.join(dirty, "confidant-cli-y", "pass.txt"),
              b"CANARY-PASS-0123456789abcdef Cora Ordinator\n" + text + b"\n")
        code, out = run(a.sweep, dirty)
        expect(code == 1, f"planted tree: exit {code}, expected 1", out)
        found = re.findall(r"^FOUND (\S+) at offset (\d+): (.*)$", out, re.M)
        for rel, offset, label in planted:
            # The base64 needle starts after the characters that also depend on the byte before.
            ok = any(f == rel and label in what and (int(at) == offset or (label.endswith("(base64") and
                                                                           offset <= int(at) <= offset + 4))
                     for f, at, what in found)
            expect(ok, f"planted tree: {label} in {rel} at {offset} not reported", out)
        expect(any(f == "confidant-cli-y/pass.txt" for f, _, _ in found),
               "planted tree: an allowed name with an extra canary is not reported", out)
        for f, _, _ in found:
            expect(f not in ("server-a/data/db.key", "server-a/check-copy/db.key", "tls/key.pem",
                             "confidant-cli-x/pass.txt"), f"planted tree: a legitimate file reported: {f}", out)

        # 3. Nothing to sweep is an error, not a pass.
        empty = os.path.join(base, "empty")
        os.makedirs(empty)
        code, out = run(a.sweep, empty)
        expect(code == 2, f"empty tree: exit {code}, expected 2", out)
    finally:
        shutil.rmtree(base, ignore_errors=True)

    for f in failures:
        print("FAIL " + f)
    print(f"sweep control: {'passed' if not failures else 'FAILED'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
