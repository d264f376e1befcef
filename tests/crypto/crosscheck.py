#!/usr/bin/python3
"""Cross-implementation check of Confidant's X3DH and first Double Ratchet steps.

Runs the C++ exporter (crypto_transcript), then recomputes every value with Python's
`cryptography` package (OpenSSL): Ed25519 signatures, X25519, HKDF-SHA256, HMAC-SHA256 and
XChaCha20-Poly1305 (HChaCha20 below plus OpenSSL's ChaCha20-Poly1305). Layouts follow
docs/crypto.md. Exit status 0 only if everything agrees byte for byte.
"""
import json
import struct
import subprocess
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

RAW = serialization.Encoding.Raw
RAW_PUB = serialization.PublicFormat.Raw
checks = 0


def check(cond, what):
    global checks
    if not cond:
        print(f"MISMATCH: {what}", file=sys.stderr)
        sys.exit(1)
    checks += 1


def x25519_public(secret):
    return X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes(RAW, RAW_PUB)


def dh(secret, public):
    return X25519PrivateKey.from_private_bytes(secret).exchange(X25519PublicKey.from_public_bytes(public))


def hkdf(salt, ikm, info, length):
    return HKDF(hashes.SHA256(), length, salt, info).derive(ikm)


def hmac_sha256(key, data):
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(data)
    return h.finalize()


def ed25519_verify(public, signature, message, what):
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except InvalidSignature:
        check(False, what)
    check(True, what)


def hchacha20(key, nonce16):
    m = 0xFFFFFFFF
    s = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    s += list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))

    def rotl(v, c):
        return ((v << c) & m) | (v >> (32 - c))

    def qr(a, b, c, d):
        s[a] = (s[a] + s[b]) & m; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & m; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & m; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & m; s[b] = rotl(s[b] ^ s[c], 7)

    for _ in range(10):
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def xchacha_aead(key, nonce24):
    return ChaCha20Poly1305(hchacha20(key, nonce24[:16])), b"\0" * 4 + nonce24[16:]


def parse_session(state):
    """Session state layout v1 (docs/crypto.md): version, flags, rk, dhs secret, [dhr], [cks], [ckr], ..."""
    check(state[0] == 1, "session version")
    flags = state[1]
    rk, dhs = state[2:34], state[34:66]
    pos = 66
    out = {"rk": rk, "dhs": dhs}
    for bit, name in ((1, "dhr"), (2, "cks"), (4, "ckr")):
        if flags & bit:
            out[name] = state[pos:pos + 32]
            pos += 32
    out["ns"], out["nr"], out["pn"] = struct.unpack(">III", state[pos:pos + 12])
    return out


def ratchet_message(chain_key, message_info, ad, wire, plaintext, what):
    seed = hmac_sha256(chain_key, b"\x01")
    material = hkdf(None, seed, message_info, 56)
    aead, nonce = xchacha_aead(material[:32], material[32:])
    header, ciphertext = wire[:41], wire[41:]
    check(aead.decrypt(nonce, ciphertext, ad + header) == plaintext, what + ": decrypts to the plaintext")
    check(aead.encrypt(nonce, plaintext, ad + header) == ciphertext, what + ": ciphertext byte for byte")
    return header


def main():
    exporter = sys.argv[1]
    t = {k: bytes.fromhex(v) for k, v in json.loads(subprocess.run(
        [exporter], check=True, capture_output=True, text=True).stdout).items()}

    # HChaCha20 itself (draft-irtf-cfrg-xchacha-03, §2.2.1).
    check(hchacha20(bytes(range(32)), bytes.fromhex("000000090000004a0000000031415927")).hex() ==
          "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc", "HChaCha20 test vector")

    # Identities: Ed25519 key from the seed, X25519 key from the secret, DH key signed.
    alice_pub, alice_sec, bob_sec = t["alice_identity_public"], t["alice_identity_secret"], t["bob_identity_secret"]
    a_sign = Ed25519PrivateKey.from_private_bytes(alice_sec[1:33]).public_key().public_bytes(RAW, RAW_PUB)
    check(a_sign == alice_pub[:32], "alice signing key from seed")
    check(x25519_public(alice_sec[33:65]) == alice_pub[32:64], "alice DH key from secret")
    ed25519_verify(alice_pub[:32], alice_pub[64:128], b"Confidant_Identity_DH_v1" + alice_pub[32:64],
                   "alice identity DH signature")

    # Bob's bundle: version ‖ identity ‖ spk id ‖ created ‖ spk ‖ sig ‖ has_otk ‖ otk id ‖ otk.
    b = t["bob_bundle"]
    check(b[0] == 1 and len(b) == 274, "bundle layout")
    bob_identity = b[1:129]
    spk_fields, spk_pub, spk_sig = b[129:141], b[141:173], b[173:237]
    otk_pub = b[242:274]
    b_sign = Ed25519PrivateKey.from_private_bytes(bob_sec[1:33]).public_key().public_bytes(RAW, RAW_PUB)
    check(b_sign == bob_identity[:32], "bob signing key from seed")
    check(x25519_public(bob_sec[33:65]) == bob_identity[32:64], "bob DH key from secret")
    ed25519_verify(bob_identity[:32], bob_identity[64:128], b"Confidant_Identity_DH_v1" + bob_identity[32:64],
                   "bob identity DH signature")
    ed25519_verify(bob_identity[:32], spk_sig, b"Confidant_Signed_Prekey_v1" + spk_fields + spk_pub,
                   "signed prekey signature")
    spk_secret = t["bob_signed_prekey_secret"][13:45]
    otk_secret = t["bob_one_time_prekey_secret"][5:37]
    check(x25519_public(spk_secret) == spk_pub, "signed prekey from secret")
    check(x25519_public(otk_secret) == otk_pub, "one-time prekey from secret")

    # X3DH from Bob's secrets and Alice's (DH1 also from Alice's side).
    ek = t["alice_ephemeral_public"]
    dh1 = dh(spk_secret, alice_pub[32:64])
    check(dh1 == dh(alice_sec[33:65], spk_pub), "DH1 symmetric")
    ikm = b"\xff" * 32 + dh1 + dh(bob_sec[33:65], ek) + dh(spk_secret, ek) + dh(otk_secret, ek)
    sk = hkdf(None, ikm, t["x3dh_info"], 32)
    check(sk == t["alice_shared_key"], "X3DH shared key (initiator)")
    check(sk == t["bob_shared_key"], "X3DH shared key (responder)")
    ad = alice_pub[:64] + bob_identity[:64]
    check(ad == t["associated_data"], "associated data = IK_A ‖ IK_B")

    # Alice's first ratchet step: DH(her new ratchet key, SPK_B), KDF_RK with salt = SK.
    a = parse_session(t["alice_state_after_init"])
    check(a["dhr"] == spk_pub, "alice's first remote ratchet key is the signed prekey")
    out = hkdf(sk, dh(a["dhs"], spk_pub), t["root_info"], 64)
    check(out[:32] == a["rk"] and out[32:] == a["cks"], "KDF_RK: alice root and sending chain")
    header = ratchet_message(a["cks"], t["message_info"], ad, t["message1"], t["plaintext1"], "message 1")
    alice_ratchet_pub = x25519_public(a["dhs"])
    check(header == b"\x01" + alice_ratchet_pub + struct.pack(">II", 0, 0), "message 1 header")

    # Bob's DH ratchet on receipt, then his sending chain and reply.
    bob = parse_session(t["bob_state_after_first_message"])
    recv = hkdf(sk, dh(spk_secret, alice_ratchet_pub), t["root_info"], 64)
    check(recv == out, "bob's receiving chain equals alice's sending chain")
    send = hkdf(recv[:32], dh(bob["dhs"], alice_ratchet_pub), t["root_info"], 64)
    check(send[:32] == bob["rk"] and send[32:] == bob["cks"], "KDF_RK: bob root and sending chain")
    check(bob["ckr"] == hmac_sha256(recv[32:], b"\x02"), "KDF_CK: bob's next receiving chain key")
    check(bob["nr"] == 1 and bob["ns"] == 0, "bob counters")
    header2 = ratchet_message(bob["cks"], t["message_info"], ad, t["message2"], t["plaintext2"], "message 2")
    check(header2 == b"\x01" + x25519_public(bob["dhs"]) + struct.pack(">II", 0, 0), "message 2 header")
    print(f"crosscheck: {checks} checks agree (C++/libsodium vs Python/OpenSSL)")


if __name__ == "__main__":
    main()
