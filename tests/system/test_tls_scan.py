#!/usr/bin/python3
"""The TLS that the real confidantd offers, as sslscan sees it (docs/protocol.md 2.2,
docs/reliability.md "TLS").

    /usr/bin/python3 test_tls_scan.py --confidantd PATH [unittest arguments, e.g. a class name]

confidantd runs with [server.tls] on 127.0.0.1 and a self-signed certificate made here with the
openssl command (RSA 2048 and ECDSA P-256: RSA is the one that can carry suites without forward
secrecy). `sslscan --no-colour` (Debian 12's sslscan 2.0.7, installed by scripts/deps) scans it and
the test reads its XML report: SSLv2, SSLv3, TLS 1.0 and 1.1 disabled, TLS 1.2 and 1.3 enabled,
every accepted suite forward-secret (ECDHE/DHE, or TLS 1.3) and AEAD, none NULL, EXPORT, RC4, 3DES
or anonymous, compression off (asked over a raw socket too), not vulnerable to Heartbleed. A negative control scans
`openssl s_server` with OpenSSL's defaults and must find suites without forward secrecy.

Standard library plus `websockets` (Debian's python3-websockets).
"""

import asyncio
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ElementTree

import websockets

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Server, poll_until  # noqa: E402

SSLSCAN = "/usr/bin/sslscan"
OFF = {("ssl", "2"), ("ssl", "3"), ("tls", "1.0"), ("tls", "1.1")}
ON = {("tls", "1.2"), ("tls", "1.3")}
WEAK = ("NULL", "EXP", "RC4", "DES", "3DES", "ADH", "AECDH", "MD5", "PSK", "SRP", "anon")


def make_certificate(folder, kind):
    """A self-signed certificate for 127.0.0.1; kind "rsa" (2048 bits) or "ec" (P-256)."""
    cert, key = os.path.join(folder, f"{kind}-cert.pem"), os.path.join(folder, f"{kind}-key.pem")
    new_key = ["-newkey", "rsa:2048"] if kind == "rsa" else ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
    subprocess.run(["openssl", "req", "-x509", *new_key, "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def scan(port, report):
    """Runs sslscan against 127.0.0.1:port; returns its text output, the XML report in `report`."""
    if not os.access(SSLSCAN, os.X_OK):
        raise AssertionError(f"{SSLSCAN} is missing: scripts/deps installs it (apt-get install sslscan)")
    done = subprocess.run([SSLSCAN, "--no-colour", f"--xml={report}", f"127.0.0.1:{port}"], capture_output=True,
                          timeout=300)
    text = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        raise AssertionError(f"sslscan exited with {done.returncode}: {done.stderr.decode()}\n{text}")
    return text


def chosen_compression(port):
    """The compression method of the ServerHello answering a TLS 1.2 ClientHello that offers
    DEFLATE (1) before null (0) (RFC 5246 7.4.1.2, RFC 3749), or None without a ServerHello.
    sslscan asks the same only when its OpenSSL has zlib, which Debian's has not ("OpenSSL version
    does not support compression"), so the test asks itself, over a raw socket."""
    u16 = lambda n: n.to_bytes(2, "big")  # noqa: E731
    suites = b"".join(u16(c) for c in (0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8))
    groups = b"".join(u16(g) for g in (0x001D, 0x0017))  # x25519, secp256r1
    sigalgs = b"".join(u16(a) for a in (0x0403, 0x0804, 0x0401))  # ecdsa_p256_sha256, rsa_pss_sha256, rsa_sha256
    extensions = (u16(0x000A) + u16(len(groups) + 2) + u16(len(groups)) + groups
                  + u16(0x000B) + u16(2) + b"\x01\x00"
                  + u16(0x000D) + u16(len(sigalgs) + 2) + u16(len(sigalgs)) + sigalgs)
    body = (b"\x03\x03" + os.urandom(32) + b"\x00" + u16(len(suites)) + suites + b"\x02\x01\x00"
            + u16(len(extensions)) + extensions)
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"\x16\x03\x01" + u16(len(handshake)) + handshake)
        data = b""
        while len(data) < 5 or len(data) < 5 + int.from_bytes(data[3:5], "big"):
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
    if data[0] != 0x16 or data[5] != 0x02:  # a handshake record holding a ServerHello
        return None
    hello = data[9:]
    session_id = hello[34]
    return hello[35 + session_id + 2]


def assess(report, compression_method):
    """Reads sslscan's XML report; returns (findings, summary). A finding is one broken promise.
    `compression_method`: chosen_compression's answer."""
    test = ElementTree.parse(report).getroot().find("ssltest")
    if test is None:
        return ["no <ssltest> in the sslscan report (nothing listening?)"], {}
    findings = []
    protocols = {(p.get("type"), p.get("version")): p.get("enabled") == "1" for p in test.iter("protocol")}
    for p in sorted(OFF):
        if protocols.get(p, None) is not False:
            findings.append(f"{p[0]} {p[1]} not reported disabled ({protocols.get(p)})")
    for p in sorted(ON):
        if protocols.get(p) is not True:
            findings.append(f"{p[0]} {p[1]} not enabled")
    suites = []
    for c in test.iter("cipher"):
        name, version = c.get("cipher"), c.get("sslversion")
        suites.append(f"{version} {name}")
        if version == "TLSv1.3":
            continue
        if version != "TLSv1.2":
            findings.append(f"suite {name} accepted over {version}")
        if not (name.startswith("ECDHE-") or name.startswith("DHE-")):
            findings.append(f"suite {name} ({version}) has no forward secrecy")
        if any(w in name.split("-") or name.startswith(w) for w in WEAK):
            findings.append(f"suite {name} ({version}) is weak")
        if not ("GCM" in name or "CHACHA20-POLY1305" in name):
            findings.append(f"suite {name} ({version}) is not AEAD (CBC)")
        if c.get("strength") not in ("strong", "acceptable"):
            findings.append(f"suite {name} ({version}) rated {c.get('strength')}")
    if not suites:
        findings.append("no cipher suite accepted")
    compression = [x.get("supported") for x in test.iter("compression")]  # absent without zlib
    if any(c != "0" for c in compression):
        findings.append(f"sslscan found TLS compression ({compression})")
    if compression_method != 0:
        findings.append(f"the server chose compression method {compression_method} when DEFLATE was offered")
    heartbleed = [(h.get("sslversion"), h.get("vulnerable")) for h in test.iter("heartbleed")]
    if not heartbleed:
        findings.append("no Heartbleed result")
    findings += [f"Heartbleed over {v}" for v, vulnerable in heartbleed if vulnerable != "0"]
    renegotiation = test.find("renegotiation")
    summary = {
        "protocols": {f"{t} {v}": on for (t, v), on in sorted(protocols.items())},
        "suites": suites,
        "groups": [f"{g.get('sslversion')} {g.get('name')}" for g in test.iter("group")],
        "compression": {"sslscan": compression, "chosen_with_deflate_offered": compression_method},
        "heartbleed": heartbleed,
        "renegotiation": None if renegotiation is None else dict(renegotiation.attrib),
    }
    return findings, summary


class TlsScanTest(unittest.TestCase):
    """confidantd with [server.tls], scanned once per certificate type."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="confidant-tls-")
        self.addCleanup(harness.remove_tree, self.tmp)

    def start_server(self, kind):
        cert, key = make_certificate(self.tmp, kind)
        server = Server(server_lines=["", "[server.tls]", f'certificate_chain = "{cert}"', f'private_key = "{key}"'])
        self.addCleanup(server.cleanup)
        server.init()
        server.start()
        self.assertIn("listening on wss://", server.stdout())
        return server, cert

    async def hello_over_tls(self, port, cert):
        context = ssl.create_default_context(cafile=cert)
        async with websockets.connect(f"wss://127.0.0.1:{port}/v1/ws", ssl=context, subprotocols=["confidant.v1"],
                                      open_timeout=10) as ws:
            await ws.send(json.dumps({"type": "hello", "rid": "h1", "versions": ["confidant.v1"]}))
            return json.loads(await asyncio.wait_for(ws.recv(), 10))

    def check(self, kind):
        server, cert = self.start_server(kind)
        answer = asyncio.run(self.hello_over_tls(server.port, cert))
        self.assertEqual(answer["type"], "ok", answer)
        report = os.path.join(self.tmp, f"{kind}.xml")
        started = time.monotonic()
        text = scan(server.port, report)
        findings, summary = assess(report, chosen_compression(server.port))
        print(f"\n--- sslscan of confidantd ({kind} certificate, {time.monotonic() - started:.1f} s) ---\n{text}"
              f"--- summary ---\n{json.dumps(summary, indent=1)}", file=sys.stderr)
        self.assertEqual(findings, [], text)
        self.assertTrue(server.alive(), "the scan must not bring the server down")
        self.assertEqual(server.terminate(), 0)

    def test_rsa_certificate(self):
        self.check("rsa")

    def test_ecdsa_certificate(self):
        self.check("ec")


class TlsScanControlTest(unittest.TestCase):
    """Negative control: the same scan and assessment find OpenSSL's defaults wanting (an RSA
    certificate with DEFAULT ciphers accepts suites without forward secrecy, e.g.
    AES256-GCM-SHA384), so a pass above is not the assessment seeing nothing."""

    def test_openssl_defaults_are_found(self):
        tmp = tempfile.mkdtemp(prefix="confidant-tls-control-")
        self.addCleanup(harness.remove_tree, tmp)
        cert, key = make_certificate(tmp, "rsa")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", cert, "-key", key,
                                   "-www", "-quiet"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        self.addCleanup(server.wait)
        self.addCleanup(server.kill)

        def listening():
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", port)) == 0

        poll_until(listening, 10, what="openssl s_server")
        report = os.path.join(tmp, "control.xml")
        text = scan(port, report)
        findings, _ = assess(report, chosen_compression(port))
        self.assertTrue(any("no forward secrecy" in f for f in findings), f"{findings}\n{text}")


def main():
    argv = list(sys.argv)
    if "--confidantd" in argv:
        i = argv.index("--confidantd")
        harness.CONFIDANTD = os.path.abspath(argv[i + 1])
        del argv[i:i + 2]
    harness.CONFIDANTD = harness.CONFIDANTD or os.environ.get("CONFIDANTD")
    if not harness.CONFIDANTD or not os.access(harness.CONFIDANTD, os.X_OK):
        sys.exit("usage: test_tls_scan.py --confidantd PATH [unittest arguments]")
    unittest.main(argv=argv, verbosity=2)


if __name__ == "__main__":
    main()
