#!/usr/bin/python3
"""System tests: an independent client, written from docs/protocol.md, against a real confidantd.

    /usr/bin/python3 test_server.py --confidantd PATH [unittest arguments, e.g. a class name]

Standard library plus `websockets` (Debian's python3-websockets 10.4) only.
"""

import asyncio
import datetime
import http.client
import json
import os
import re
import secrets
import socket
import stat
import struct
import sys
import threading
import time
import unittest

import websockets

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import RawWebSocket, Server, poll_until, sha256_file  # noqa: E402

HELLO = {"type": "hello", "rid": "h1", "versions": ["confidant.v1"]}
TIME_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
# Limits differ from the defaults so the test can see the hello answer reports the configured ones.
LIMITS = {"max_frame_bytes": 32768, "idle_timeout_seconds": 120}


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"))


def parse_metrics(text):
    """Prometheus text format -> {"name{labels}": value}."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, value = line.rsplit(" ", 1)
        out[name] = float(value)
    return out


class ServerTest(unittest.IsolatedAsyncioTestCase):
    """Each test gets its own freshly initialised server."""

    server_limits = LIMITS
    log_level = None
    server_lines = ()  # more [server] keys

    def setUp(self):
        self.server = Server(limits=self.server_limits, log_level=self.log_level, server_lines=self.server_lines)
        self.addCleanup(self.server.cleanup)
        self.server.init()
        self.server.start()

    # --- helpers ------------------------------------------------------------------------------

    def connect(self, **kwargs):
        kwargs.setdefault("subprotocols", ["confidant.v1"])
        kwargs.setdefault("open_timeout", 10)
        return websockets.connect(self.server.ws_url, **kwargs)

    async def ask(self, ws, message, timeout=10):
        """Sends one request (a dict, or a str/bytes sent as is) and returns the parsed answer."""
        await ws.send(dumps(message) if isinstance(message, dict) else message)
        text = await asyncio.wait_for(ws.recv(), timeout)
        self.assertIsInstance(text, str, "the server must answer with text frames")
        return json.loads(text)

    def assert_error(self, answer, code, rid):
        self.assertEqual(answer["type"], "error", answer)
        self.assertIn("rid", answer, "an error answer always has a rid member")
        self.assertEqual(answer["rid"], rid, answer)
        self.assertEqual(answer["code"], code, answer)
        self.assertIsInstance(answer["message"], str)
        self.assertTrue(answer["message"], "the message must not be empty")

    async def assert_still_usable(self, ws, rid="again"):
        answer = await self.ask(ws, dict(HELLO, rid=rid))
        self.assertEqual(answer["type"], "ok", answer)
        self.assertEqual(answer["rid"], rid)

    def http(self, method, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            conn.request(method, path, headers=headers or {})
            res = conn.getresponse()
            return res.status, dict(res.getheaders()), res.read()
        finally:
            conn.close()

    def metrics(self):
        status, headers, body = self.http("GET", "/metrics")
        self.assertEqual(status, 200)
        return parse_metrics(body.decode())


class HelloTest(ServerTest):
    async def test_hello_ok(self):
        async with self.connect() as ws:
            self.assertEqual(ws.subprotocol, "confidant.v1")
            before = self.server.now()
            answer = await self.ask(ws, {"type": "hello", "rid": "c1", "versions": ["confidant.v1"],
                                         "client": "system-test/1.0"})
            after = self.server.now()
        self.assertEqual(answer["type"], "ok", answer)
        self.assertEqual(answer["rid"], "c1")
        self.assertEqual(answer["version"], "confidant.v1")
        self.assertRegex(answer["server"], r"^confidantd/\d+\.\d+\.\d+")
        self.assertEqual(answer["tenant"], self.server.tenant)
        self.assertIsInstance(answer["server_time"], str)
        self.assertRegex(answer["server_time"], TIME_FORMAT)
        t = datetime.datetime.strptime(answer["server_time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=datetime.timezone.utc)
        # Milliseconds truncate, so allow 1 ms before; the clocks are the same machine's.
        self.assertGreaterEqual(t, before - datetime.timedelta(seconds=1))
        self.assertLessEqual(t, after + datetime.timedelta(seconds=1))
        limits = answer["limits"]
        self.assertIsInstance(limits, dict)
        for key in ("max_frame_bytes", "idle_timeout_seconds"):
            self.assertIs(type(limits[key]), int, key)
        self.assertEqual(limits["max_frame_bytes"], LIMITS["max_frame_bytes"])
        self.assertEqual(limits["idle_timeout_seconds"], LIMITS["idle_timeout_seconds"])
        # Revision 2: the server's Ed25519 public key, 32 bytes of unpadded base64url (7.1, 7.3).
        self.assertRegex(answer["server_key"], r"^[A-Za-z0-9_-]{43}$")
        self.assertEqual(set(answer), {"type", "rid", "version", "server", "server_time", "tenant", "server_key",
                                       "limits"})

    async def test_hello_picks_v1_among_several(self):
        async with self.connect() as ws:
            answer = await self.ask(ws, {"type": "hello", "rid": "c1",
                                         "versions": ["confidant.v0", "confidant.v1", "confidant.v9"]})
        self.assertEqual(answer["type"], "ok", answer)
        self.assertEqual(answer["version"], "confidant.v1")

    async def test_unsupported_version(self):
        async with self.connect() as ws:
            answer = await self.ask(ws, {"type": "hello", "rid": "c2", "versions": ["confidant.v2", "other"]})
            self.assert_error(answer, "unsupported_version", "c2")
            await self.assert_still_usable(ws)

    async def test_subprotocol_offered_among_others(self):
        async with self.connect(subprotocols=["other.v7", "confidant.v1"]) as ws:
            self.assertEqual(ws.subprotocol, "confidant.v1")
            await self.assert_still_usable(ws)


class EnvelopeTest(ServerTest):
    async def test_missing_rid(self):
        async with self.connect() as ws:
            self.assert_error(await self.ask(ws, {"type": "hello", "versions": ["confidant.v1"]}),
                              "malformed_request", None)
            await self.assert_still_usable(ws)

    async def test_bad_rid(self):
        async with self.connect() as ws:
            for rid in ["a b", "", "x" * 65, 13, None, "é"]:
                with self.subTest(rid=rid):
                    answer = await self.ask(ws, {"type": "hello", "rid": rid, "versions": ["confidant.v1"]})
                    self.assert_error(answer, "malformed_request", None)
            # The longest and the widest valid rid are accepted.
            for rid in ["x" * 64, "AZaz09._:-"]:
                answer = await self.ask(ws, dict(HELLO, rid=rid))
                self.assertEqual((answer["type"], answer["rid"]), ("ok", rid), answer)

    async def test_bad_type_echoes_rid(self):
        async with self.connect() as ws:
            for i, message in enumerate([{"rid": "t0"}, {"type": "Hello", "rid": "t1"}, {"type": 5, "rid": "t2"},
                                         {"type": "a" * 65, "rid": "t3"}]):
                with self.subTest(message=message):
                    self.assert_error(await self.ask(ws, message), "malformed_request", f"t{i}")

    async def test_unknown_type_echoes_rid(self):
        async with self.connect() as ws:
            answer = await self.ask(ws, {"type": "send_message", "rid": "u-1:2.3_x"})
            self.assert_error(answer, "unknown_type", "u-1:2.3_x")
            await self.assert_still_usable(ws)

    async def test_malformed_json(self):
        async with self.connect() as ws:
            for frame in ['{"type":"hello","rid":', "not json", '{"type":"hello","rid":"r1"} {}',
                          '{"type":"hello","rid":"r1",}']:
                with self.subTest(frame=frame):
                    self.assert_error(await self.ask(ws, frame), "malformed_json", None)
            await self.assert_still_usable(ws)

    async def test_not_an_object(self):
        async with self.connect() as ws:
            for frame in ["[1,2]", '"hello"', "42", "null"]:
                with self.subTest(frame=frame):
                    self.assert_error(await self.ask(ws, frame), "malformed_request", None)

    async def test_nesting_depth_16(self):
        async with self.connect() as ws:
            # The object counts as one level: 15 nested arrays inside make 16 levels, accepted.
            ok_depth = '{"type":"nope","rid":"d1","a":' + "[" * 15 + "]" * 15 + "}"
            self.assert_error(await self.ask(ws, ok_depth), "unknown_type", "d1")
            too_deep = '{"type":"nope","rid":"d2","a":' + "[" * 16 + "]" * 16 + "}"
            self.assert_error(await self.ask(ws, too_deep), "malformed_json", None)

    async def test_whitespace_around_document(self):
        async with self.connect() as ws:
            answer = await self.ask(ws, " \n" + dumps(HELLO) + "\n\t ")
            self.assertEqual(answer["type"], "ok", answer)

    async def test_pipelined_requests_answered_by_rid(self):
        async with self.connect() as ws:
            rids = [f"p{i}" for i in range(20)]
            for rid in rids:
                await ws.send(dumps(dict(HELLO, rid=rid)))
            answers = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in rids]
        self.assertEqual(sorted(a["rid"] for a in answers), sorted(rids))
        self.assertTrue(all(a["type"] == "ok" for a in answers))

    async def test_fragmented_message_is_reassembled(self):
        async with self.connect() as ws:
            text = dumps(dict(HELLO, rid="frag"))
            await ws.send([text[:7], text[7:20], text[20:]])
            answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
        self.assertEqual((answer["type"], answer["rid"]), ("ok", "frag"))


class FieldTest(ServerTest):
    async def test_unknown_field(self):
        async with self.connect() as ws:
            answer = await self.ask(ws, dict(HELLO, rid="f1", extra=1))
            self.assert_error(answer, "unknown_field", "f1")
            self.assertIn("extra", answer["message"])
            # A name that is not short and printable is not echoed.
            answer = await self.ask(ws, dict(HELLO, rid="f2", **{"Bad Name!": 1}))
            self.assert_error(answer, "unknown_field", "f2")
            self.assertNotIn("Bad Name!", answer["message"])
            await self.assert_still_usable(ws)

    async def test_invalid_field(self):
        cases = [
            {"versions": "confidant.v1"},
            {"versions": []},
            {"versions": ["confidant.v1"] * 9},
            {"versions": [""]},
            {"versions": ["v" * 33]},
            {"versions": [1]},
            {"versions": None},
            {"versions": ["confidant.v1"], "client": ""},
            {"versions": ["confidant.v1"], "client": "c" * 65},
            {"versions": ["confidant.v1"], "client": None},
            {"versions": ["confidant.v1"], "client": 7},
        ]
        async with self.connect() as ws:
            for i, fields in enumerate(cases):
                with self.subTest(fields=fields):
                    answer = await self.ask(ws, {"type": "hello", "rid": f"i{i}", **fields})
                    self.assert_error(answer, "invalid_field", f"i{i}")
            # Limits are inclusive: 8 versions of 32 bytes and a 64-byte client are accepted.
            answer = await self.ask(ws, {"type": "hello", "rid": "max", "versions": ["confidant.v1"] + ["v" * 32] * 7,
                                         "client": "c" * 64})
            self.assertEqual(answer["type"], "ok", answer)

    async def test_missing_field(self):
        async with self.connect() as ws:
            self.assert_error(await self.ask(ws, {"type": "hello", "rid": "m1"}), "missing_field", "m1")
            self.assert_error(await self.ask(ws, {"type": "hello", "rid": "m2", "client": "x"}), "missing_field", "m2")

    async def test_defined_field_errors_come_before_unknown_fields(self):
        async with self.connect() as ws:
            answer = await self.ask(ws, {"type": "hello", "rid": "o1", "zzz": 1, "versions": "bad"})
            self.assert_error(answer, "invalid_field", "o1")


class FrameTest(ServerTest):
    async def test_binary_frame_refused_connection_continues(self):
        async with self.connect() as ws:
            await ws.send(b"\x00\x01")
            answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
            self.assert_error(answer, "frame_not_text", None)
            # Even a binary frame holding a valid request is refused.
            await ws.send(dumps(HELLO).encode())
            self.assert_error(json.loads(await asyncio.wait_for(ws.recv(), 10)), "frame_not_text", None)
            await self.assert_still_usable(ws)

    async def test_frame_at_limit_accepted_over_limit_closed_1009(self):
        async with self.connect() as ws:
            hello = await self.ask(ws, HELLO)
            limit = hello["limits"]["max_frame_bytes"]
            prefix = '{"type":"hello","rid":"big","versions":["confidant.v1"],"pad":"'
            at_limit = prefix + "x" * (limit - len(prefix) - 2) + '"}'
            self.assertEqual(len(at_limit.encode()), limit)
            # Exactly at the limit: read and answered (pad is not a hello field).
            self.assert_error(await self.ask(ws, at_limit), "unknown_field", "big")
            over = prefix + "x" * (limit - len(prefix) - 1) + '"}'
            await ws.send(over)
            with self.assertRaises(websockets.ConnectionClosed) as caught:
                await asyncio.wait_for(ws.recv(), 10)
            self.assertEqual(caught.exception.rcvd.code, 1009)
        self.assertTrue(self.server.alive())

    def test_invalid_utf8_closes_1007(self):
        ws = RawWebSocket(self.server.port)
        self.addCleanup(ws.close)
        self.assertEqual(ws.status, 101)
        ws.send(0x1, b'{"type":"hello","rid":"\xff\xfe","versions":["confidant.v1"]}')
        fin, opcode, payload = ws.recv_frame()
        self.assertEqual(opcode, 0x8, payload)
        self.assertEqual(struct.unpack("!H", payload[:2])[0], 1007)

    def test_unmasked_frame_closes_1002(self):
        ws = RawWebSocket(self.server.port)
        self.addCleanup(ws.close)
        payload = dumps(HELLO).encode()
        ws.sock.sendall(bytes([0x81, len(payload)]) + payload)
        fin, opcode, body = ws.recv_frame()
        self.assertEqual(opcode, 0x8)
        self.assertEqual(struct.unpack("!H", body[:2])[0], 1002)

    async def test_client_close_code_echoed(self):
        async with self.connect() as ws:
            await self.assert_still_usable(ws)
            await ws.close(4000, "bye")
            self.assertEqual(ws.close_rcvd.code, 4000)


class HandshakeTest(ServerTest):
    async def test_missing_subprotocol_http_400(self):
        for protocols in (None, ["confidant.v2"]):
            with self.subTest(protocols=protocols):
                with self.assertRaises(websockets.InvalidStatusCode) as caught:
                    async with websockets.connect(self.server.ws_url, subprotocols=protocols, open_timeout=10):
                        pass
                self.assertEqual(caught.exception.status_code, 400)
        raw = RawWebSocket(self.server.port, protocol=None)
        self.addCleanup(raw.close)
        self.assertEqual(raw.status, 400)
        self.assertNotIn("101", raw.response_head.split("\r\n")[0])

    async def test_wrong_path_404(self):
        for path in ("/v2/ws", "/v1/ws/", "/v1/ws?x=1", "/healthz"):
            with self.subTest(path=path):
                with self.assertRaises(websockets.InvalidStatusCode) as caught:
                    async with websockets.connect(f"ws://127.0.0.1:{self.server.port}{path}",
                                                  subprotocols=["confidant.v1"], open_timeout=10):
                        pass
                self.assertEqual(caught.exception.status_code, 404)


class OriginTest(ServerTest):
    """Cross-origin upgrades (2.3): no Origin, or one listed in server.allowed_origins; else 403."""

    LISTED = "https://confidant.example.la.gov.uk"
    server_lines = (f'allowed_origins = ["{LISTED}", "http://127.0.0.1:8081"]',)

    def raw_upgrade(self, origins):
        """Sends an upgrade with these Origin fields; returns (status line, headers, body) once the
        server has closed the connection (a refusal closes it)."""
        request = (f"GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: confidant.v1\r\n")
        request += "".join(f"Origin: {o}\r\n" for o in origins) + "\r\n"
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            sock.sendall(request.encode("latin-1"))
            data = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        return lines[0], headers, body

    async def assert_refused(self, origin):
        with self.assertRaises(websockets.InvalidStatusCode) as caught:
            async with self.connect(origin=origin):
                pass
        self.assertEqual(caught.exception.status_code, 403, origin)

    async def test_listed_origin_upgrades(self):
        for origin in (self.LISTED, "HTTPS://Confidant.Example.LA.gov.uk", self.LISTED + ":443",
                       "http://127.0.0.1:8081"):
            with self.subTest(origin=origin):
                async with self.connect(origin=origin) as ws:
                    self.assertEqual(ws.subprotocol, "confidant.v1")
                    await self.assert_still_usable(ws)

    async def test_no_origin_upgrades(self):
        async with self.connect() as ws:
            self.assertNotIn("Origin", ws.request_headers)
            await self.assert_still_usable(ws)

    async def test_other_origin_is_403(self):
        for origin in ("https://evil.example", "http://confidant.example.la.gov.uk", self.LISTED + ":8443",
                       self.LISTED + "/", self.LISTED + ".evil.example", "https://evil.confidant.example.la.gov.uk",
                       "http://127.0.0.1:8080", "http://localhost:8081"):
            with self.subTest(origin=origin):
                await self.assert_refused(origin)

    async def test_null_origin_refused(self):
        await self.assert_refused("null")
        status, headers, body = self.raw_upgrade(["null"])
        self.assertEqual(status, "HTTP/1.1 403 Forbidden")
        self.assertEqual(body, b"origin not allowed\n")
        self.assertEqual(headers["content-type"], "text/plain; charset=utf-8")
        self.assertEqual(headers["connection"], "close")
        self.assertNotIn("sec-websocket-accept", headers)
        self.assertNotIn("upgrade", headers)

    async def test_empty_two_fields_and_malformed_refused(self):
        for origins in ([""], [self.LISTED, self.LISTED], [self.LISTED, "https://evil.example"],
                        ["confidant.example.la.gov.uk"], ["https://user@confidant.example.la.gov.uk"]):
            with self.subTest(origins=origins):
                status, _, body = self.raw_upgrade(origins)
                self.assertEqual(status, "HTTP/1.1 403 Forbidden")
                self.assertEqual(body, b"origin not allowed\n")

    async def test_refusals_open_no_websocket(self):
        for origin in ("null", "https://evil.example"):
            await self.assert_refused(origin)
        after = self.metrics()
        self.assertEqual(after["confidant_connections_total"], 0)
        self.assertEqual(after["confidant_connections"], 0)
        self.assertEqual(after.get('confidant_requests_total{type="hello"}', 0), 0)
        async with self.connect(origin=self.LISTED) as ws:
            await self.assert_still_usable(ws)
        self.assertEqual(self.metrics()["confidant_connections_total"], 1)


class HttpTest(ServerTest):
    def test_healthz(self):
        status, headers, body = self.http("GET", "/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"ok\n")
        self.assertEqual(headers["Server"], "confidantd")
        self.assertEqual(headers["Cache-Control"], "no-store")

    def test_readyz(self):
        status, _, body = self.http("GET", "/readyz")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"ready\n")

    def test_not_found(self):
        for path in ("/", "/nope", "/healthz?x=1", "/metrics/"):
            with self.subTest(path=path):
                status, _, body = self.http("GET", path)
                self.assertEqual(status, 404)
                self.assertEqual(body, b"not found\n")

    def test_post_is_405(self):
        for path in ("/healthz", "/readyz", "/metrics", "/v1/ws"):
            with self.subTest(path=path):
                status, headers, _ = self.http("POST", path)
                self.assertEqual(status, 405)
                self.assertEqual(headers["Allow"], "GET, HEAD")

    def test_plain_get_on_ws_path_is_426(self):
        status, _, body = self.http("GET", "/v1/ws")
        self.assertEqual(status, 426)
        self.assertIn(b"confidant.v1", body)

    # Regression: HEAD answers once carried the body, putting keep-alive out of step.
    def test_head_has_no_body_and_keep_alive_stays_in_step(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        self.addCleanup(sock.close)
        sock.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                     b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), data)
        self.assertIn(b"Content-Length: 3", head)
        # The HEAD response ends with its headers: the next bytes are the GET's status line.
        self.assertTrue(rest.startswith(b"HTTP/1.1 200"), rest[:40])
        self.assertTrue(rest.endswith(b"\r\n\r\nready\n"), rest[-40:])


class MetricsTest(ServerTest):
    async def test_metrics_count_connections_requests_errors(self):
        status, headers, _ = self.http("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"), headers)
        before = self.metrics()
        self.assertEqual(before["confidant_connections"], 0)
        self.assertEqual(before['confidant_errors_total{code="unknown_type"}'], 0)
        # One line for every code of section 6, from 0 (revision 2 added the codes from hello_required on).
        for code in ("malformed_json", "malformed_request", "missing_field", "invalid_field", "unknown_field",
                     "unknown_type", "unsupported_version", "frame_not_text", "rate_limited", "server_busy",
                     "shutting_down", "internal_error", "hello_required", "not_authenticated",
                     "already_authenticated", "challenge_required", "login_failed", "invite_unknown", "invite_used",
                     "invite_expired", "identity_in_use", "forbidden", "unknown_user", "wrong_role", "not_paired",
                     "device_mismatch", "not_found", "last_device", "limit_reached"):
            self.assertIn(f'confidant_errors_total{{code="{code}"}}', before)
        async with self.connect() as ws:
            self.assertEqual((await self.ask(ws, HELLO))["type"], "ok")
            for rid in ("u1", "u2"):
                self.assert_error(await self.ask(ws, {"type": "nope", "rid": rid}), "unknown_type", rid)
            self.assert_error(await self.ask(ws, "{"), "malformed_json", None)
            during = self.metrics()
            self.assertEqual(during["confidant_connections"], 1)
        self.assertEqual(during['confidant_requests_total{type="hello"}'], 1)
        self.assertEqual(during['confidant_requests_total{type="unknown"}'], 2)
        self.assertEqual(during['confidant_requests_total{type="invalid"}'], 1)
        self.assertEqual(during['confidant_errors_total{code="unknown_type"}'], 2)
        self.assertEqual(during['confidant_errors_total{code="malformed_json"}'], 1)
        self.assertGreaterEqual(during["confidant_connections_total"], 1)
        poll_until(lambda: self.metrics()["confidant_connections"] == 0, 5, what="connections back to 0")


class KeepAliveTest(ServerTest):
    server_limits = {"idle_timeout_seconds": 5}

    async def test_client_ping_answered(self):
        async with self.connect() as ws:
            pong = await ws.ping(b"p")
            await asyncio.wait_for(pong, 5)

    def test_idle_ping_then_close_without_pong(self):
        ws = RawWebSocket(self.server.port)
        self.addCleanup(ws.close)
        start = time.monotonic()
        fin, opcode, _ = ws.recv_frame(timeout=5)
        pinged = time.monotonic() - start
        self.assertEqual(opcode, 0x9, "expected a ping after half the idle timeout")
        self.assertGreater(pinged, 1.5)
        self.assertLess(pinged, 4.5)
        # No pong: the server closes TCP (no close frame) once the idle timeout has passed.
        frames = ws.wait_eof(timeout=6)
        closed = time.monotonic() - start
        self.assertEqual([f for f in frames if f[1] == 0x8], [], "no close frame on idle timeout")
        self.assertGreater(closed, 4.0)
        self.assertLess(closed, 8.0)

    def test_pongs_keep_connection_open(self):
        ws = RawWebSocket(self.server.port)
        self.addCleanup(ws.close)
        start = time.monotonic()
        while time.monotonic() - start < 6.5:  # longer than the idle timeout
            try:
                fin, opcode, payload = ws.recv_frame(timeout=0.5)
            except socket.timeout:
                continue
            self.assertEqual(opcode, 0x9)
            ws.send(0xA, payload)
        ws.send(0x1, dumps(HELLO).encode())
        fin, opcode, payload = ws.recv_frame(timeout=5)
        while opcode == 0x9:
            ws.send(0xA, payload)
            fin, opcode, payload = ws.recv_frame(timeout=5)
        self.assertEqual(opcode, 0x1)
        self.assertEqual(json.loads(payload)["type"], "ok")


class SlowReaderTest(ServerTest):
    server_limits = {"max_outgoing_frames": 8}

    # Regression: a full queue once freed the frame async_write was still sending (SIGSEGV).
    def test_reader_that_stops_reading_gets_1008(self):
        ws = RawWebSocket(self.server.port, rcvbuf=4096)
        self.addCleanup(ws.close)
        frame = RawWebSocket.frame(0x1, dumps(HELLO).encode())
        batch = frame * 50_000
        sender = threading.Thread(target=lambda: ws.sock.sendall(batch), daemon=True)
        ws.sock.settimeout(None)
        sender.start()
        sender.join(timeout=3)  # do not read meanwhile: the answers pile up in the server
        frames = []
        close = None
        deadline = time.monotonic() + 30
        while close is None and time.monotonic() < deadline:
            try:
                fin, opcode, payload = ws.recv_frame(timeout=max(0.1, deadline - time.monotonic()))
            except (EOFError, ConnectionResetError):
                break
            if opcode == 0x8:
                close = payload
            else:
                frames.append((opcode, payload))
        if close is None:
            try:
                poll_until(lambda: not self.server.alive(), 2, what="confidantd to exit")
                self.fail(f"no close frame; confidantd died, exit status {self.server.process.returncode}")
            except AssertionError as e:
                if "confidantd died" in str(e):
                    raise
                self.fail("no close frame, but confidantd is still running")
        self.assertEqual(struct.unpack("!H", close[:2])[0], 1008)
        self.assertEqual(close[2:], b"outgoing queue full")
        for opcode, payload in frames:  # every answer before the close is intact
            self.assertEqual(opcode, 0x1)
            self.assertEqual(json.loads(payload)["type"], "ok")
        sender.join(timeout=10)
        ws.send_close(1000)
        self.assertTrue(self.server.alive(), "confidantd died")
        status, _, _ = self.http("GET", "/healthz")
        self.assertEqual(status, 200)


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


class HalfOpenTest(ServerTest):
    """Many connections that never finish their handshake: bounded memory, all closed in time."""

    server_limits = {"handshake_timeout_seconds": 2}
    count = 300

    def test_silent_and_unfinished_handshakes_are_closed_and_cost_little(self):
        pid = self.server.process.pid
        before = rss_bytes(pid)
        socks = []
        for i in range(self.count):
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
            self.addCleanup(s.close)
            if i % 3 == 1:  # the request line and part of the headers, never the blank line
                s.sendall(b"GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n")
            elif i % 3 == 2:  # a byte at a time would be a slowloris: one byte, then nothing
                s.sendall(b"G")
            socks.append(s)
        status, _, _ = self.http("GET", "/healthz")  # the server still answers while they hang
        self.assertEqual(status, 200)
        held = rss_bytes(pid)
        # A generous bound (64 KiB each) that a buffer per connection of the frame size would break.
        self.assertLess(held - before, self.count * 64 * 1024, f"{held - before} bytes for {self.count} half-open")
        closed = 0
        deadline = time.monotonic() + 20
        for s in socks:
            s.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                data = s.recv(4096)
                while data:  # an HTTP error answer may come first; then the close
                    data = s.recv(4096)
                closed += 1
            except ConnectionResetError:
                closed += 1
            except socket.timeout:
                break
        self.assertEqual(closed, self.count, "half-open connections still open after the handshake timeout")
        status, _, _ = self.http("GET", "/healthz")
        self.assertEqual(status, 200)


class ShutdownTest(ServerTest):
    async def test_sigterm_closes_1001_and_exits_0(self):
        async with self.connect() as ws:
            self.assertEqual((await self.ask(ws, HELLO))["type"], "ok")
            started = time.monotonic()
            self.server.process.send_signal(15)
            with self.assertRaises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            self.assertIsNotNone(ws.close_rcvd, "the server must send a close frame")
            self.assertEqual(ws.close_rcvd.code, 1001)
            self.assertEqual(ws.close_rcvd.reason, "server shutting down")
        code = await asyncio.get_running_loop().run_in_executor(
            None, lambda: self.server.process.wait(timeout=max(0.1, 5 - (time.monotonic() - started))))
        self.assertEqual(code, 0, self.server.stderr())


class KeyTest(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.cleanup)
        self.server.init()

    def test_wrong_key_refused_database_unchanged(self):
        key_file = os.path.join(self.server.data_dir, "db.key")
        db_file = os.path.join(self.server.data_dir, "confidant.db")
        self.assertEqual(stat.S_IMODE(os.stat(key_file).st_mode), 0o600)
        with open(key_file, "rb") as f:
            old_key = f.read().strip()
        new_key = secrets.token_hex(32).encode()
        self.assertNotEqual(new_key, old_key)
        with open(key_file, "wb") as f:  # truncates in place: the mode stays 0600
            f.write(new_key + b"\n")
        self.assertEqual(stat.S_IMODE(os.stat(key_file).st_mode), 0o600)
        before = sha256_file(db_file)
        done = self.server.command("run", timeout=30)
        self.assertNotEqual(done.returncode, 0)
        self.assertNotIn(b"listening", done.stdout)
        self.assertRegex(done.stderr.decode(), r"\bkey\b")
        self.assertEqual(sha256_file(db_file), before, "the database must not change")

    def test_run_without_init_data_refused(self):
        other = Server()
        self.addCleanup(other.cleanup)
        done = other.command("run", timeout=30)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn(b"init", done.stderr)


class CheckConfigTest(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.cleanup)

    def test_reports_every_error_with_position(self):
        bad = os.path.join(self.server.tmp, "bad.toml")
        with open(bad, "w", encoding="utf-8") as f:
            f.write('[server]\nlisten = "127.0.0.1:0"\ncolour = "blue"\n\n[limits]\nmax_frame_bytes = 10\n')
        done = self.server.command("check-config", bad)
        self.assertEqual(done.returncode, 2, done.stderr)
        err = done.stderr.decode()
        self.assertRegex(err, re.escape(bad) + r":3:\d+: .*server\.colour")
        self.assertRegex(err, re.escape(bad) + r":6:\d+: .*limits\.max_frame_bytes")

    def test_malformed_origins_named(self):
        bad = os.path.join(self.server.tmp, "origins.toml")
        with open(bad, "w", encoding="utf-8") as f:
            f.write('[server]\nallowed_origins = [\n  "https://ok.example",\n  "https://ok.example/",\n  "null",\n]\n')
        done = self.server.command("check-config", bad)
        self.assertEqual(done.returncode, 2, done.stderr)
        err = done.stderr.decode()
        self.assertRegex(err, re.escape(bad) + r":4:\d+: `server\.allowed_origins` entries must be origins")
        self.assertRegex(err, re.escape(bad) + r":5:\d+: `server\.allowed_origins` entries must be origins")
        self.assertNotRegex(err, re.escape(bad) + r":3:")

    def test_good_config_ok(self):
        done = self.server.command("check-config", self.server.config)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(b"ok", done.stdout)


class CanaryTest(ServerTest):
    log_level = "trace"  # the most verbose logging must still carry no content

    async def test_client_strings_never_stored_or_logged(self):
        canary = "CANARY-" + secrets.token_hex(12)  # 31 bytes: valid as a version and as a client
        lower = "canary_" + secrets.token_hex(12)
        async with self.connect() as ws:
            answers = [
                await self.ask(ws, dict(HELLO, rid="c1", client=canary)),
                await self.ask(ws, {"type": "hello", "rid": "c2", "versions": [canary]}),
                await self.ask(ws, {"type": lower, "rid": "c3"}),
                await self.ask(ws, dict(HELLO, rid="c4", client=7, extra=canary)),
                await self.ask(ws, '{"type":"hello","rid":"c5","client":"' + canary + '"'),
            ]
        self.assertEqual(answers[0]["type"], "ok")
        self.assertEqual([a.get("code") for a in answers[1:]],
                         ["unsupported_version", "unknown_type", "invalid_field", "malformed_json"])
        for a in answers:  # error messages name rules, never values
            self.assertNotIn(canary, json.dumps(a))
            self.assertNotIn(lower, json.dumps(a))
        self.assertEqual(self.server.terminate(), 0)
        needles = [canary.encode(), lower.encode()]
        for name, text in (("stdout", self.server.stdout()), ("stderr", self.server.stderr())):
            for n in needles:
                self.assertNotIn(n.decode(), text, name)
        files = self.server.files()
        self.assertTrue(any(f.endswith("confidant.db") for f in files), files)
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            for n in needles:
                self.assertNotIn(n, data, path)
            # The database is encrypted: not even the tenant name is readable on disk.
            if not path.endswith(".key"):
                self.assertNotIn(self.server.tenant.encode(), data, path)
                self.assertNotIn(b"SQLite format 3", data, path)


class DocExamplesTest(ServerTest):
    """Replays every `>`/`<` exchange of docs/protocol.md and compares the answers byte for byte
    (except `server_time`, which is the server's clock, and `server_key`, which each server
    generates at `init`). `C:`/`S:` exchanges are illustrations and are not replayed."""

    DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "protocol.md")

    def setUp(self):
        self.server = Server(tenant="Test LA")
        self.addCleanup(self.server.cleanup)
        self.server.init()
        self.server.start()

    def exchanges(self):
        pairs, inside, pending = [], False, None
        with open(self.DOC, encoding="utf-8") as f:
            for line in f.read().splitlines():
                if line.startswith("```"):
                    inside = not inside
                elif inside and line.startswith("> "):
                    pending = line[2:]
                elif inside and line.startswith("< ") and pending is not None:
                    pairs.append((pending, line[2:]))
                    pending = None
        return pairs

    async def test_examples_match_the_server(self):
        pairs = self.exchanges()
        self.assertGreaterEqual(len(pairs), 10, "the examples were not found in docs/protocol.md")
        binary = re.compile(r"^\(binary message ([0-9a-f ]+)\)$")
        async with self.connect() as ws:
            for sent, expected in pairs:
                with self.subTest(sent=sent):
                    m = binary.match(sent)
                    await ws.send(bytes.fromhex(m.group(1)) if m else sent)
                    got = await asyncio.wait_for(ws.recv(), 10)
                    time_field = re.compile(r'"server_time":"[^"]*"')
                    key_field = re.compile(r'"server_key":"[^"]*"')
                    self.assertRegex(got, r'^[^\n]*$')
                    if '"server_time"' in expected:
                        stamp = re.search(r'"server_time":"([^"]*)"', got).group(1)
                        self.assertRegex(stamp, TIME_FORMAT)
                    if '"server_key"' in expected:
                        key = re.search(r'"server_key":"([^"]*)"', got)
                        self.assertIsNotNone(key, f"no server_key in {got}")
                        self.assertRegex(key.group(1), r"^[A-Za-z0-9_-]{43}$")  # 32 bytes, unpadded

                    def mask(text):
                        return key_field.sub("K", time_field.sub("T", text))

                    self.assertEqual(mask(got), mask(expected))


def main():
    argv = list(sys.argv)
    if "--confidantd" in argv:
        i = argv.index("--confidantd")
        harness.CONFIDANTD = os.path.abspath(argv[i + 1])  # the server runs in its temp dir
        del argv[i:i + 2]
    harness.CONFIDANTD = harness.CONFIDANTD or os.environ.get("CONFIDANTD")
    if not harness.CONFIDANTD or not os.access(harness.CONFIDANTD, os.X_OK):
        sys.exit("usage: test_server.py --confidantd PATH [unittest arguments]")
    unittest.main(argv=argv, verbosity=2)


if __name__ == "__main__":
    main()
