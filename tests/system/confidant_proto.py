"""A small, independent Confidant protocol client, written from docs/protocol.md (revision 2) and
the byte formats of docs/crypto.md alone. Nothing here uses the server's code.

Debian's /usr/bin/python3 with python3-websockets (10.4) and python3-cryptography only.

    conn = await Connection.open(url)           # subprotocol confidant.v1; a reader task
    await conn.hello()                          # remembers server_key and limits
    keys = DeviceKeys(one_time=20)
    ok = await conn.call("register", **keys.register_fields(invite_code))
    await conn.login(ok["user"], ok["device"], keys)   # challenge, then the signed login
    answer = await conn.request("send", message_id=b64e(...), to=5, envelopes=[...])
    event = await conn.next_event("message")

Answers are matched to requests by `rid` (never by order, section 2.4); events (section 3.4) are
queued separately and taken with `next_event`.
"""

import asyncio
import base64
import datetime
import hashlib
import itertools
import json
import os
import re
import struct

import websockets
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

SUBPROTOCOL = "confidant.v1"
ROLES = ("headteacher", "associate", "coordinator", "spoc")
TIME_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

# Signature labels (protocol.md 7.3, 7.6; crypto.md).
IDENTITY_DH_LABEL = b"Confidant_Identity_DH_v1"
SIGNED_PREKEY_LABEL = b"Confidant_Signed_Prekey_v1"
LOGIN_LABEL = b"Confidant_Login_v1"
STAMP_LEAF_LABEL = b"Confidant_Stamp_v1"
STAMP_ROOT_LABEL = b"Confidant_Stamp_Root_v1"


# --- encodings (protocol.md section 4) -------------------------------------------------------------

def b64e(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64d(text: str) -> bytes:
    """Strict base64url without padding: anything else raises ValueError."""
    if not isinstance(text, str) or "=" in text or len(text) % 4 == 1:
        raise ValueError(f"not unpadded base64url: {text!r}")
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError(f"not base64url: {text!r}")
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def parse_time(text: str) -> datetime.datetime:
    """A protocol time (`YYYY-MM-DDTHH:MM:SS.mmmZ`) as an aware UTC datetime."""
    if not isinstance(text, str) or not TIME_FORMAT.match(text):
        raise ValueError(f"not a protocol time: {text!r}")
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)


def dumps(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def raw_public(key) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


# --- device keys (protocol.md 7.3, crypto.md "Identity", "Signed prekey") ------------------------

class DeviceKeys:
    """One device's identity (Ed25519 signing key + X25519 DH key), signed prekey and one-time
    prekeys. Only the public halves ever leave this object through the protocol."""

    def __init__(self, one_time=20, spk_id=1, created_at=None):
        self.signing = Ed25519PrivateKey.generate()
        self.dh = X25519PrivateKey.generate()
        self.signing_public = raw_public(self.signing.public_key())
        self.dh_public = raw_public(self.dh.public_key())
        self.identity_signature = self.signing.sign(IDENTITY_DH_LABEL + self.dh_public)
        self.signed_prekeys = {}  # id -> (private key, json object)
        self.spk = self.new_signed_prekey(spk_id, created_at)
        self.one_time = {}  # id -> private key
        self.next_otk_id = 1
        self.initial_one_time = self.new_one_time_prekeys(one_time)

    @property
    def identity(self) -> bytes:
        """signing (32) ‖ DH (32) ‖ signature over "Confidant_Identity_DH_v1" ‖ DH (64): 128 bytes."""
        return self.signing_public + self.dh_public + self.identity_signature

    def identity_b64(self) -> str:
        return b64e(self.identity)

    def new_signed_prekey(self, spk_id, created_at=None) -> dict:
        created_at = int(created_at if created_at is not None else datetime.datetime.now().timestamp())
        private = X25519PrivateKey.generate()
        key = raw_public(private.public_key())
        signature = self.signing.sign(signed_prekey_message(spk_id, created_at, key))
        obj = {"id": spk_id, "created_at": created_at, "key": b64e(key), "signature": b64e(signature)}
        self.signed_prekeys[spk_id] = (private, obj)
        return obj

    def new_one_time_prekeys(self, count) -> list:
        out = []
        for _ in range(count):
            private = X25519PrivateKey.generate()
            self.one_time[self.next_otk_id] = private
            out.append({"id": self.next_otk_id, "key": b64e(raw_public(private.public_key()))})
            self.next_otk_id += 1
        return out

    def one_time_public(self, otk_id) -> bytes:
        return raw_public(self.one_time[otk_id].public_key())

    def register_fields(self, invite: str) -> dict:
        return {"invite": invite, "identity": self.identity_b64(), "signed_prekey": self.spk,
                "one_time_prekeys": self.initial_one_time}

    def login_signature(self, server_key: bytes, nonce: bytes) -> bytes:
        return self.signing.sign(login_message(server_key, nonce))


def signed_prekey_message(spk_id: int, created_at: int, key: bytes) -> bytes:
    return SIGNED_PREKEY_LABEL + struct.pack(">IQ", spk_id, created_at) + key


def login_message(server_key: bytes, nonce: bytes) -> bytes:
    assert len(server_key) == 32 and len(nonce) == 32
    return LOGIN_LABEL + server_key + nonce  # 18 + 32 + 32 = 82 bytes


def ed25519_verify(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except (InvalidSignature, ValueError):
        return False


def check_identity(identity: bytes) -> bool:
    """An identity's DH key is signed by its signing key (7.3)."""
    return len(identity) == 128 and ed25519_verify(identity[:32], identity[64:], IDENTITY_DH_LABEL + identity[32:64])


def check_signed_prekey(identity: bytes, spk: dict) -> bool:
    key = b64d(spk["key"])
    return ed25519_verify(identity[:32], b64d(spk["signature"]),
                          signed_prekey_message(spk["id"], spk["created_at"], key))


# --- messages (protocol.md 7.13) -----------------------------------------------------------------

def envelope(user: int, device: int, body: bytes = None, commitment: bytes = None) -> dict:
    """One envelope with opaque content: the server cannot check the end-to-end layer, so random
    bytes stand in for a Sesame envelope and a franking commitment."""
    return {"user": user, "device": device, "body": b64e(body if body is not None else os.urandom(64)),
            "commitment": b64e(commitment if commitment is not None else os.urandom(32))}


def new_message_id() -> bytes:
    return os.urandom(16)


# --- franking stamps (crypto.md "Stamp") ---------------------------------------------------------

class Stamp:
    """version ‖ c (32) ‖ u8 len ‖ sender ‖ u8 len ‖ recipient ‖ time (u64) ‖ index (u32) ‖
    batch size (u32) ‖ path length (u8) ‖ path (32 each) ‖ signature (64)."""

    def __init__(self, data: bytes):
        self.raw = data
        pos = 0

        def take(n):
            nonlocal pos
            if pos + n > len(data):
                raise ValueError("stamp truncated")
            out = data[pos:pos + n]
            pos += n
            return out

        self.version = take(1)[0]
        if self.version != 1:
            raise ValueError(f"stamp version {self.version}")
        self.commitment = take(32)
        self.sender = take(take(1)[0]).decode("ascii")
        self.recipient = take(take(1)[0]).decode("ascii")
        self.time, self.index, self.batch_size = struct.unpack(">QII", take(16))
        self.path = [take(32) for _ in range(take(1)[0])]
        self.signature = take(64)
        if pos != len(data):
            raise ValueError(f"{len(data) - pos} bytes after the stamp")

    def leaf(self) -> bytes:
        s, r = self.sender.encode(), self.recipient.encode()
        return hashlib.sha256(b"\x00" + STAMP_LEAF_LABEL + self.commitment + bytes([len(s)]) + s +
                              bytes([len(r)]) + r + struct.pack(">Q", self.time)).digest()

    def root(self) -> bytes:
        """Folds the path from the leaf up. At each level the node's sibling is index ^ 1; the
        node is the left one when its index is even; an odd last node has no sibling at that
        level and moves up unchanged (no path entry is used)."""
        if not 0 <= self.index < self.batch_size:
            raise ValueError("index outside the batch")
        acc, pos, width, used = self.leaf(), self.index, self.batch_size, 0
        while width > 1:
            if pos ^ 1 < width:
                if used == len(self.path):
                    raise ValueError("path too short")
                sibling = self.path[used]
                used += 1
                pair = acc + sibling if pos % 2 == 0 else sibling + acc
                acc = hashlib.sha256(b"\x01" + pair).digest()
            pos //= 2
            width = (width + 1) // 2
        if used != len(self.path):
            raise ValueError("path too long")
        return acc

    def verify(self, server_key: bytes) -> bool:
        try:
            root = self.root()
        except ValueError:
            return False
        return ed25519_verify(server_key, self.signature,
                              STAMP_ROOT_LABEL + root + struct.pack(">I", self.batch_size))


# --- the connection --------------------------------------------------------------------------------

class ProtocolError(Exception):
    """An error answer to `Connection.call`."""

    def __init__(self, answer):
        super().__init__(f"{answer.get('code')}: {answer.get('message')} ({dumps(answer)})")
        self.answer = answer
        self.code = answer.get("code")


class Closed(Exception):
    """The connection closed while waiting; `code`/`reason` are the server's close frame (or None)."""

    def __init__(self, code, reason):
        super().__init__(f"connection closed ({code} {reason!r})")
        self.code, self.reason = code, reason


class Connection:
    """One WebSocket connection. A reader task files answers by rid and events in a queue."""

    def __init__(self, ws):
        self.ws = ws
        self.pending = {}  # rid -> future
        self.events = []
        self.stray = []  # answers whose rid matched no outstanding request (a bug if ever non-empty)
        self.server_key = None
        self.limits = None
        self.hello_answer = None
        self.user = self.device = None
        self._rids = itertools.count(1)
        self._arrived = asyncio.Event()
        self._closed = asyncio.Event()
        self.reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(cls, url, **kwargs):
        kwargs.setdefault("subprotocols", [SUBPROTOCOL])
        kwargs.setdefault("open_timeout", 10)
        kwargs.setdefault("max_size", 2 ** 24)
        ws = await websockets.connect(url, **kwargs)
        if ws.subprotocol != SUBPROTOCOL:
            await ws.close()
            raise AssertionError(f"the server chose subprotocol {ws.subprotocol!r}")
        return cls(ws)

    async def _read(self):
        try:
            async for text in self.ws:
                if not isinstance(text, str):
                    raise AssertionError("the server sent a binary message")
                message = json.loads(text)
                kind = message.get("type")
                if kind in ("ok", "error"):
                    future = self.pending.pop(message.get("rid"), None)
                    if future is not None and not future.done():
                        future.set_result(message)
                    else:
                        self.stray.append(message)
                else:
                    if "rid" in message:
                        self.stray.append(message)  # events have no rid (section 3.4)
                    self.events.append(message)
                    self._arrived.set()
        except websockets.ConnectionClosed:
            pass
        finally:
            self._closed.set()
            self._arrived.set()
            error = Closed(*self.close_frame())
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(error)
            self.pending.clear()

    # --- closing ---------------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def close_frame(self):
        """(code, reason) of the close frame the server sent, or (None, None)."""
        rcvd = getattr(self.ws, "close_rcvd", None)
        return (rcvd.code, rcvd.reason) if rcvd is not None else (None, None)

    async def wait_closed(self, timeout=5.0):
        """Waits for the server to close the connection; returns (code, reason)."""
        await asyncio.wait_for(self._closed.wait(), timeout)
        return self.close_frame()

    async def close(self):
        try:
            await asyncio.wait_for(self.ws.close(), 5)
        except Exception:  # noqa: BLE001 (closing on a dead socket is fine)
            pass
        self.reader.cancel()
        try:
            await self.reader
        except BaseException:  # noqa: BLE001
            pass

    # --- requests --------------------------------------------------------------------------------

    def next_rid(self) -> str:
        return f"r{next(self._rids)}"

    async def send_raw(self, text):
        await self.ws.send(text)

    async def request(self, type_, timeout=10.0, rid=None, **fields) -> dict:
        """Sends one request and returns its answer (`ok` or `error`), matched by rid."""
        rid = rid or self.next_rid()
        if rid in self.pending:
            raise AssertionError(f"rid {rid} is outstanding already")
        future = asyncio.get_running_loop().create_future()
        self.pending[rid] = future
        if self.closed:
            self.pending.pop(rid, None)
            raise Closed(*self.close_frame())
        try:
            await self.ws.send(dumps({"type": type_, "rid": rid, **fields}))
        except websockets.ConnectionClosed:
            self.pending.pop(rid, None)
            raise Closed(*self.close_frame())
        try:
            answer = await asyncio.wait_for(future, timeout)
        finally:
            self.pending.pop(rid, None)
        if answer.get("rid") != rid:
            raise AssertionError(f"answer for {rid} carries rid {answer.get('rid')!r}")
        return answer

    async def call(self, type_, timeout=10.0, **fields) -> dict:
        """`request`, raising ProtocolError on an error answer."""
        answer = await self.request(type_, timeout=timeout, **fields)
        if answer["type"] != "ok":
            raise ProtocolError(answer)
        return answer

    # --- events ----------------------------------------------------------------------------------

    async def next_event(self, kind=None, timeout=5.0) -> dict:
        """The oldest queued event (of type `kind`, if given); waits up to `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for i, event in enumerate(self.events):
                if kind is None or event["type"] == kind:
                    return self.events.pop(i)
            if self.closed:
                raise Closed(*self.close_frame())
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise asyncio.TimeoutError(f"no {kind or 'event'} within {timeout} s")
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def quiet_events(self, kind=None, quiet=1.0, limit=30.0) -> list:
        """Collects events (of type `kind`) until none arrives for `quiet` seconds."""
        out = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while loop.time() < deadline:
            try:
                out.append(await self.next_event(kind, timeout=quiet))
            except asyncio.TimeoutError:
                break
        return out

    def queued(self, kind=None) -> list:
        return [e for e in self.events if kind is None or e["type"] == kind]

    # --- the protocol's steps ---------------------------------------------------------------------

    async def hello(self, client="confidant-proto/1.0"):
        answer = await self.call("hello", versions=[SUBPROTOCOL], client=client)
        self.hello_answer = answer
        self.server_key = b64d(answer["server_key"])
        if len(self.server_key) != 32:
            raise AssertionError("server_key is not 32 bytes")
        self.limits = answer["limits"]
        return answer

    async def challenge(self) -> bytes:
        answer = await self.call("challenge")
        return b64d(answer["nonce"])

    async def login_request(self, user, device, keys, nonce=None, server_key=None) -> dict:
        """challenge (unless a nonce is given), then login; returns the login answer."""
        if nonce is None:
            nonce = await self.challenge()
        signature = keys.login_signature(server_key or self.server_key, nonce)
        return await self.request("login", user=user, device=device, signature=b64e(signature))

    async def login(self, user, device, keys) -> dict:
        answer = await self.login_request(user, device, keys)
        if answer["type"] != "ok":
            raise ProtocolError(answer)
        self.user, self.device = user, device
        return answer

    async def send_message(self, to, targets, message_id=None, body=None, commitment=None, **extra) -> dict:
        """`send` to `targets` [(user, device), ...] with opaque bodies; returns the answer."""
        message_id = message_id or new_message_id()
        commitment = commitment if commitment is not None else os.urandom(32)
        envelopes = [envelope(u, d, body, commitment) for u, d in targets]
        return await self.request("send", message_id=b64e(message_id), to=to, envelopes=envelopes, **extra)

    async def ack(self, ids) -> dict:
        return await self.call("ack", ids=list(ids))
