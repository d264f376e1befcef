#!/usr/bin/python3
"""System tests of safeguarding flags (docs/protocol.md revision 4, 7.23-7.28, and 7.14's
`invite_create` field `deputy`) against the real confidantd, written from the protocol text and
docs/crypto.md alone:

- SPOC sealing keys: `spoc_key_publish` (certificates of docs/crypto.md with real Ed25519
  signatures and X25519 box keys) and `spoc_keys`;
- `flag_raise`: no_spoc, spoc_keys_changed, idempotence, roles, field errors, deadlines on the LA
  working-day calendar, out-of-hours answers;
- a Saturday-night flag reaches the SPOC at once while an ordinary message is held until Monday;
- `flag` events at least once until `flag_received`;
- escalation (`flag_alert`) across a weekend, Christmas and Boxing Day, and server restarts;
- handling: `flag_ack`, `flag_note`, `flag_resolve`, `flag_hold`, `flags`, `flag_show`, and the
  `flag_state` / `flag_note` events;
- a canary: sealed flag bytes and notes never reach the server's files or logs in the clear.

The server cannot open sealed flags, so a sealed copy here is the right 4-byte big-endian key id
followed by opaque random bytes (PyNaCl is not installed; crypto_box_seal is not needed to test
the server). Certificates are real: the server verifies them.

    /usr/bin/python3 tests/system/test_flags.py --confidantd PATH [TestClass]
"""

import asyncio
import datetime
import os
import secrets
import struct
import sys
import zoneinfo

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confidant_proto import b64d, b64e, parse_time, raw_public  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey  # noqa: E402
from proto_case import Account, ProtocolCase, main  # noqa: E402

UTC = datetime.timezone.utc
LONDON = zoneinfo.ZoneInfo("Europe/London")
HOUR = datetime.timedelta(hours=1)

SPOC_KEY_LABEL = b"Confidant_SPOC_Key_v1"  # docs/crypto.md "SPOC key certificate"; crypto/flag.cpp
CERT_VERSION = 1

CATEGORIES = ("child_protection", "staff_allegation", "whistleblowing", "leader_wellbeing", "other")
URGENCIES = ("immediate", "urgent", "standard")
OUTCOMES = ("referred_to_childrens_social_care", "referred_to_police", "referred_to_lado",
            "wellbeing_support_arranged", "advice_given", "no_further_action", "other")
HISTORY_ACTIONS = {"flag_raised", "flag_delivered", "flag_acknowledged", "flag_escalated", "flag_note_added",
                   "flag_resolved", "flag_hold_set"}

# The flag object (7.23). A raiser sees exactly these members (the times once reached) ...
RAISER_VIEW = {"flag", "category", "urgency", "state", "raised_at", "deadline_at"}
RAISER_OPTIONAL = {"acknowledged_at", "resolved_at"}
# ... a SPOC these as well.
SPOC_ONLY = {"raised_by", "flag_id", "acknowledged_by", "resolved_by", "outcome", "escalations", "legal_hold"}
SPOC_VIEW = RAISER_VIEW | {"raised_by", "flag_id", "escalations", "legal_hold"}
SPOC_ALL = RAISER_VIEW | RAISER_OPTIONAL | SPOC_ONLY
RAISE_ANSWER = RAISER_VIEW | {"out_of_hours", "emergency_route"}

# England and Wales bank holidays (GOV.UK) for the years the tests use, written down here rather
# than read from the server's data files, so that the expected deadlines are independent.
BANK_HOLIDAYS = {datetime.date(*d) for d in (
    (2026, 1, 1), (2026, 4, 3), (2026, 4, 6), (2026, 5, 4), (2026, 5, 25), (2026, 8, 31), (2026, 12, 25),
    (2026, 12, 28), (2027, 1, 1), (2027, 3, 26), (2027, 3, 29), (2027, 5, 3), (2027, 5, 31), (2027, 8, 30),
    (2027, 12, 27), (2027, 12, 28))}


def wire(t: datetime.datetime) -> str:
    """A protocol time (section 4): UTC, milliseconds, `Z`."""
    t = t.astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def add_working_time(t: datetime.datetime, amount: datetime.timedelta) -> datetime.datetime:
    """The LA working-day calendar (7.23): Monday to Friday minus bank holidays, 08:00-18:00
    Europe/London. The earliest instant s with `amount` of working time in [t, s)."""
    remaining = amount
    day = t.astimezone(LONDON).date()
    while True:
        if day.weekday() < 5 and day not in BANK_HOLIDAYS:
            opens = datetime.datetime.combine(day, datetime.time(8), LONDON).astimezone(UTC)
            closes = datetime.datetime.combine(day, datetime.time(18), LONDON).astimezone(UTC)
            start = max(t, opens)
            if start < closes:
                if remaining <= closes - start:
                    return start + remaining
                remaining -= closes - start
        day += datetime.timedelta(days=1)


def certificate(signing: Ed25519PrivateKey, key_id: int, not_before: int, not_after: int, identity: bytes = None,
                box_key: bytes = None, version: int = CERT_VERSION, signer: Ed25519PrivateKey = None):
    """docs/crypto.md: version ‖ SPOC identity signing key (32) ‖ key id (u32) ‖ box key (32) ‖
    not_before (u64) ‖ not_after (u64) ‖ Ed25519 over "Confidant_SPOC_Key_v1" ‖ the rest (64):
    149 bytes. Returns (certificate, X25519 private key)."""
    box_private = X25519PrivateKey.generate()
    box_key = box_key if box_key is not None else raw_public(box_private.public_key())
    identity = identity if identity is not None else raw_public(signing.public_key())
    body = bytes([version]) + identity + struct.pack(">I", key_id) + box_key + struct.pack(">QQ", not_before, not_after)
    signature = (signer or signing).sign(SPOC_KEY_LABEL + body)
    return body + signature, box_private


def sealed_copy(key_id: int, payload: bytes = None) -> bytes:
    """A stand-in for `key id (u32) ‖ crypto_box_seal(inner)` (docs/crypto.md "Flag"): the server
    can check only the prefix."""
    return struct.pack(">I", key_id) + (payload if payload is not None else os.urandom(160))


def copies_for(keys, payload=None):
    """One copy per entry of a `spoc_keys` answer: (copies, {(user, device): sealed bytes})."""
    copies, sealed = [], {}
    for k in keys:
        data = sealed_copy(k["key_id"], payload)
        sealed[(k["user"], k["device"])] = data
        copies.append({"user": k["user"], "device": k["device"], "key_id": k["key_id"], "sealed": b64e(data)})
    return copies, sealed


def pairs(keys):
    return [(k["user"], k["device"]) for k in keys]


class FlagCase(ProtocolCase):
    """A coordinator, a headteacher and an associate who are paired; SPOCs are added per test."""

    async def asyncSetUp(self):
        self.coord_account, self.coord = await self.coordinator()
        self.head = await self.new_account(self.coord, "headteacher", "Head One")
        self.assoc = await self.new_account(self.coord, "associate", "Assoc One")
        await self.pair(self.coord, self.head, self.assoc)

    # --- SPOC accounts and keys ---------------------------------------------------------------------

    async def new_spoc(self, name, deputy=None) -> Account:
        extra = {} if deputy is None else {"deputy": deputy}
        code = (await self.coord.call("invite_create", role="spoc", display_name=name, **extra))["code"]
        answer, keys = await self.register(code)
        self.assert_ok(answer)
        self.assertEqual(answer["role"], "spoc")
        account = Account(answer["user"], answer["role"], answer["display_name"], keys, answer["device"])
        account.certs = {}  # device -> (key_id, certificate bytes)
        return account

    def server_seconds(self) -> int:
        return int(self.server.now().timestamp())

    def make_cert(self, account, device, key_id, days=30, **kwargs):
        now = self.server_seconds()
        return certificate(account.keys(device).signing, key_id, now - 60, now + days * 86400, **kwargs)

    async def publish(self, conn, account, device=1, key_id=1, days=30):
        cert, _ = self.make_cert(account, device, key_id, days)
        answer = await conn.request("spoc_key_publish", certificate=b64e(cert))
        self.assert_ok(answer, {"key_id", "not_after"})
        self.assertEqual(answer["key_id"], key_id)
        not_after = struct.unpack(">Q", cert[1 + 32 + 4 + 32 + 8:1 + 32 + 4 + 32 + 16])[0]
        self.assertEqual(answer["not_after"], wire(datetime.datetime.fromtimestamp(not_after, UTC)))
        account.certs[device] = (key_id, cert)
        return answer

    async def spoc_with_key(self, name, deputy=None, key_id=1):
        """A SPOC account whose device 1 has published a key; returns (account, its connection)."""
        account = await self.new_spoc(name, deputy)
        conn = await self.login(account)
        await self.publish(conn, account, 1, key_id)
        return account, conn

    async def spoc_keys(self, conn):
        answer = await conn.call("spoc_keys")
        self.assertEqual(set(answer) - {"type", "rid"}, {"keys"})
        return answer["keys"]

    # --- raising --------------------------------------------------------------------------------------

    async def raise_request(self, conn, copies, flag_id=None, category="child_protection", urgency="immediate"):
        return await conn.request("flag_raise", flag_id=b64e(flag_id or os.urandom(16)), category=category,
                                  urgency=urgency, copies=copies)

    async def raise_flag(self, conn, category="child_protection", urgency="immediate", flag_id=None, payload=None):
        """Fetches spoc_keys, seals one copy per device, raises; returns (answer, {(u, d): sealed})."""
        keys = await self.spoc_keys(conn)
        copies, sealed = copies_for(keys, payload)
        answer = await self.raise_request(conn, copies, flag_id, category, urgency)
        self.assert_ok(answer, RAISE_ANSWER)
        self.assertEqual((answer["category"], answer["urgency"], answer["state"]), (category, urgency, "received"))
        self.assertIs(type(answer["flag"]), int)
        self.assertIs(type(answer["out_of_hours"]), bool)
        self.assertIsInstance(answer["emergency_route"], str)
        self.assertTrue(answer["emergency_route"], "the emergency route is always present (7.25)")
        return answer, sealed

    async def note_request(self, conn, flag, copies, note_id=None):
        return await conn.request("flag_note", flag=flag, note_id=b64e(note_id or os.urandom(16)), copies=copies)

    # --- views -----------------------------------------------------------------------------------------

    def check_raiser_view(self, obj, state, extra=()):
        """Exactly the raiser's members (7.23): never raised_by, outcome, escalations, names."""
        want = set(RAISER_VIEW) | set(extra)
        if state in ("acknowledged", "resolved"):
            want.add("acknowledged_at")
        if state == "resolved":
            want.add("resolved_at")
        self.assertEqual(set(obj), want, obj)
        self.assertEqual(obj["state"], state)
        for name in want & {"raised_at", "deadline_at", "acknowledged_at", "resolved_at"}:
            parse_time(obj[name])

    def check_spoc_view(self, obj, state, extra=()):
        """The SPOC's flag object (7.23): times and names present once reached."""
        members = set(obj) - set(extra)
        self.assertTrue(SPOC_VIEW <= members, f"missing {SPOC_VIEW - members}: {obj}")
        self.assertTrue(members <= SPOC_ALL, f"undefined {members - SPOC_ALL}: {obj}")
        self.assertEqual(obj["state"], state, obj)
        reached = {"received": set(), "acknowledged": {"acknowledged_at", "acknowledged_by"},
                   "resolved": {"acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by", "outcome"}}[state]
        for name in {"acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by", "outcome"}:
            if name in reached:
                self.assertIn(name, obj)
            else:
                self.assertNotIn(name, obj, f"{name} before it is reached")
        self.assertEqual(set(obj["raised_by"]), {"user", "device"})
        self.assertIs(type(obj["escalations"]), int)
        self.assertIs(type(obj["legal_hold"]), bool)

    async def flags(self, conn, state=None):
        answer = await conn.call("flags", **({} if state is None else {"state": state}))
        self.assertEqual(set(answer) - {"type", "rid"}, {"flags"})
        return answer["flags"]

    async def restart_at(self, instant: datetime.datetime):
        """Stops the server and starts it again with its clock at `instant` (later than before:
        the stopped server's clock jumps forward, as a real one does over a weekend)."""
        await self.stop_server()
        self.assertGreater(instant, self.server.now())
        self.server.clock_start = wire(instant)
        self.server._first_start = None  # the harness advances its clock from this new start
        await self.start_server()


# ====================================================================================================
# 7.14 invite_create `deputy`, 7.24 spoc_key_publish / spoc_keys
# ====================================================================================================

class SpocKeyTest(FlagCase):
    async def test_invite_deputy_field(self):
        for fields in ({"role": "headteacher", "deputy": True}, {"role": "coordinator", "deputy": True},
                       {"role": "spoc", "deputy": "yes"}, {"role": "spoc", "deputy": 1}):
            with self.subTest(fields=fields):
                self.assert_error(await self.coord.request("invite_create", display_name="X", **fields),
                                  "invalid_field")
        answer = await self.coord.call("invite_create", role="spoc", display_name="Deputy", deputy=True)
        self.assertEqual(answer["role"], "spoc")
        head = await self.login(self.head)
        self.assert_error(await head.request("invite_create", role="spoc", display_name="X", deputy=True), "forbidden")

    async def test_publish_checks(self):
        spoc = await self.new_spoc("Spoc One")
        other = await self.new_spoc("Spoc Two")
        conn = await self.login(spoc)
        signing = spoc.keys().signing
        now = self.server_seconds()

        def cert(key_id=5, not_before=now - 60, not_after=now + 30 * 86400, signing=signing, **kwargs):
            return certificate(signing, key_id, not_before, not_after, **kwargs)[0]

        good = cert()
        bad_signature = bytearray(good)
        bad_signature[-1] ^= 0x01
        cases = {
            "another device's identity, signed by it": cert(signing=other.keys().signing),
            "own identity, signed by another key": cert(signer=other.keys().signing),
            "a corrupted signature": bytes(bad_signature),
            "expired": cert(not_before=now - 86400, not_after=now - 10),
            "not yet valid": cert(not_before=now + 3600, not_after=now + 86400),
            "valid for more than 400 days": cert(not_before=now - 60, not_after=now - 60 + 401 * 86400),
            "a small-order box key": cert(box_key=bytes(32)),
            "version 2": cert(version=2),
            "148 bytes": good[:-1],
            "150 bytes": good + b"\x00",
        }
        for name, data in cases.items():
            with self.subTest(case=name):
                self.assert_error(await conn.request("spoc_key_publish", certificate=b64e(data)), "invalid_field")
        self.assertEqual(await self.spoc_keys(conn), [], "a refused certificate changed nothing")
        self.assert_error(await conn.request("spoc_key_publish"), "missing_field")
        self.assert_error(await conn.request("spoc_key_publish", certificate=b64e(good) + "="), "invalid_field")
        self.assert_error(await conn.request("spoc_key_publish", certificate=b64e(good), extra=1), "unknown_field")

        # Exactly 400 days is allowed; then the key id must grow on this device.
        longest = cert(not_before=now - 60, not_after=now - 60 + 400 * 86400)
        answer = await conn.request("spoc_key_publish", certificate=b64e(longest))
        self.assert_ok(answer, {"key_id", "not_after"})
        self.assertEqual(answer["key_id"], 5)
        self.assertEqual(answer["not_after"], wire(datetime.datetime.fromtimestamp(now - 60 + 400 * 86400, UTC)))
        for key_id in (5, 4, 0):
            with self.subTest(key_id=key_id):
                self.assert_error(await conn.request("spoc_key_publish", certificate=b64e(cert(key_id=key_id))),
                                  "invalid_field")
        keys = await self.spoc_keys(conn)
        self.assertEqual([(k["key_id"], b64d(k["certificate"])) for k in keys], [(5, longest)])
        self.assertEqual((await conn.call("spoc_key_publish", certificate=b64e(cert(key_id=6))))["key_id"], 6)

        # The key id rule is per device: another device of the same SPOC starts low.
        device2 = await self.link_device(conn, spoc)
        conn2 = await self.login(spoc, device2)
        await self.publish(conn2, spoc, device2, key_id=1)

    async def test_not_after_is_exclusive(self):
        """7.24: `not_before` ≤ now < `not_after`. A certificate whose not_after (whole seconds) is
        already a fraction of a second in the past is refused; one a few seconds ahead is not."""
        spoc = await self.new_spoc("Spoc One")
        conn = await self.login(spoc)
        loop = asyncio.get_running_loop()
        # The server's own clock, from a `hello` answer (allowed when authenticated, 7.2).
        before = loop.time()
        answer = await conn.call("hello", versions=["confidant.v1"])
        mid = (before + loop.time()) / 2
        server_time = parse_time(answer["server_time"])

        def server_now():
            return server_time + datetime.timedelta(seconds=loop.time() - mid)

        for _ in range(200):  # at most 2 s: wait for 0.3-0.6 s into a second of the server's clock
            if 0.3 <= server_now().microsecond / 1e6 <= 0.6:
                break
            await asyncio.sleep(0.01)
        now = server_now()
        self.assertTrue(0.3 <= now.microsecond / 1e6 <= 0.6)
        not_after = int(now.timestamp())  # 0.3-0.6 s ago
        past, _ = certificate(spoc.keys().signing, 1, not_after - 3600, not_after)
        refused = await conn.request("spoc_key_publish", certificate=b64e(past))
        self.assertEqual(await self.spoc_keys(conn), [], "a certificate past its not_after is not valid now")
        self.assert_error(refused, "invalid_field")
        ahead, _ = certificate(spoc.keys().signing, 2, not_after - 3600, not_after + 5)
        self.assert_ok(await conn.request("spoc_key_publish", certificate=b64e(ahead)))
        self.assertEqual([k["key_id"] for k in await self.spoc_keys(conn)], [2])

    async def test_other_roles_cannot_publish(self):
        for account in (self.head, self.assoc, self.coord_account):
            conn = self.coord if account is self.coord_account else await self.login(account)
            now = self.server_seconds()
            data, _ = certificate(account.keys().signing, 1, now - 60, now + 86400)  # well-formed, their own key
            with self.subTest(role=account.role):
                self.assert_error(await conn.request("spoc_key_publish", certificate=b64e(data)), "forbidden")
        self.assertEqual(await self.spoc_keys(self.coord), [])

    async def test_spoc_keys_listing(self):
        primary = await self.new_spoc("Primary Spoc")
        deputy = await self.new_spoc("Deputy Spoc", deputy=True)
        keyless = await self.new_spoc("Keyless Spoc", deputy=False)
        p1 = await self.login(primary)
        p2_device = await self.link_device(p1, primary)
        p2 = await self.login(primary, p2_device)
        d1 = await self.login(deputy)
        await self.login(keyless)
        head = await self.login(self.head)
        self.assertEqual(await self.spoc_keys(head), [])

        await self.publish(p1, primary, 1, key_id=1)
        await self.publish(p2, primary, p2_device, key_id=7)
        await self.publish(d1, deputy, 1, key_id=1)

        def expected():
            out = []
            for account, deputy_flag in ((primary, False), (deputy, True)):
                for device in sorted(account.certs):
                    key_id, cert = account.certs[device]
                    out.append({"user": account.user, "device": device, "deputy": deputy_flag,
                                "identity": account.keys(device).identity, "key_id": key_id, "certificate": cert})
            return sorted(out, key=lambda k: (k["user"], k["device"]))

        def decoded(keys):
            for k in keys:
                self.assertEqual(set(k), {"user", "device", "deputy", "identity", "key_id", "certificate"}, k)
            return [dict(k, identity=b64d(k["identity"]), certificate=b64d(k["certificate"])) for k in keys]

        # Every authenticated role may ask (a raiser needs it; a SPOC seals notes with it).
        for conn in (head, self.coord, p1, d1, await self.login(self.assoc)):
            with self.subTest(user=conn.user):
                self.assertEqual(decoded(await self.spoc_keys(conn)), expected())

        # Rotation: the newest certificate replaces the older one in the list.
        await self.publish(p1, primary, 1, key_id=2)
        keys = decoded(await self.spoc_keys(head))
        self.assertEqual(keys, expected())
        self.assertEqual([k["key_id"] for k in keys if (k["user"], k["device"]) == (primary.user, 1)], [2])
        for k in keys:  # each certificate names its device's identity signing key
            self.assertEqual(k["certificate"][1:33], k["identity"][:32])

        # A removed device and a disabled account drop out.
        await p1.call("device_remove", device=p2_device)
        del primary.certs[p2_device]
        self.assertEqual(decoded(await self.spoc_keys(head)), expected())
        await self.coord.call("account_disable", user=deputy.user)
        self.assertEqual(pairs(await self.spoc_keys(head)), [(primary.user, 1)])

    async def test_an_expired_certificate_is_no_longer_listed(self):
        spoc = await self.new_spoc("Spoc One")
        conn = await self.login(spoc)
        now = self.server_seconds()
        data, _ = certificate(spoc.keys().signing, 1, now - 60, now + 4)
        self.assert_ok(await conn.request("spoc_key_publish", certificate=b64e(data)))
        head = await self.login(self.head)
        keys = await self.spoc_keys(head)
        self.assertEqual(pairs(keys), [(spoc.user, 1)])
        # Wait (bounded) until the server's clock is past not_after.
        while self.server.now().timestamp() < now + 5.5:
            await asyncio.sleep(0.2)
        self.assertEqual(await self.spoc_keys(head), [])
        copies, _ = copies_for(keys)
        self.assert_error(await self.raise_request(head, copies), "no_spoc")


# ====================================================================================================
# 7.25 flag_raise
# ====================================================================================================

class FlagRaiseTest(FlagCase):
    async def test_no_spoc(self):
        head = await self.login(self.head)
        copy = {"user": 99, "device": 1, "key_id": 1, "sealed": b64e(sealed_copy(1))}
        self.assert_error(await self.raise_request(head, [copy]), "no_spoc")
        # With no key to seal to, a client asks with no copies and learns the emergency route.
        answer = await self.raise_request(head, [])
        self.assert_error(answer, "no_spoc")
        self.assertIn("999", answer["emergency_route"])
        # A SPOC account without a published key does not help.
        spoc = await self.new_spoc("Spoc One")
        spoc_conn = await self.login(spoc)
        copy = dict(copy, user=spoc.user)
        self.assert_error(await self.raise_request(head, [copy]), "no_spoc")
        await self.publish(spoc_conn, spoc)
        self.assert_ok(await self.raise_request(head, [copy]))

    async def test_raise_in_hours(self):
        """Monday 23 November 2026, 10:00 GMT (the harness's default clock): a working day, so the
        deadline is raised_at + 2 hours and the flag is not out of hours."""
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        answer, sealed = await self.raise_flag(head, "leader_wellbeing", "standard")
        raised = self.assert_time_near(answer["raised_at"])
        self.assertEqual(answer["deadline_at"], wire(raised + 2 * HOUR))
        self.assertFalse(answer["out_of_hours"])
        event = await spoc_conn.next_event("flag", timeout=10)
        self.assertEqual(event["flag"], answer["flag"])
        self.assertEqual(b64d(event["sealed"]), sealed[(spoc.user, 1)])

    async def test_every_role_that_may_raise(self):
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        raisers = [(await self.login(self.head), self.head), (await self.login(self.assoc), self.assoc),
                   (self.coord, self.coord_account)]
        for conn, account in raisers:
            with self.subTest(role=account.role):
                answer, _ = await self.raise_flag(conn)
                event = await spoc_conn.next_event("flag", timeout=10)
                self.assertEqual(event["flag"], answer["flag"])
                self.assertEqual(event["raised_by"], {"user": account.user, "device": 1})
        # A SPOC may not raise one: forbidden, even with a perfect set of copies.
        copies, _ = copies_for(await self.spoc_keys(spoc_conn))
        self.assert_error(await self.raise_request(spoc_conn, copies), "forbidden")

    async def test_every_category_and_urgency(self):
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        seen = []
        for category in CATEGORIES:
            for urgency in URGENCIES:
                answer, _ = await self.raise_flag(head, category, urgency)
                seen.append((answer["flag"], category, urgency))
        listed = await self.flags(spoc_conn)
        self.assertEqual(sorted((f["flag"], f["category"], f["urgency"]) for f in listed), sorted(seen))
        self.assertEqual(len({f for f, _, _ in seen}), 15, "distinct flag ids")

    async def test_field_errors(self):
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        keys = await self.spoc_keys(head)
        copies, _ = copies_for(keys)
        copy = copies[0]
        good = {"flag_id": b64e(os.urandom(16)), "category": "child_protection", "urgency": "urgent", "copies": copies}
        invalid = {
            "unknown category": dict(good, category="bullying"),
            "category in capitals": dict(good, category="CHILD_PROTECTION"),
            "unknown urgency": dict(good, urgency="high"),
            "urgency not a string": dict(good, urgency=1),
            "flag_id of 15 bytes": dict(good, flag_id=b64e(os.urandom(15))),
            "flag_id of 17 bytes": dict(good, flag_id=b64e(os.urandom(17))),
            "65 copies": dict(good, copies=[dict(copy, device=i) for i in range(1, 66)]),
            "sealed prefix is not key_id": dict(good, copies=[dict(copy, sealed=b64e(sealed_copy(copy["key_id"] + 1)))]),
            "sealed prefix little-endian": dict(good, copies=[dict(
                copy, sealed=b64e(struct.pack("<I", copy["key_id"]) + os.urandom(100)))]),
            "sealed shorter than the key id": dict(good, copies=[dict(copy, sealed=b64e(b"\x00\x00"))]),
            "sealed empty": dict(good, copies=[dict(copy, sealed="")]),
            "sealed over 32768 bytes": dict(good, copies=[dict(copy, sealed=b64e(sealed_copy(copy["key_id"],
                                                                                             os.urandom(32765))))]),
            "two copies for one device": dict(good, copies=[copy, dict(copy, sealed=b64e(sealed_copy(copy["key_id"])))]),
            "flag_id padded": dict(good, flag_id=b64e(os.urandom(16)) + "=="),
        }
        for name, fields in invalid.items():
            with self.subTest(case=name):
                self.assert_error(await head.request("flag_raise", **fields), "invalid_field")
        for name in ("flag_id", "category", "urgency", "copies"):
            with self.subTest(missing=name):
                self.assert_error(await head.request("flag_raise", **{k: v for k, v in good.items() if k != name}),
                                  "missing_field")
        copy_without_sealed = {k: v for k, v in copy.items() if k != "sealed"}
        self.assert_error(await head.request("flag_raise", **dict(good, copies=[copy_without_sealed])), "missing_field")
        self.assert_error(await head.request("flag_raise", **dict(good, copies=[dict(copy, note=1)])), "unknown_field")
        self.assert_error(await head.request("flag_raise", **dict(good, text="hello")), "unknown_field")
        self.assertEqual(await self.flags(spoc_conn), [], "refused flags stored nothing")
        await self.assert_no_event(spoc_conn, "flag", wait=0.5)
        # The largest sealed copy is allowed (the whole message fits 64 KiB with one copy).
        big = dict(copy, sealed=b64e(sealed_copy(copy["key_id"], os.urandom(32764))))
        self.assert_ok(await head.request("flag_raise", **dict(good, copies=[big])))
        event = await spoc_conn.next_event("flag", timeout=10)
        self.assertEqual(len(b64d(event["sealed"])), 32768)

    async def test_spoc_keys_changed(self):
        primary = await self.new_spoc("Primary Spoc")
        deputy = await self.new_spoc("Deputy Spoc", deputy=True)
        p1 = await self.login(primary)
        d1 = await self.login(deputy)
        await self.publish(p1, primary, 1, key_id=1)
        await self.publish(d1, deputy, 1, key_id=1)
        head = await self.login(self.head)
        keys = await self.spoc_keys(head)
        self.assertEqual(len(keys), 2)
        copies, _ = copies_for(keys)
        flag_id = os.urandom(16)

        # A copy missing (the deputy's), a copy for a device that has no key, a stale key id.
        self.assert_error(await self.raise_request(head, copies[:1], flag_id), "spoc_keys_changed")
        extra = {"user": self.assoc.user, "device": 1, "key_id": 1, "sealed": b64e(sealed_copy(1))}
        self.assert_error(await self.raise_request(head, copies + [extra], flag_id), "spoc_keys_changed")
        await self.publish(p1, primary, 1, key_id=2)  # rotation after the raiser fetched the keys
        self.assert_error(await self.raise_request(head, copies, flag_id), "spoc_keys_changed")
        # A new SPOC device publishing a key also changes the set.
        p2_device = await self.link_device(p1, primary)
        p2 = await self.login(primary, p2_device)
        keys = await self.spoc_keys(head)
        copies, _ = copies_for(keys)
        await self.publish(p2, primary, p2_device, key_id=1)
        self.assert_error(await self.raise_request(head, copies, flag_id), "spoc_keys_changed")
        for conn in (p1, d1):
            self.assertEqual(await self.flags(conn), [], "nothing was stored")
            await self.assert_no_event(conn, "flag", wait=0.2)

        # Fetch again, seal again, resend with the same flag_id: accepted, to all three devices.
        keys = await self.spoc_keys(head)
        self.assertEqual(sorted(pairs(keys)), sorted([(primary.user, 1), (primary.user, p2_device), (deputy.user, 1)]))
        copies, sealed = copies_for(keys)
        answer = await self.raise_request(head, copies, flag_id)
        self.assert_ok(answer, RAISE_ANSWER)
        for conn, account, device in ((p1, primary, 1), (p2, primary, p2_device), (d1, deputy, 1)):
            event = await conn.next_event("flag", timeout=10)
            self.assertEqual(event["flag"], answer["flag"])
            self.assertEqual(event["key_id"], account.certs[device][0])
            self.assertEqual(b64d(event["sealed"]), sealed[(account.user, device)])

    async def test_idempotent_resend(self):
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        keys = await self.spoc_keys(head)
        copies, sealed = copies_for(keys)
        flag_id = os.urandom(16)
        first = await self.raise_request(head, copies, flag_id, "staff_allegation", "urgent")
        self.assert_ok(first, RAISE_ANSWER)
        event = await spoc_conn.next_event("flag", timeout=10)
        self.assertEqual(event["flag"], first["flag"])
        await asyncio.sleep(1.1)  # a new flag would get a later raised_at

        def strip(a):
            return {k: v for k, v in a.items() if k != "rid"}

        # The same flag_id from the same device: the first answer, even with other metadata and
        # other sealed bytes; nothing is stored and no second event is sent.
        again = await self.raise_request(head, copies, flag_id, "staff_allegation", "urgent")
        self.assertEqual(strip(again), strip(first))
        other, _ = copies_for(keys)
        again = await self.raise_request(head, other, flag_id, "other", "standard")
        self.assertEqual(strip(again), strip(first))
        await self.assert_no_event(spoc_conn, "flag", wait=1.0)
        listed = await self.flags(spoc_conn)
        self.assertEqual([f["flag"] for f in listed], [first["flag"]])
        self.assertEqual((listed[0]["category"], listed[0]["urgency"]), ("staff_allegation", "urgent"))
        shown = await spoc_conn.call("flag_show", flag=first["flag"])
        self.assertEqual(b64d(shown["copy"]["sealed"]), sealed[(spoc.user, 1)], "the first copy is kept")

        # The same flag_id from another raiser is another flag.
        assoc = await self.login(self.assoc)
        answer = await self.raise_request(assoc, copies, flag_id)
        self.assert_ok(answer, RAISE_ANSWER)
        self.assertNotEqual(answer["flag"], first["flag"])

    async def test_resend_after_rotation_answers_the_first_answer(self):
        """7.25: "a resend with a flag_id this device used before answers the first answer again
        and stores nothing", whatever the keys are now (the answer may have been lost while a
        SPOC rotated)."""
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        copies, _ = copies_for(await self.spoc_keys(head))
        flag_id = os.urandom(16)
        first = await self.raise_request(head, copies, flag_id)
        self.assert_ok(first, RAISE_ANSWER)
        await self.publish(spoc_conn, spoc, 1, key_id=2)
        again = await self.raise_request(head, copies, flag_id)
        self.assertEqual({k: v for k, v in again.items() if k != "rid"}, {k: v for k, v in first.items() if k != "rid"})


class FlagRateTest(FlagCase):
    """7.25: `rate_limited` — the device's `send` rate (7.13) applies to flag_raise."""
    server_limits = {"send_burst": 3, "send_per_second": 1}

    async def test_the_send_rate_applies(self):
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        keys = await self.spoc_keys(head)
        answers = []
        for _ in range(3):
            copies, _ = copies_for(keys)
            answers.append(await self.raise_request(head, copies))
        for answer in answers:
            self.assert_ok(answer, RAISE_ANSWER)
        copies, _ = copies_for(keys)
        refused = await self.raise_request(head, copies)
        self.assert_error(refused, "rate_limited")
        self.assertEqual(len(await self.flags(spoc_conn)), 3, "a refused flag stored nothing")
        # Another device's bucket is its own.
        assoc = await self.login(self.assoc)
        self.assert_ok(await self.raise_request(assoc, copies))


    async def test_a_resend_is_never_rate_limited(self):
        """7.25 applies the device's send rate of 7.13, where "a resend is answered before the
        send rate is checked, so a resend never gets rate_limited": a flag whose answer was lost
        must not be refused when the raiser tries again."""
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        copies, _ = copies_for(await self.spoc_keys(head))
        flag_id = os.urandom(16)
        first = await self.raise_request(head, copies, flag_id)
        self.assert_ok(first, RAISE_ANSWER)
        for _ in range(2):
            self.assert_ok(await self.raise_request(head, copies_for(await self.spoc_keys(head))[0]))
        self.assert_error(await self.raise_request(head, copies), "rate_limited")
        again = await self.raise_request(head, copies, flag_id)
        self.assertEqual({k: v for k, v in again.items() if k != "rid"}, {k: v for k, v in first.items() if k != "rid"})


class FridayEveningTest(FlagCase):
    """7.23: "A flag raised at 17:30 on a Friday with the default 2 hours is due at 09:30 on
    Monday": Friday 20 November 2026, 17:30 GMT; 30 minutes on Friday, 90 on Monday 23rd."""
    clock_start = "2026-11-20T17:30:00.000Z"

    async def test_deadline_carries_over_the_weekend(self):
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        answer, _ = await self.raise_flag(head, "whistleblowing", "standard")
        raised = self.assert_time_near(answer["raised_at"])
        self.assertFalse(answer["out_of_hours"], "17:3x on a Friday is inside the working day")
        expected = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=UTC) + (raised - datetime.datetime(2026, 11, 20, 17, 30, tzinfo=UTC))
        self.assertEqual(expected, add_working_time(raised, 2 * HOUR))
        self.assertEqual(answer["deadline_at"], wire(expected))


# ====================================================================================================
# A Saturday-night flag: delivered at once, while an ordinary message is held
# ====================================================================================================

class OutOfHoursTest(FlagCase):
    clock_start = "2026-11-21T22:40:00.000Z"  # Saturday 21 November 2026, 22:40 GMT

    async def test_flag_reaches_the_spoc_at_once_while_a_message_is_held(self):
        primary = await self.new_spoc("Primary Spoc", deputy=False)
        deputy = await self.new_spoc("Deputy Spoc", deputy=True)
        p1 = await self.login(primary)
        d1 = await self.login(deputy)
        await self.publish(p1, primary, 1, key_id=3)
        await self.publish(d1, deputy, 1, key_id=1)
        head = await self.login(self.head)
        assoc = await self.login(self.assoc)

        # The ordinary message to the paired associate waits for Monday 08:00.
        sent = await head.send_message(self.assoc.user, [(self.assoc.user, 1)])
        self.assert_ok(sent)
        self.assertTrue(sent["held"])
        self.assertEqual(sent["reason"], "outside_contact_window")
        self.assertEqual(sent["deliver_at"], "2026-11-23T08:00:00.000Z")

        # The flag raised at the same moment does not.
        answer, sealed = await self.raise_flag(head, "child_protection", "immediate")
        raised = self.assert_time_near(answer["raised_at"])
        self.assertTrue(answer["out_of_hours"])
        self.assertTrue(answer["emergency_route"].strip())
        # Saturday night: due at 10:00 on Monday (2 working hours from 08:00), GMT in November.
        self.assertEqual(answer["deadline_at"], "2026-11-23T10:00:00.000Z")
        self.assertEqual(answer["deadline_at"], wire(add_working_time(raised, 2 * HOUR)))

        for conn, account, alert in ((p1, primary, True), (d1, deputy, False)):
            event = await conn.next_event("flag", timeout=10)
            self.check_spoc_view(event, "received", extra={"type", "key_id", "sealed", "alert"})
            self.assertEqual(event["flag"], answer["flag"])
            self.assertEqual(event["alert"], alert, f"alert for {'a deputy' if not alert else 'the primary'}")
            self.assertEqual(event["key_id"], account.certs[1][0])
            self.assertEqual(b64d(event["sealed"]), sealed[(account.user, 1)])
            self.assertEqual(event["raised_by"], {"user": self.head.user, "device": 1})
            self.assertEqual((event["raised_at"], event["deadline_at"]), (answer["raised_at"], answer["deadline_at"]))
            self.assertEqual((event["category"], event["urgency"]), ("child_protection", "immediate"))
            self.assertEqual((event["escalations"], event["legal_hold"]), (0, False))
        await self.assert_no_event(assoc, "message", wait=1.0)
        self.assertLess(self.server.now(), parse_time(sent["deliver_at"]))

    async def test_a_deputy_alone_is_alerted(self):
        """7.28: `alert` is true for deputies when there is no primary SPOC."""
        deputy, d1 = await self.spoc_with_key("Deputy Spoc", deputy=True)
        assoc = await self.login(self.assoc)
        answer, _ = await self.raise_flag(assoc, "leader_wellbeing", "urgent")
        self.assertTrue(answer["out_of_hours"])
        event = await d1.next_event("flag", timeout=10)
        self.assertEqual(event["flag"], answer["flag"])
        self.assertIs(event["alert"], True)


# ====================================================================================================
# 7.26 flag_received and the `flag` event at least once
# ====================================================================================================

class DeliveryTest(FlagCase):
    async def test_offline_device_gets_the_flag_at_each_login_until_received(self):
        spoc, conn = await self.spoc_with_key("Spoc One")
        await conn.close()
        head = await self.login(self.head)
        answer, sealed = await self.raise_flag(head)

        conn = await self.login(spoc)
        event = await conn.next_event("flag", timeout=10)
        self.assertEqual(event["flag"], answer["flag"])
        self.assertEqual(b64d(event["sealed"]), sealed[(spoc.user, 1)])
        await conn.close()  # stored nothing, confirmed nothing

        conn = await self.login(spoc)
        event = await conn.next_event("flag", timeout=10)
        self.assertEqual(event["flag"], answer["flag"], "sent again until flag_received")
        self.assertEqual(b64d(event["sealed"]), sealed[(spoc.user, 1)])
        received = await conn.call("flag_received", flags=[answer["flag"]])
        self.assertEqual(set(received) - {"type", "rid"}, {"received"})
        self.assertEqual(received["received"], 1)
        self.assertEqual((await conn.call("flag_received", flags=[answer["flag"]]))["received"], 0)
        self.assertEqual((await conn.call("flag_received", flags=[answer["flag"] + 1000]))["received"], 0)
        await conn.close()

        conn = await self.login(spoc)
        await self.assert_no_event(conn, "flag", wait=1.5)
        # Still listed: confirming delivery is not acknowledging.
        self.assertEqual([f["state"] for f in await self.flags(conn)], ["received"])

    async def test_connected_device_gets_it_again_at_next_login_until_received(self):
        spoc, conn = await self.spoc_with_key("Spoc One")
        device2 = await self.link_device(conn, spoc)
        conn2 = await self.login(spoc, device2)
        await self.publish(conn2, spoc, device2, key_id=1)
        head = await self.login(self.head)
        first, _ = await self.raise_flag(head)
        second, _ = await self.raise_flag(head, "other", "standard")
        for c in (conn, conn2):
            got = {(await c.next_event("flag", timeout=10))["flag"] for _ in range(2)}
            self.assertEqual(got, {first["flag"], second["flag"]})
        # Device 1 confirms only the first; device 2 confirms nothing.
        self.assertEqual((await conn.call("flag_received", flags=[first["flag"]]))["received"], 1)
        await conn.close()
        await conn2.close()
        conn = await self.login(spoc)
        events = await conn.quiet_events("flag", quiet=1.5)
        self.assertEqual([e["flag"] for e in events], [second["flag"]])
        conn2 = await self.login(spoc, device2)
        events = await conn2.quiet_events("flag", quiet=1.5)
        self.assertEqual(sorted(e["flag"] for e in events), sorted([first["flag"], second["flag"]]),
                         "confirmation is per device")

    async def test_only_a_spoc_confirms(self):
        spoc, conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        answer, _ = await self.raise_flag(head)
        self.assert_error(await head.request("flag_received", flags=[answer["flag"]]), "forbidden")
        self.assert_error(await conn.request("flag_received", flags=[]), "invalid_field")
        self.assert_error(await conn.request("flag_received", flags=list(range(1, 258))), "invalid_field")
        self.assert_error(await conn.request("flag_received"), "missing_field")


# ====================================================================================================
# Escalation across a weekend, Christmas Day and the Boxing Day substitute holiday, and restarts
# ====================================================================================================

class EscalationTest(FlagCase):
    # Thursday 24 December 2026, 17:00 GMT (London = UTC in winter). Working time (7.23):
    #   Thu 24 Dec 17:00-18:00   1 hour used
    #   Fri 25 Dec               Christmas Day, bank holiday
    #   Sat 26, Sun 27 Dec       weekend
    #   Mon 28 Dec               Boxing Day (substitute day: the 26th is a Saturday), bank holiday
    #   Tue 29 Dec 08:00-09:00   the second hour
    # so a flag raised at 17:00:00.000 is due at 2026-12-29T09:00:00.000Z; one raised d later is
    # due d later. The first escalation is at the deadline, the second one working hour later
    # (10:00 on Tuesday).
    clock_start = "2026-12-24T17:00:00.000Z"

    async def test_alerts_escalate_across_holidays_and_restarts(self):
        primary, p1 = await self.spoc_with_key("Primary Spoc", deputy=False)
        deputy, d1 = await self.spoc_with_key("Deputy Spoc", deputy=True)
        late_deputy, late = await self.spoc_with_key("Offline Deputy", deputy=True)
        head = await self.login(self.head)
        f1, _ = await self.raise_flag(head, "child_protection", "urgent")
        f2, _ = await self.raise_flag(head, "staff_allegation", "standard")
        for answer in (f1, f2):
            raised = parse_time(answer["raised_at"])
            self.assertEqual(raised.date(), datetime.date(2026, 12, 24))
            self.assertLess(raised, datetime.datetime(2026, 12, 24, 17, 30, tzinfo=UTC))
            expected = datetime.datetime(2026, 12, 29, 9, 0, tzinfo=UTC) + (
                raised - datetime.datetime(2026, 12, 24, 17, 0, tzinfo=UTC))
            self.assertEqual(expected, add_working_time(raised, 2 * HOUR))  # the comment above, checked
            self.assertEqual(answer["deadline_at"], wire(expected))
            self.assertFalse(answer["out_of_hours"])
        for conn in (p1, d1, late):
            for _ in range(2):
                await conn.next_event("flag", timeout=10)
            await conn.call("flag_received", flags=[f1["flag"], f2["flag"]])
        for conn in (p1, d1, late, head):
            await conn.close()
        await self.coord.close()

        # Restart a few seconds before the deadline: the timer must come from the database.
        deadline = min(parse_time(f1["deadline_at"]), parse_time(f2["deadline_at"]))
        await self.restart_at(deadline - datetime.timedelta(seconds=6))
        p1 = await self.login(primary)
        d1 = await self.login(deputy)
        head = await self.login(self.head)
        self.assertLess(self.server.now(), deadline, "the SPOCs are connected before the deadline")
        for conn in (p1, d1):
            alerts = {}
            for _ in range(2):
                alert = await conn.next_event("flag_alert", timeout=15)
                self.assertEqual(set(alert), {"type", "flag", "category", "urgency", "deadline_at", "escalations"})
                alerts[alert["flag"]] = alert
            self.assertGreaterEqual(self.server.now(), deadline, "not before the deadline")
            self.assertEqual(set(alerts), {f1["flag"], f2["flag"]})
            for answer in (f1, f2):
                a = alerts[answer["flag"]]
                self.assertEqual((a["category"], a["urgency"], a["deadline_at"], a["escalations"]),
                                 (answer["category"], answer["urgency"], answer["deadline_at"], 1))
        await self.assert_no_event(head, "flag_alert", wait=0.5)  # alerts go to SPOC devices only
        listed = {f["flag"]: f for f in await self.flags(p1)}
        self.assertEqual((listed[f1["flag"]]["escalations"], listed[f2["flag"]]["escalations"]), (1, 1))

        # The primary acknowledges the second flag: its escalation stops, the raiser is told.
        acked = await p1.call("flag_ack", flag=f2["flag"])
        self.check_spoc_view({k: v for k, v in acked.items() if k not in ("type", "rid")}, "acknowledged")
        state = await head.next_event("flag_state", timeout=10)
        self.assertEqual(set(state), {"type", "flag", "state", "at"})
        self.assertEqual((state["flag"], state["state"]), (f2["flag"], "acknowledged"))
        for conn in (p1, d1, head):
            await conn.close()

        # Restart again just before the second escalation, one working hour after the deadline.
        second = parse_time(f1["deadline_at"]) + HOUR
        self.assertEqual(second, add_working_time(parse_time(f1["deadline_at"]), HOUR))
        await self.restart_at(second - datetime.timedelta(seconds=6))
        p1 = await self.login(primary)
        d1 = await self.login(deputy)
        for conn in (p1, d1):
            alert = await conn.next_event("flag_alert", timeout=15)
            self.assertEqual((alert["flag"], alert["escalations"]), (f1["flag"], 2))
            self.assertGreaterEqual(self.server.now(), second)
        for conn in (p1, d1):
            others = await conn.quiet_events("flag_alert", quiet=2.0)
            self.assertEqual(others, [], "an acknowledged flag is not escalated again")

        # A SPOC device that was offline sees the count in `flags`.
        late = await self.login(late_deputy)
        listed = {f["flag"]: f for f in await self.flags(late)}
        self.assertEqual(listed[f1["flag"]]["escalations"], 2)
        self.assertEqual(listed[f1["flag"]]["state"], "received")
        self.assertEqual(listed[f2["flag"]]["escalations"], 1)
        self.assertEqual(listed[f2["flag"]]["state"], "acknowledged")
        await self.assert_no_event(late, "flag_alert", wait=0.5)

        # The audit trail of the flag: raised, then escalated twice (delivery entries aside).
        shown = await p1.call("flag_show", flag=f1["flag"])
        actions = [h["action"] for h in shown["history"] if h["action"] != "flag_delivered"]
        self.assertEqual(actions, ["flag_raised", "flag_escalated", "flag_escalated"])
        shown = await p1.call("flag_show", flag=f2["flag"])
        actions = [h["action"] for h in shown["history"] if h["action"] != "flag_delivered"]
        self.assertEqual(actions, ["flag_raised", "flag_escalated", "flag_acknowledged"])

    async def test_flag_ack_is_refused_to_others_and_works_after_escalation(self):
        primary, p1 = await self.spoc_with_key("Primary Spoc")
        head = await self.login(self.head)
        answer, _ = await self.raise_flag(head)
        await p1.close()
        await self.restart_at(parse_time(answer["deadline_at"]) - datetime.timedelta(seconds=4))
        p1 = await self.login(primary)
        alert = await p1.next_event("flag_alert", timeout=15)
        self.assertEqual((alert["flag"], alert["escalations"]), (answer["flag"], 1))
        acked = await p1.call("flag_ack", flag=answer["flag"])
        self.assertEqual((acked["state"], acked["escalations"]), ("acknowledged", 1))
        self.assertGreater(parse_time(acked["acknowledged_at"]), parse_time(answer["deadline_at"]))

    async def test_acknowledged_in_time_never_escalates(self):
        primary, p1 = await self.spoc_with_key("Primary Spoc")
        deputy, d1 = await self.spoc_with_key("Deputy Spoc", deputy=True)
        head = await self.login(self.head)
        answer, _ = await self.raise_flag(head)
        await p1.call("flag_ack", flag=answer["flag"])
        await p1.close()
        await d1.close()
        await self.restart_at(parse_time(answer["deadline_at"]) - datetime.timedelta(seconds=3))
        p1 = await self.login(primary)
        d1 = await self.login(deputy)
        while self.server.now() < parse_time(answer["deadline_at"]) + datetime.timedelta(seconds=2):
            await asyncio.sleep(0.2)
        for conn in (p1, d1):
            await self.assert_no_event(conn, "flag_alert", wait=0.5)
        self.assertEqual([f["escalations"] for f in await self.flags(p1)], [0])


class EasterEscalationTest(FlagCase):
    # Thursday 25 March 2027, 15:30 GMT (British Summer Time starts on Sunday 28 March). The
    # deadline is 17:30 GMT the same day (two working hours). The escalation interval is working
    # time too (7.23), so the second escalation, one working hour after 17:30 on Thursday, is:
    #   Thu 25 Mar 17:30-18:00   30 minutes
    #   Fri 26 Mar               Good Friday, bank holiday
    #   Sat 27, Sun 28 Mar       weekend (clocks go forward on Sunday)
    #   Mon 29 Mar               Easter Monday, bank holiday
    #   Tue 30 Mar 08:00 BST     = 07:00Z, plus the remaining 30 minutes: 07:30Z
    clock_start = "2027-03-25T15:30:00.000Z"

    async def raise_before_easter(self):
        primary, p1 = await self.spoc_with_key("Primary Spoc")
        deputy, d1 = await self.spoc_with_key("Deputy Spoc", deputy=True)
        head = await self.login(self.head)
        answer, _ = await self.raise_flag(head, "staff_allegation", "urgent")
        raised = parse_time(answer["raised_at"])
        start = datetime.datetime(2027, 3, 25, 15, 30, tzinfo=UTC)
        self.assertLess(raised - start, datetime.timedelta(minutes=20))
        deadline = datetime.datetime(2027, 3, 25, 17, 30, tzinfo=UTC) + (raised - start)
        self.assertEqual(answer["deadline_at"], wire(deadline))
        for conn in (p1, d1, head):
            await conn.close()
        return primary, deputy, answer, deadline

    async def test_interval_is_working_time(self):
        primary, deputy, answer, deadline = await self.raise_before_easter()
        second = datetime.datetime(2027, 3, 30, 7, 30, tzinfo=UTC) + (deadline - datetime.datetime(2027, 3, 25, 17, 30, tzinfo=UTC))
        self.assertEqual(second, add_working_time(deadline, HOUR))  # the comment above, checked

        await self.restart_at(deadline - datetime.timedelta(seconds=6))
        p1 = await self.login(primary)
        alert = await p1.next_event("flag_alert", timeout=15)
        self.assertEqual((alert["flag"], alert["escalations"]), (answer["flag"], 1))
        await p1.close()

        # Not an hour later on Thursday evening, nor on Good Friday or Easter Monday.
        await self.restart_at(datetime.datetime(2027, 3, 29, 12, 0, tzinfo=UTC))
        p1 = await self.login(primary)
        await self.assert_no_event(p1, "flag_alert", wait=2.0)
        self.assertEqual((await self.flags(p1))[0]["escalations"], 1)
        await p1.close()

        # Tuesday 07:30Z (08:30 BST): the second escalation, to the deputy as well.
        await self.restart_at(second - datetime.timedelta(seconds=6))
        p1 = await self.login(primary)
        d1 = await self.login(deputy)
        for conn in (p1, d1):
            alert = await conn.next_event("flag_alert", timeout=15)
            self.assertEqual((alert["flag"], alert["escalations"], alert["deadline_at"]),
                             (answer["flag"], 2, answer["deadline_at"]))
            self.assertGreaterEqual(self.server.now(), second)

    async def test_deadline_missed_while_the_server_was_down(self):
        """7.23: deadlines and escalations survive a restart. The server is down when the deadline
        passes; once it is back the flag is escalated (nobody is connected: `flags` shows it)."""
        primary, deputy, answer, deadline = await self.raise_before_easter()
        await self.restart_at(deadline + datetime.timedelta(minutes=20))
        d1 = await self.login(deputy)
        for _ in range(50):
            listed = await self.flags(d1)
            if listed[0]["escalations"] >= 1:
                break
            await asyncio.sleep(0.2)
        self.assertEqual(listed[0]["escalations"], 1, "escalated once after the restart")
        self.assertEqual(listed[0]["state"], "received")
        shown = await d1.call("flag_show", flag=answer["flag"])
        self.assertEqual([h["action"] for h in shown["history"] if h["action"] == "flag_escalated"], ["flag_escalated"])


# ====================================================================================================
# 7.27 handling a flag, 7.28 flag_state and flag_note events
# ====================================================================================================

class HandlingTest(FlagCase):
    async def asyncSetUp(self):
        await super().asyncSetUp()
        self.primary = await self.new_spoc("Primary Spoc")
        self.deputy = await self.new_spoc("Deputy Spoc", deputy=True)
        self.p1 = await self.login(self.primary)
        self.p2_device = await self.link_device(self.p1, self.primary)
        self.p2 = await self.login(self.primary, self.p2_device)
        self.d1 = await self.login(self.deputy)
        await self.publish(self.p1, self.primary, 1, key_id=1)
        await self.publish(self.d1, self.deputy, 1, key_id=1)
        # The primary's second device publishes its key later (test_show).

    async def test_ack_resolve_and_state_events(self):
        head1 = await self.login(self.head)
        head2_device = await self.link_device(head1, self.head)
        head2 = await self.login(self.head, head2_device)
        answer, _ = await self.raise_flag(head1)
        flag = answer["flag"]

        for name, fields in (("flag_ack", {}), ("flag_resolve", {"outcome": "advice_given"}),
                             ("flag_hold", {"hold": True}), ("flag_show", {})):
            with self.subTest(request=name):
                self.assert_error(await head1.request(name, flag=flag, **fields), "forbidden")
                self.assert_error(await self.coord.request(name, flag=flag, **fields), "forbidden")
                self.assert_error(await self.p1.request(name, flag=flag + 1000, **fields), "not_found")

        # Resolve needs an acknowledged flag; the outcome must be one of the list.
        refused = await self.p1.request("flag_resolve", flag=flag, outcome="advice_given")
        self.assert_error(refused, "wrong_state")
        self.assertEqual(refused["state"], "received")

        acked = await self.d1.call("flag_ack", flag=flag)  # a deputy may acknowledge
        body = {k: v for k, v in acked.items() if k not in ("type", "rid")}
        self.check_spoc_view(body, "acknowledged")
        self.assertEqual(acked["acknowledged_by"], self.deputy.user)
        self.assert_time_near(acked["acknowledged_at"])
        self.assertEqual(acked["raised_by"], {"user": self.head.user, "device": 1})
        for conn in (head1, head2):
            event = await conn.next_event("flag_state", timeout=10)
            self.assertEqual(set(event), {"type", "flag", "state", "at"})
            self.assertEqual((event["flag"], event["state"]), (flag, "acknowledged"))
            self.assert_time_near(event["at"], parse_time(acked["acknowledged_at"]), slack=1.0)
        again = await self.p1.request("flag_ack", flag=flag)
        self.assert_error(again, "wrong_state")
        self.assertEqual(again["state"], "acknowledged")

        for bad in ("resolved", "Referred_To_Police", "", "referred to police"):
            with self.subTest(outcome=bad):
                self.assert_error(await self.p1.request("flag_resolve", flag=flag, outcome=bad), "invalid_field")
        self.assert_error(await self.p1.request("flag_resolve", flag=flag), "missing_field")

        resolved = await self.p1.call("flag_resolve", flag=flag, outcome="referred_to_lado")
        body = {k: v for k, v in resolved.items() if k not in ("type", "rid")}
        self.check_spoc_view(body, "resolved")
        self.assertEqual((resolved["outcome"], resolved["resolved_by"], resolved["acknowledged_by"]),
                         ("referred_to_lado", self.primary.user, self.deputy.user))
        for conn in (head1, head2):
            event = await conn.next_event("flag_state", timeout=10)
            self.assertEqual((event["flag"], event["state"]), (flag, "resolved"))
            self.assert_time_near(event["at"], parse_time(resolved["resolved_at"]), slack=1.0)
        for name, fields in (("flag_ack", {}), ("flag_resolve", {"outcome": "other"})):
            refused = await self.p1.request(name, flag=flag, **fields)
            self.assert_error(refused, "wrong_state")
            self.assertEqual(refused["state"], "resolved")

        # The raiser sees the state and times, never the outcome or who handled it.
        mine = await self.flags(head2)
        self.assertEqual(len(mine), 1)
        self.check_raiser_view(mine[0], "resolved")
        self.assertEqual((mine[0]["acknowledged_at"], mine[0]["resolved_at"]),
                         (acked["acknowledged_at"], resolved["resolved_at"]))
        for conn in (head1, head2):
            await self.assert_no_event(conn, "flag_alert", wait=0.1)
            await self.assert_no_event(conn, "flag_note", wait=0.1)

    async def test_every_outcome(self):
        head = await self.login(self.head)
        for outcome in OUTCOMES:
            with self.subTest(outcome=outcome):
                answer, _ = await self.raise_flag(head, "other", "standard")
                await self.p1.call("flag_ack", flag=answer["flag"])
                resolved = await self.p1.call("flag_resolve", flag=answer["flag"], outcome=outcome)
                self.assertEqual((resolved["state"], resolved["outcome"]), ("resolved", outcome))
        self.assertEqual(len(await self.flags(self.p1, "resolved")), len(OUTCOMES))

    async def test_notes(self):
        head = await self.login(self.head)
        answer, _ = await self.raise_flag(head)
        flag = answer["flag"]
        await self.publish(self.p2, self.primary, self.p2_device, key_id=1)
        keys = await self.spoc_keys(self.p1)
        self.assertEqual(len(keys), 3)
        copies, sealed = copies_for(keys)
        note_id = os.urandom(16)

        self.assert_error(await self.note_request(self.p1, flag, copies[:2], note_id), "spoc_keys_changed")
        self.assert_error(await self.note_request(head, flag, copies, note_id), "forbidden")
        self.assert_error(await self.note_request(self.p1, flag + 1000, copies, note_id), "not_found")
        bad_prefix = [dict(copies[0], sealed=b64e(sealed_copy(copies[0]["key_id"] + 9)))] + copies[1:]
        self.assert_error(await self.note_request(self.p1, flag, bad_prefix, note_id), "invalid_field")
        self.assert_error(await self.p1.request("flag_note", flag=flag, note_id=b64e(os.urandom(15)), copies=copies),
                          "invalid_field")

        # A note on a flag not yet acknowledged is allowed (only resolved flags refuse notes).
        note = await self.note_request(self.p1, flag, copies, note_id)
        self.assert_ok(note, {"note", "added_at"})
        self.assert_time_near(note["added_at"])
        for conn, account, device in ((self.p2, self.primary, self.p2_device), (self.d1, self.deputy, 1)):
            event = await conn.next_event("flag_note", timeout=10)
            self.assertEqual(set(event), {"type", "flag", "note", "note_id", "author", "added_at", "key_id", "sealed"})
            self.assertEqual((event["flag"], event["note"], event["added_at"]), (flag, note["note"], note["added_at"]))
            self.assertEqual(event["author"], {"user": self.primary.user, "device": 1})
            self.assertEqual(event["key_id"], 1)
            self.assertEqual(b64d(event["sealed"]), sealed[(account.user, device)])
        await self.assert_no_event(self.p1, "flag_note", wait=0.5)  # the author's device has the answer
        await self.assert_no_event(head, "flag_note", wait=0.1)  # the raiser never sees notes
        await self.assert_no_event(head, "flag_state", wait=0.1)  # a note changes no state

        # A resend with the same note_id: the first answer, nothing new.
        again = await self.note_request(self.p1, flag, copies, note_id)
        self.assertEqual((again["note"], again["added_at"]), (note["note"], note["added_at"]))
        await self.assert_no_event(self.p2, "flag_note", wait=0.5)
        shown = await self.d1.call("flag_show", flag=flag)
        self.assertEqual(len(shown["notes"]), 1)

        # Resolved flags take no notes.
        await self.p1.call("flag_ack", flag=flag)
        await self.p1.call("flag_resolve", flag=flag, outcome="no_further_action")
        refused = await self.note_request(self.p2, flag, copies)
        self.assert_error(refused, "wrong_state")
        self.assertEqual(refused["state"], "resolved")
        mine = await self.flags(head)
        self.check_raiser_view(mine[0], "resolved")

    async def test_hold(self):
        head = await self.login(self.head)
        answer, _ = await self.raise_flag(head)
        flag = answer["flag"]
        held = await self.p1.call("flag_hold", flag=flag, hold=True)
        self.check_spoc_view({k: v for k, v in held.items() if k not in ("type", "rid")}, "received")
        self.assertIs(held["legal_hold"], True)
        self.assertIs((await self.flags(self.d1))[0]["legal_hold"], True)
        self.assert_error(await self.p1.request("flag_hold", flag=flag, hold="yes"), "invalid_field")
        self.assert_error(await self.p1.request("flag_hold", flag=flag), "missing_field")
        # A hold may be set on a resolved flag too, and cleared.
        await self.p1.call("flag_ack", flag=flag)
        await self.p1.call("flag_resolve", flag=flag, outcome="referred_to_police")
        cleared = await self.p1.call("flag_hold", flag=flag, hold=False)
        self.assertIs(cleared["legal_hold"], False)
        self.assertEqual(cleared["state"], "resolved")
        self.assertIs((await self.flags(self.p2))[0]["legal_hold"], False)
        self.assertNotIn("legal_hold", (await self.flags(head))[0])

    async def test_show(self):
        head = await self.login(self.head)
        answer, sealed = await self.raise_flag(head)  # before the primary's device 2 has a key
        flag = answer["flag"]
        for conn in (self.p1, self.d1):  # delivered and confirmed, whichever the audit records
            self.assertEqual((await conn.next_event("flag", timeout=10))["flag"], flag)
            self.assertEqual((await conn.call("flag_received", flags=[flag]))["received"], 1)
        await self.publish(self.p2, self.primary, self.p2_device, key_id=4)
        await self.p1.call("flag_ack", flag=flag)
        keys = await self.spoc_keys(self.d1)
        notes = []
        for author in (self.d1, self.p2):
            copies, note_sealed = copies_for(keys)
            note = await self.note_request(author, flag, copies)
            self.assert_ok(note)
            notes.append((note, author, note_sealed))
        await self.p1.call("flag_hold", flag=flag, hold=True)
        await self.d1.call("flag_resolve", flag=flag, outcome="wellbeing_support_arranged")

        def check_notes(shown, account, device):
            self.assertEqual([n["note"] for n in shown["notes"]], [n["note"] for n, _, _ in notes])
            for got, (note, author, note_sealed) in zip(shown["notes"], notes):
                self.assertEqual(set(got), {"note", "note_id", "author", "added_at", "key_id", "sealed"})
                self.assertEqual(got["author"], {"user": author.user, "device": author.device})
                self.assertEqual(got["added_at"], note["added_at"])
                self.assertEqual(got["key_id"], account.certs[device][0])
                self.assertEqual(b64d(got["sealed"]), note_sealed[(account.user, device)])

        shown = await self.p1.call("flag_show", flag=flag)
        self.check_spoc_view({k: v for k, v in shown.items() if k not in ("type", "rid", "copy", "notes", "history")},
                             "resolved")
        self.assertEqual(shown["copy"], {"key_id": 1, "sealed": b64e(sealed[(self.primary.user, 1)])})
        check_notes(shown, self.primary, 1)
        self.assertEqual(shown["outcome"], "wellbeing_support_arranged")
        self.assertIs(shown["legal_hold"], True)

        history = shown["history"]
        for h in history:
            self.assertEqual(set(h), {"at", "action", "actor"}, h)
            self.assertIn(h["action"], HISTORY_ACTIONS)
            parse_time(h["at"])
        self.assertEqual([parse_time(h["at"]) for h in history], sorted(parse_time(h["at"]) for h in history))
        self.assertEqual(history[0]["action"], "flag_raised")
        self.assertEqual(history[0]["at"], answer["raised_at"])
        actions = [h["action"] for h in history if h["action"] != "flag_delivered"]
        self.assertEqual(actions, ["flag_raised", "flag_acknowledged", "flag_note_added", "flag_note_added",
                                   "flag_hold_set", "flag_resolved"])
        self.assertIn("flag_delivered", [h["action"] for h in history], "SPOC devices were connected at the raise")

        # Device 2 published its key after the raise: no copy of the flag, but the notes.
        shown2 = await self.p2.call("flag_show", flag=flag)
        self.assertNotIn("copy", shown2)
        check_notes(shown2, self.primary, self.p2_device)
        self.assertEqual(shown2["history"], history)
        shown3 = await self.d1.call("flag_show", flag=flag)
        self.assertEqual(shown3["copy"], {"key_id": 1, "sealed": b64e(sealed[(self.deputy.user, 1)])})
        check_notes(shown3, self.deputy, 1)


class ListTest(FlagCase):
    async def test_flags_by_role_and_state(self):
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        assoc = await self.login(self.assoc)
        head2 = await self.new_account(self.coord, "headteacher", "Head Two")
        h2 = await self.login(head2)
        f1, _ = await self.raise_flag(head, "child_protection", "immediate")
        f2, _ = await self.raise_flag(self.coord, "whistleblowing", "standard")
        f3, _ = await self.raise_flag(assoc, "leader_wellbeing", "urgent")
        f4, _ = await self.raise_flag(head, "other", "standard")
        await spoc_conn.call("flag_ack", flag=f1["flag"])
        await spoc_conn.call("flag_ack", flag=f4["flag"])
        await spoc_conn.call("flag_resolve", flag=f4["flag"], outcome="advice_given")

        def ids(listed):
            return [f["flag"] for f in listed]

        newest_first = [f4["flag"], f3["flag"], f2["flag"], f1["flag"]]
        every = await self.flags(spoc_conn)
        self.assertEqual(ids(every), newest_first)
        states = {f["flag"]: f["state"] for f in every}
        for f in every:
            self.check_spoc_view(f, states[f["flag"]])
        self.assertEqual(ids(await self.flags(spoc_conn, "received")), [f3["flag"], f2["flag"]])
        self.assertEqual(ids(await self.flags(spoc_conn, "acknowledged")), [f1["flag"]])
        self.assertEqual(ids(await self.flags(spoc_conn, "resolved")), [f4["flag"]])
        resolved = (await self.flags(spoc_conn, "resolved"))[0]
        self.assertEqual((resolved["outcome"], resolved["resolved_by"]), ("advice_given", spoc.user))
        self.assertEqual(resolved["raised_by"], {"user": self.head.user, "device": 1})

        # Raisers see their own flags only, in the raiser's view.
        mine = await self.flags(head)
        self.assertEqual(ids(mine), [f4["flag"], f1["flag"]])
        self.check_raiser_view(mine[0], "resolved")
        self.check_raiser_view(mine[1], "acknowledged")
        self.assertEqual(ids(await self.flags(head, "acknowledged")), [f1["flag"]])
        self.assertEqual(await self.flags(head, "received"), [])
        self.assertEqual(ids(await self.flags(self.coord)), [f2["flag"]])
        self.check_raiser_view((await self.flags(self.coord))[0], "received")
        self.assertEqual(ids(await self.flags(assoc)), [f3["flag"]])
        self.assertEqual(await self.flags(h2), [])

        for bad in ("open", "RECEIVED", 1):
            with self.subTest(state=bad):
                self.assert_error(await spoc_conn.request("flags", state=bad), "invalid_field")
        self.assert_error(await spoc_conn.request("flags", state="received", extra=1), "unknown_field")


class RetentionTest(FlagCase):
    """7.23 Records and section 9: resolved flags without legal hold are deleted
    `limits.flag_retention_days` after resolved_at; held and unresolved flags are kept."""
    server_limits = {"flag_retention_days": 365}

    async def test_resolved_flags_are_deleted_after_the_retention_unless_held(self):
        spoc, p1 = await self.spoc_with_key("Spoc One")
        head = await self.login(self.head)
        resolved, _ = await self.raise_flag(head, "other", "standard")
        held, _ = await self.raise_flag(head, "staff_allegation", "urgent")
        acknowledged, _ = await self.raise_flag(head, "leader_wellbeing", "standard")
        received, _ = await self.raise_flag(head, "whistleblowing", "standard")
        for f in (resolved, held, acknowledged):
            await p1.call("flag_ack", flag=f["flag"])
        for f in (resolved, held):
            await p1.call("flag_resolve", flag=f["flag"], outcome="no_further_action")
        await p1.call("flag_hold", flag=held["flag"], hold=True)
        await p1.close()
        await head.close()

        # A year and a day later (the server's clock jumps while it is stopped).
        await self.restart_at(self.server.now() + datetime.timedelta(days=366))
        p1 = await self.login(spoc)
        for _ in range(50):
            ids = {f["flag"] for f in await self.flags(p1)}
            if resolved["flag"] not in ids:
                break
            await asyncio.sleep(0.2)
        self.assertNotIn(resolved["flag"], ids, "deleted after the retention")
        self.assertEqual(ids, {held["flag"], acknowledged["flag"], received["flag"]})
        self.assert_error(await p1.request("flag_show", flag=resolved["flag"]), "not_found")
        self.assertEqual({f["flag"] for f in await self.flags(await self.login(self.head))}, ids)


# ====================================================================================================
# Canary: sealed flags and notes never reach the server's files or logs in the clear
# ====================================================================================================

class FlagCanaryTest(FlagCase):
    log_level = "trace"

    async def test_sealed_bytes_never_reach_disk_or_logs(self):
        canary = b"CANARY-FLAG-" + secrets.token_hex(16).encode()
        note_canary = b"CANARY-NOTE-" + secrets.token_hex(16).encode()
        spoc, spoc_conn = await self.spoc_with_key("Spoc One")
        deputy, d1 = await self.spoc_with_key("Deputy Spoc", deputy=True)
        head = await self.login(self.head)
        needles = {canary, note_canary, canary.hex().encode(), note_canary.hex().encode()}
        raised = []
        for payload in (b"text: " + canary + b" end", canary * 30, os.urandom(5) + canary):
            answer, sealed = await self.raise_flag(head, payload=payload)
            raised.append((answer, sealed))
            needles |= {b64e(s).encode() for s in sealed.values()}
        await spoc_conn.close()  # one copy waits for a login
        keys = await self.spoc_keys(d1)
        copies, note_sealed = copies_for(keys, b"note " + note_canary)
        needles |= {b64e(s).encode() for s in note_sealed.values()}
        self.assert_ok(await self.note_request(d1, raised[0][0]["flag"], copies))

        # The server did keep them: the deputy reads its copies back.
        for answer, sealed in raised:
            shown = await d1.call("flag_show", flag=answer["flag"])
            self.assertEqual(b64d(shown["copy"]["sealed"]), sealed[(deputy.user, 1)])
        self.assertIn(note_canary, b64d((await d1.call("flag_show", flag=raised[0][0]["flag"]))["notes"][0]["sealed"]))

        def check(when):
            files = self.server.files()
            self.assertTrue(files)
            for path in files:
                with open(path, "rb") as f:
                    data = f.read()
                for n in needles:
                    self.assertNotIn(n, data, f"{when}: {path}")
            for name, text in (("stdout", self.server.stdout()), ("stderr", self.server.stderr())):
                for n in needles:
                    self.assertNotIn(n.decode("latin-1"), text, f"{when}: {name}")

        check("while running")
        await self.stop_server()
        check("after shutdown")


if __name__ == "__main__":
    main()
