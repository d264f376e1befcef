#!/usr/bin/python3
"""System tests of the support programme (docs/protocol.md revision 5, 7.29-7.40, and the new
`pair_create` of 7.14) against the real confidantd, written from the protocol text alone:

- associate profiles (`profile_set`, `profile`): limits, unknown fields, roles, who sees what;
- eligibility (`associate_approve`, `associate_suspend`, `associates`): `not_eligible` with the
  `unmet` list for each criterion, approve / suspend / approve again;
- requests and offers (`request_create`, `request_withdraw`, `offers`, `prefer`): one open cycle,
  concerns sealed to coordinators and given back only to their owner, the offer filter (own
  school, federation, declared conflicts, compared after trimming and ASCII case folding), the
  ordering, only approved associates with a free place, requested -> offered -> preferred;
- pairing (`pair`, `request_decline`, `pair_create`): capacity (also two coordinators racing for
  one last place), `cycle` events with `prompt: make_contact`, messaging from `paired` on;
- the cycle state machine over the wire: `forbidden` for roles that never act, `wrong_state`
  (member `state`) for the others in every state;
- time: `active` once the first meeting's start has passed, `review_due` at the in-person cap or
  after `ends_on` (the server's test clock, `[testing] clock_start`, jumps across a restart),
  `cycle_extend` (a new `active` cycle with `previous` and fresh caps), `cycle_close`;
- ending early (`end_request`, `cycle_end` with `rematch`): the old pair lose access at once (send
  and meetings), the new associate sees nothing of the earlier partnership;
- feedback with the consent gate: the associate sees released items only; a canary planted in
  every unreleased body never reaches the associate in any answer or event;
- meeting notes (`note_write`, `notes`, the `note_notice` event) without the body for the
  headteacher;
- `stats` (counts, time to pairing across a clock jump, per-cycle rows);
- the audit trail: `cycle_show` history for coordinators and `confidantd audit verify`.

Sealed bodies are opaque to the server (it checks only sizes and owners), so random bytes with a
canary inside stand in for them.

    /usr/bin/python3 tests/system/test_programme.py --confidantd PATH [TestClass]
"""

import asyncio
import datetime
import json
import os
import secrets
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confidant_proto import Connection, b64d, b64e, parse_time  # noqa: E402
from proto_case import Account, ProtocolCase, main  # noqa: E402

UTC = datetime.timezone.utc
SECOND = datetime.timedelta(seconds=1)
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

STATES = ("requested", "offered", "preferred", "paired", "active", "review_due", "extended", "closed",
          "ended_early")
FINAL_STATES = ("extended", "closed", "ended_early")

# 7.29: the cycle object's members.
CYCLE_MEMBERS = {"cycle", "state", "headteacher", "associate", "previous", "school", "federation", "region", "phase",
                 "size_band", "preferences", "concern", "requested_at", "paired_at", "active_at", "review_at",
                 "ended_at", "reason", "starts_on", "ends_on", "meetings_held", "in_person_used", "in_person_cap",
                 "end_request", "feedback"}
# ... of which an associate never sees these ("The associate sees `school` only"; preferences,
# concern and the feedback state are for the headteacher and coordinators only).
HIDDEN_FROM_ASSOCIATE = {"federation", "region", "phase", "size_band", "preferences", "concern", "feedback"}

# 7.29: the associate object and the profile.
ASSOCIATE_MEMBERS = {"user", "display_name", "status", "profile", "load", "evidence", "suspended_reason"}
EVIDENCE_MEMBERS = {"years_as_headteacher", "last_inspection", "training_completed", "coaching_record",
                    "recorded_by", "recorded_at"}
PROFILE_MEMBERS = {"region", "size_band", "school_types", "phase", "summary", "skills", "capacity", "availability",
                   "school", "federation", "conflicts"}
PROFILE_DEFAULTS = {"summary": "", "availability": "", "school_types": [], "skills": [], "federation": "",
                    "conflicts": []}
# 7.33: the offer object (never `school`, `federation`, `conflicts`: never shown to headteachers).
OFFER_MEMBERS = {"user", "display_name", "region", "size_band", "school_types", "phase", "summary", "skills",
                 "availability", "free_places"}

# 7.40: the changes an associate receives (of their own cycles).
ASSOCIATE_CHANGES = {"paired", "active", "review_due", "extended", "closed", "end_requested", "ended_early",
                     "feedback_released"}

GOOD_EVIDENCE = {"years_as_headteacher": 9, "last_inspection": "good", "training_completed": True,
                 "coaching_record": True}
CRITERIA = ("years_as_headteacher", "last_inspection", "training_completed", "coaching_record")

FULL_PROFILE = {"region": "north", "size_band": "small", "school_types": ["rural", "church"], "phase": "primary",
                "summary": "Head of two rural primaries for 9 years.", "skills": ["finance", "wellbeing"],
                "capacity": 2, "availability": "Tuesday and Thursday afternoons", "school": "Hill Top Primary",
                "federation": "Moor Federation", "conflicts": ["Dale Federation"]}

# 7.39
STATS_MEMBERS = {"generated_at", "cycles_by_state", "time_to_pairing", "active_cycles", "meetings_held",
                 "cycles_reached_review", "associates", "cycles"}
STATS_ROW_MEMBERS = {"cycle", "state", "headteacher", "associate", "requested_at", "paired_at", "hours_to_pairing",
                     "meetings_held", "reached_review"}


def wire(t: datetime.datetime) -> str:
    """A protocol time (section 4): UTC, milliseconds, `Z`."""
    t = t.astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def months_later(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later, clamped to the month's end (7.16)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def whole_second_after(t: datetime.datetime) -> datetime.datetime:
    return t.replace(microsecond=0) + SECOND


def sealed(canary: bytes = b"", size: int = 96) -> bytes:
    """A stand-in for a sealed body (7.29): opaque bytes, with `canary` inside."""
    pad = max(0, size - len(canary))
    return os.urandom(pad // 2) + canary + os.urandom(pad - pad // 2)


def profile_fields(name, **overrides):
    """The required profile fields with plausible values; an override of None drops the field."""
    fields = {"region": "north", "size_band": "small", "phase": "primary", "capacity": 2,
              "school": f"{name} School"}
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def strings_in(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for k, item in value.items():
            yield k
            yield from strings_in(item)


class _Tap:
    """Wraps the websockets client so that every text the server sends is also recorded."""

    def __init__(self, ws, sink):
        self._ws, self._sink = ws, sink

    def __getattr__(self, name):
        return getattr(self._ws, name)

    def __aiter__(self):
        return self._iterate()

    async def _iterate(self):
        async for text in self._ws:
            self._sink.append(text)
            yield text


class RecordingConnection(Connection):
    """A Connection that keeps every message the server sent on it (answers and events), so that a
    test can show that something never reached a user."""

    def __init__(self, ws):
        self.raw = []
        super().__init__(_Tap(ws, self.raw))


class ProgrammeCase(ProtocolCase):
    """A coordinator logged in (`self.coord`); people are created with their own recording
    connection (`account.conn`)."""

    async def asyncSetUp(self):
        self.coord_account, self.coord = await self.coordinator()
        self.coord_account.conn = self.coord
        self.accounts = [self.coord_account]

    async def connect(self, hello=True):
        asyncio.get_running_loop().slow_callback_duration = 5.0
        conn = await RecordingConnection.open(self.server.ws_url)
        self.addAsyncCleanup(conn.close)
        self.addCleanup(lambda: self.assertEqual(conn.stray, [], "answers matching no request, or events with a rid"))
        if hello:
            await conn.hello()
        return conn

    # --- people ------------------------------------------------------------------------------------

    async def person(self, role, name) -> Account:
        account = await self.new_account(self.coord, role, name, one_time=2)
        account.conn = await self.login(account)
        self.accounts.append(account)
        if role == "associate":
            self.addCleanup(self.assert_associate_views, account.conn)
        return account

    async def relogin_all(self):
        """After a restart: every account logs in again on a new connection."""
        for account in self.accounts:
            account.conn = await self.login(account)
            if account.role == "associate":
                self.addCleanup(self.assert_associate_views, account.conn)
        self.coord = self.coord_account.conn

    def assert_associate_views(self, conn):
        """Every cycle object the server sent an associate, in any answer or event, is the associate's
        view (7.29: `school` only of the request's fields; no preferences, concern or feedback)."""
        for text in conn.raw:
            message = json.loads(text)
            objs = [message[k] for k in ("cycle", "rematch") if isinstance(message.get(k), dict)]
            objs += [c for c in message.get("cycles", []) if isinstance(c, dict)]
            for obj in objs:
                if "headteacher" in obj and "state" in obj:  # not a meeting's allowance object
                    self.check_cycle(obj, "associate")
            if message.get("type") == "cycle":
                self.assertIn(message.get("change"), ASSOCIATE_CHANGES, f"7.40: not for the associate: {text}")

    async def associate(self, name, approve=True, **profile) -> Account:
        """An associate with a profile (`profile_fields` with overrides), approved unless told."""
        account = await self.person("associate", name)
        answer = await account.conn.request("profile_set", **profile_fields(name, **profile))
        self.assert_ok(answer, {"associate"})
        if approve:
            await self.approve(account)
        return account

    async def approve(self, account, coord=None, **evidence):
        answer = await (coord or self.coord).request("associate_approve", associate=account.user,
                                                     **dict(GOOD_EVIDENCE, **evidence))
        self.assert_ok(answer, {"associate"})
        self.assertEqual(answer["associate"]["status"], "approved", answer)
        return answer["associate"]

    async def profile_of(self, account, conn=None):
        return (await (conn or self.coord).call("profile", user=account.user))["associate"]

    # --- cycles ------------------------------------------------------------------------------------

    async def open_request(self, head, school=None, region="north", **extra) -> dict:
        answer = await head.conn.request("request_create", school=school or f"{head.display_name} School",
                                         region=region, **extra)
        self.assert_ok(answer, {"cycle"})
        self.assertEqual(answer["cycle"]["state"], "requested", answer)
        return answer["cycle"]

    async def pair(self, coord, headteacher, associate):
        """`pair_create` (7.14) as the coordinator's direct pairing."""
        return await coord.call("pair_create", headteacher=headteacher.user, associate=associate.user)

    async def pair_request(self, cycle_id, assoc, coord=None) -> dict:
        answer = await (coord or self.coord).request("pair", cycle=cycle_id, associate=assoc.user)
        self.assert_ok(answer, {"cycle"})
        self.assertEqual(answer["cycle"]["state"], "paired", answer)
        return answer["cycle"]

    async def paired(self, head_name="Hana Head", assoc_name="Asa Sociate", **profile):
        """A headteacher and an approved associate paired through a request: (head, assoc, cycle)."""
        head = await self.person("headteacher", head_name)
        assoc = await self.associate(assoc_name, **profile)
        cycle = await self.open_request(head)
        return head, assoc, await self.pair_request(cycle["cycle"], assoc)

    async def show(self, conn, cycle_id) -> dict:
        answer = await conn.request("cycle_show", cycle=cycle_id)
        self.assert_ok(answer)
        return answer["cycle"]

    async def state_of(self, cycle_id) -> str:
        return (await self.show(self.coord, cycle_id))["state"]

    async def wait_state(self, conn, cycle_id, state, timeout=45.0) -> dict:
        """Polls `cycle_show` until the cycle is in `state` (the server checks at least every 30 s)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            cycle = await self.show(conn, cycle_id)
            if cycle["state"] == state:
                return cycle
            if loop.time() > deadline:
                self.fail(f"cycle {cycle_id} still {cycle['state']} after {timeout} s, expected {state}")
            await asyncio.sleep(0.5)

    async def cycle_event(self, conn, change, cycle_id=None, timeout=5.0) -> dict:
        """Takes the first `cycle` event with `change` (and cycle id) from the connection's queue."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for i, event in enumerate(conn.events):
                if event.get("type") == "cycle" and event.get("change") == change and (
                        cycle_id is None or event.get("cycle", {}).get("cycle") == cycle_id):
                    return conn.events.pop(i)
            remaining = deadline - loop.time()
            if remaining <= 0 or conn.closed:
                seen = [(e.get("change"), e.get("cycle", {}).get("cycle")) for e in conn.events if e.get("type") == "cycle"]
                self.fail(f"no cycle event {change!r} for cycle {cycle_id} within {timeout} s (queued: {seen})")
            conn._arrived.clear()
            try:
                await asyncio.wait_for(conn._arrived.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def assert_no_cycle_event(self, conn, change=None, cycle_id=None, wait=0.5):
        await asyncio.sleep(wait)
        found = [e for e in conn.events if e.get("type") == "cycle" and (change is None or e.get("change") == change)
                 and (cycle_id is None or e.get("cycle", {}).get("cycle") == cycle_id)]
        self.assertEqual(found, [], f"unexpected cycle events {change!r}")

    def drain(self, *conns):
        for conn in conns:
            conn.events.clear()

    # --- views ------------------------------------------------------------------------------------

    def check_cycle(self, obj, viewer=None):
        """Only the members of 7.29; an associate's view without the hidden ones."""
        self.assertIsInstance(obj, dict)
        self.assertTrue(set(obj) <= CYCLE_MEMBERS, f"undefined members {set(obj) - CYCLE_MEMBERS}: {obj}")
        for name in ("cycle", "state", "headteacher", "requested_at"):
            self.assertIn(name, obj, obj)
        self.assertIn(obj["state"], STATES)
        for name in ("requested_at", "paired_at", "active_at", "review_at", "ended_at"):
            if name in obj:
                parse_time(obj[name])
        if viewer == "associate":
            self.assertFalse(set(obj) & HIDDEN_FROM_ASSOCIATE, f"the associate sees {set(obj) & HIDDEN_FROM_ASSOCIATE}")
        return obj

    def check_associate(self, obj, account, status):
        self.assertTrue(set(obj) <= ASSOCIATE_MEMBERS, f"undefined members {set(obj) - ASSOCIATE_MEMBERS}: {obj}")
        self.assertEqual(obj["user"], account.user)
        self.assertEqual(obj["display_name"], account.display_name)
        self.assertEqual(obj["status"], status, obj)
        self.assertIs(type(obj["load"]), int)
        if "evidence" in obj:
            self.assertEqual(set(obj["evidence"]), EVIDENCE_MEMBERS, obj)
        return obj

    # --- meetings ---------------------------------------------------------------------------------

    async def propose(self, conn, with_user, start, end, mode="in_person", kind="support"):
        return await conn.request("meeting_propose", start=wire(start), end=wire(end), mode=mode, kind=kind,
                                  **{"with": with_user})

    async def meeting(self, proposer, accepter, start, end, mode="in_person", kind="support", accept=True):
        answer = await self.propose(proposer.conn, accepter.user, start, end, mode, kind)
        self.assert_ok(answer)
        meeting = answer["meeting"]
        if accept:
            meeting = (await accepter.conn.call("meeting_accept", meeting=meeting["id"]))["meeting"]
        return meeting

    async def meeting_soon(self, head, assoc, lead=6.0, minutes=20, mode="in_person", kind="initial"):
        """An accepted meeting starting `lead` seconds from now (in the server's window: the
        harness's clock is a term-time Monday at 10:00). Returns (meeting, start)."""
        start = whole_second_after(self.server.now() + datetime.timedelta(seconds=lead))
        meeting = await self.meeting(head, assoc, start, start + minutes * MINUTE, mode, kind)
        return meeting, start

    async def wait_until_past(self, instant, margin=0.5):
        delay = (instant - self.server.now()).total_seconds() + margin
        if delay > 0:
            await asyncio.sleep(delay)

    async def day_slots(self, assoc, count, offset=HOUR):
        """One-hour slots inside the associate's open windows, one per school day from tomorrow."""
        now = self.server.now()
        answer = await assoc.conn.call("windows", **{"from": wire(now), "to": wire(now + 28 * DAY)})
        slots = []
        for w in answer["windows"]:
            start = parse_time(w["start"])
            if start.date() <= now.date() or parse_time(w["end"]) - start < 3 * HOUR:
                continue
            slots.append((start + offset, start + offset + HOUR))
        self.assertGreaterEqual(len(slots), count, answer)
        return slots[:count]

    async def meetings_of(self, conn):
        now = self.server.now()
        answer = await conn.call("meetings", **{"from": wire(now - 7 * DAY), "to": wire(now + 120 * DAY)})
        return {m["id"]: m for m in answer["meetings"]}

    # --- the server ---------------------------------------------------------------------------------

    async def restart_at(self, instant: datetime.datetime):
        """Stops the server and starts it again with its clock at `instant` (later than before)."""
        await self.stop_server()
        self.assertGreater(instant, self.server.now())
        self.server.clock_start = wire(instant)
        self.server._first_start = None  # the harness advances its clock from this new start
        await self.start_server()
        await self.relogin_all()

    # --- canaries -----------------------------------------------------------------------------------

    def assert_never_received(self, conn, canaries, bodies=()):
        """No message the server sent on `conn` holds a canary, in the clear or in any base64url
        string, nor any of `bodies` (base64url as sent)."""
        encoded = {b64e(b) for b in bodies}
        for text in conn.raw:
            for canary in canaries:
                self.assertNotIn(canary.decode("latin-1"), text)
            for e in encoded:
                self.assertNotIn(e, text)
            for s in strings_in(json.loads(text)):
                try:
                    data = b64d(s)
                except Exception:  # noqa: BLE001 (not base64url)
                    continue
                for canary in canaries:
                    self.assertNotIn(canary, data, f"a canary reached the connection: {text[:200]}")


# ====================================================================================================
# 7.30 profile_set and profile
# ====================================================================================================

class ProfileTest(ProgrammeCase):
    async def test_round_trip_defaults_and_replace(self):
        assoc = await self.person("associate", "Sam Associate")
        answer = await assoc.conn.request("profile_set", **FULL_PROFILE)
        self.assert_ok(answer, {"associate"})
        obj = self.check_associate(answer["associate"], assoc, "pending")
        self.assertEqual(obj["load"], 0)
        self.assertEqual(obj["profile"], FULL_PROFILE)
        self.assertNotIn("evidence", obj)
        self.assertNotIn("suspended_reason", obj)
        self.assertEqual((await assoc.conn.call("profile"))["associate"], obj)
        self.assertEqual((await assoc.conn.call("profile", user=assoc.user))["associate"], obj)

        # Optional members left out are empty; profile_set replaces the whole profile.
        minimal = {"region": "coast", "size_band": "large", "phase": "secondary", "capacity": 1, "school": "Sea View"}
        replaced = (await assoc.conn.call("profile_set", **minimal))["associate"]
        self.assertEqual(replaced["profile"], dict(minimal, **PROFILE_DEFAULTS))
        self.assertEqual((await self.profile_of(assoc))["profile"], dict(minimal, **PROFILE_DEFAULTS))
        # Every explicit empty value is fine too.
        explicit = dict(minimal, **PROFILE_DEFAULTS)
        self.assertEqual((await assoc.conn.call("profile_set", **explicit))["associate"]["profile"], explicit)

    async def test_limits(self):
        assoc = await self.person("associate", "Sam Associate")
        self.assert_ok(await assoc.conn.request("profile_set", **FULL_PROFILE))
        good = [
            ("region", "x" * 64), ("region", "é" * 32), ("summary", "x" * 1000), ("summary", "€" * 333),
            ("summary", ""), ("availability", "y" * 500), ("school", "s" * 120), ("federation", "f" * 120),
            ("federation", ""), ("capacity", 1), ("capacity", 10), ("school_types", ["t" * 32] + [f"t{i}" for i in range(7)]),
            ("skills", ["k" * 64] + [f"k{i}" for i in range(15)]), ("conflicts", ["c" * 120] + [f"c{i}" for i in range(15)]),
            ("size_band", "medium"), ("size_band", "large"),
            ("phase", "nursery"), ("phase", "secondary"), ("phase", "special"), ("phase", "all_through"),
            ("summary", "Zoë's school: ✓ naïve café"),
        ]
        for name, value in good:
            with self.subTest(ok=name, value=str(value)[:40]):
                answer = await assoc.conn.request("profile_set", **dict(FULL_PROFILE, **{name: value}))
                self.assert_ok(answer)
                self.assertEqual(answer["associate"]["profile"][name], value)
        bad = [
            ("region", ""), ("region", "x" * 65), ("region", "é" * 33), ("region", 5), ("region", None),
            ("region", "north\n"), ("region", "no\u0000rth"), ("region", "tab\there"), ("region", "esc\u001b"),
            ("size_band", "tiny"), ("size_band", "Small"), ("size_band", 1),
            ("school_types", ["t"] * 2), ("school_types", [f"t{i}" for i in range(9)]), ("school_types", ["t" * 33]),
            ("school_types", [""]), ("school_types", "rural"), ("school_types", [1]), ("school_types", None),
            ("phase", "college"), ("phase", "Primary"),
            ("summary", "x" * 1001), ("summary", "€" * 334), ("summary", None), ("summary", "line\u0007"),
            ("skills", [f"k{i}" for i in range(17)]), ("skills", ["k" * 65]), ("skills", ["a", "a"]), ("skills", [""]),
            ("capacity", 0), ("capacity", 11), ("capacity", -1), ("capacity", "2"), ("capacity", 2.5),
            ("capacity", True), ("capacity", None),
            ("availability", "y" * 501), ("availability", 3),
            ("school", ""), ("school", "s" * 121), ("school", ["s"]),
            ("federation", "f" * 121), ("federation", None),
            ("conflicts", [f"c{i}" for i in range(17)]), ("conflicts", ["c" * 121]), ("conflicts", [""]),
            ("conflicts", "Dale"),
        ]
        for name, value in bad:
            with self.subTest(bad=name, value=str(value)[:40]):
                self.assert_error(await assoc.conn.request("profile_set", **dict(FULL_PROFILE, **{name: value})),
                                  "invalid_field")
        for name in ("region", "size_band", "phase", "capacity", "school"):
            with self.subTest(missing=name):
                fields = dict(FULL_PROFILE)
                del fields[name]
                self.assert_error(await assoc.conn.request("profile_set", **fields), "missing_field")
        self.assert_error(await assoc.conn.request("profile_set", **FULL_PROFILE, email="x@example.org"),
                          "unknown_field")
        self.assert_error(await assoc.conn.request("profile_set", **FULL_PROFILE, load=0), "unknown_field")
        # Problems with defined fields come before unknown members (section 5).
        self.assert_error(await assoc.conn.request("profile_set", **dict(FULL_PROFILE, capacity=0), email="x"),
                          "invalid_field")
        # None of the refusals changed anything.
        self.assertEqual((await assoc.conn.call("profile"))["associate"]["profile"],
                         dict(FULL_PROFILE, summary="Zoë's school: ✓ naïve café"))

    async def test_other_roles_are_forbidden(self):
        spoc = await self.person("spoc", "Spoc One")
        head = await self.person("headteacher", "Hana Head")
        for conn, role in ((self.coord, "coordinator"), (head.conn, "headteacher"), (spoc.conn, "spoc")):
            with self.subTest(role=role):
                self.assert_error(await conn.request("profile_set", **FULL_PROFILE), "forbidden")

    async def test_visibility(self):
        a = await self.associate("Assoc A", approve=False, **{k: v for k, v in FULL_PROFILE.items() if k != "school"})
        b = await self.person("associate", "Assoc B")  # no profile yet
        head = await self.person("headteacher", "Hana Head")
        spoc = await self.person("spoc", "Spoc One")

        # An associate reads only their own.
        self.assert_ok(await a.conn.request("profile"))
        self.assert_error(await a.conn.request("profile", user=b.user), "not_found")
        self.assert_error(await b.conn.request("profile", user=a.user), "not_found")
        self.assert_error(await a.conn.request("profile", user=999999), "not_found")
        own_b = (await b.conn.call("profile"))["associate"]
        self.check_associate(own_b, b, "pending")
        self.assertNotIn("profile", own_b, "absent until the associate has written one")

        # A coordinator reads anyone's; a user who is not an associate is not_found.
        seen = self.check_associate(await self.profile_of(a), a, "pending")
        self.assertEqual(seen["profile"]["school"], "Assoc A School")
        self.assertNotIn("profile", await self.profile_of(b))
        self.assert_error(await self.coord.request("profile", user=head.user), "not_found")
        self.assert_error(await self.coord.request("profile", user=999999), "not_found")
        self.assert_error(await self.coord.request("profile", user=self.coord_account.user), "not_found")

        # Headteachers and SPOCs see profiles only as offers.
        for conn in (head.conn, spoc.conn):
            self.assert_error(await conn.request("profile", user=a.user), "forbidden")
            self.assert_error(await conn.request("profile"), "forbidden")

        # Evidence: the coordinator and the associate; the suspension's reason: the coordinator only.
        approved = await self.approve(a)
        self.assertEqual(approved["evidence"]["recorded_by"], self.coord_account.user)
        self.assert_time_near(approved["evidence"]["recorded_at"])
        mine = (await a.conn.call("profile"))["associate"]
        self.check_associate(mine, a, "approved")
        self.assertEqual(mine["evidence"], approved["evidence"])
        suspended = (await self.coord.call("associate_suspend", associate=a.user, reason="conduct"))["associate"]
        self.check_associate(suspended, a, "suspended")
        self.assertEqual(suspended["suspended_reason"], "conduct")
        self.assertEqual((await self.profile_of(a))["suspended_reason"], "conduct")
        mine = (await a.conn.call("profile"))["associate"]
        self.check_associate(mine, a, "suspended")
        self.assertNotIn("suspended_reason", mine)
        self.assertIn("evidence", mine)


# ====================================================================================================
# 7.31 associates, associate_approve, associate_suspend
# ====================================================================================================

class EligibilityTest(ProgrammeCase):
    async def test_each_unmet_criterion_is_named(self):
        assoc = await self.associate("Pat Associate", approve=False)
        cases = [
            ({"years_as_headteacher": 4}, {"years_as_headteacher"}),
            ({"years_as_headteacher": 0}, {"years_as_headteacher"}),
            ({"last_inspection": "requires_improvement"}, {"last_inspection"}),
            ({"last_inspection": "inadequate"}, {"last_inspection"}),
            ({"training_completed": False}, {"training_completed"}),
            ({"coaching_record": False}, {"coaching_record"}),
            ({"years_as_headteacher": 3, "coaching_record": False}, {"years_as_headteacher", "coaching_record"}),
            ({"years_as_headteacher": 1, "last_inspection": "inadequate", "training_completed": False,
              "coaching_record": False}, set(CRITERIA)),
        ]
        for over, unmet in cases:
            with self.subTest(evidence=over):
                answer = await self.coord.request("associate_approve", associate=assoc.user,
                                                  **dict(GOOD_EVIDENCE, **over))
                self.assert_error(answer, "not_eligible")
                self.assertIsInstance(answer.get("unmet"), list, answer)
                self.assertEqual(len(answer["unmet"]), len(set(answer["unmet"])), answer)
                self.assertEqual(set(answer["unmet"]), unmet, answer)
                # Nothing is stored.
                seen = await self.profile_of(assoc)
                self.assertEqual(seen["status"], "pending")
                self.assertNotIn("evidence", seen)

        # The boundaries: five years and `outstanding` are enough.
        approved = await self.approve(assoc, years_as_headteacher=5, last_inspection="outstanding")
        self.check_associate(approved, assoc, "approved")
        ev = approved["evidence"]
        self.assertEqual((ev["years_as_headteacher"], ev["last_inspection"], ev["training_completed"],
                          ev["coaching_record"], ev["recorded_by"]), (5, "outstanding", True, True, self.coord_account.user))
        self.assert_time_near(ev["recorded_at"])

        # A refused approval of an approved associate changes nothing either.
        answer = await self.coord.request("associate_approve", associate=assoc.user,
                                          **dict(GOOD_EVIDENCE, years_as_headteacher=2))
        self.assert_error(answer, "not_eligible")
        self.assertEqual(answer["unmet"], ["years_as_headteacher"])
        seen = await self.profile_of(assoc)
        self.assertEqual((seen["status"], seen["evidence"]), ("approved", ev))

        # Recording new evidence replaces the old one.
        again = await self.approve(assoc, years_as_headteacher=12)
        self.assertEqual(again["evidence"]["years_as_headteacher"], 12)

    async def test_approve_suspend_approve_again(self):
        assoc = await self.associate("Pat Associate", approve=False)
        answer = await self.coord.request("associate_suspend", associate=assoc.user, reason="leave")
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "pending", answer)
        await self.approve(assoc)
        for reason in ("holiday", "", "Leave"):
            self.assert_error(await self.coord.request("associate_suspend", associate=assoc.user, reason=reason),
                              "invalid_field")
        self.assert_error(await self.coord.request("associate_suspend", associate=assoc.user), "missing_field")
        answer = await self.coord.request("associate_suspend", associate=assoc.user, reason="eligibility_lapsed")
        self.assert_ok(answer, {"associate"})
        self.check_associate(answer["associate"], assoc, "suspended")
        self.assertEqual(answer["associate"]["suspended_reason"], "eligibility_lapsed")
        again = await self.coord.request("associate_suspend", associate=assoc.user, reason="other")
        self.assert_error(again, "wrong_state")
        self.assertEqual(again.get("state"), "suspended", again)
        self.assertEqual((await self.profile_of(assoc))["suspended_reason"], "eligibility_lapsed")
        # Approving a suspended associate lifts the suspension.
        lifted = await self.approve(assoc)
        self.assertNotIn("suspended_reason", lifted)
        self.assertEqual((await self.profile_of(assoc))["status"], "approved")
        for reason in ("capacity", "conduct", "leave", "other"):
            self.assertEqual((await self.coord.call("associate_suspend", associate=assoc.user,
                                                    reason=reason))["associate"]["suspended_reason"], reason)
            await self.approve(assoc)

    async def test_associates_listing(self):
        p = await self.person("associate", "P No Profile")
        q = await self.associate("Q Pending", approve=False)
        r = await self.associate("R Approved")
        s = await self.associate("S Suspended")
        await self.coord.call("associate_suspend", associate=s.user, reason="capacity")
        gone = await self.associate("D Disabled")
        await self.coord.call("account_disable", user=gone.user)
        await self.person("headteacher", "Not An Associate")

        listed = (await self.coord.call("associates"))["associates"]
        self.assertEqual([a["user"] for a in listed], [p.user, q.user, r.user, s.user])
        by_user = {a["user"]: a for a in listed}
        self.assertNotIn("profile", by_user[p.user])
        self.assertIn("profile", by_user[q.user])
        for account, status in ((p, "pending"), (q, "pending"), (r, "approved"), (s, "suspended")):
            self.check_associate(by_user[account.user], account, status)
        for status, want in (("pending", [p, q]), ("approved", [r]), ("suspended", [s])):
            with self.subTest(status=status):
                got = (await self.coord.call("associates", status=status))["associates"]
                self.assertEqual([a["user"] for a in got], [a.user for a in want])
        for status in ("active", "", "Approved", 1):
            self.assert_error(await self.coord.request("associates", status=status), "invalid_field")
        self.assert_error(await self.coord.request("associates", region="north"), "unknown_field")

        # load counts open partnerships.
        head = await self.person("headteacher", "Hana Head")
        cycle = await self.open_request(head)
        await self.pair_request(cycle["cycle"], r)
        listed = (await self.coord.call("associates", status="approved"))["associates"]
        self.assertEqual(listed[0]["load"], 1)

    async def test_roles_and_users(self):
        assoc = await self.associate("Pat Associate", approve=False)
        head = await self.person("headteacher", "Hana Head")
        spoc = await self.person("spoc", "Spoc One")
        for conn, role in ((head.conn, "headteacher"), (assoc.conn, "associate"), (spoc.conn, "spoc")):
            with self.subTest(role=role):
                self.assert_error(await conn.request("associates"), "forbidden")
                self.assert_error(await conn.request("associate_approve", associate=assoc.user, **GOOD_EVIDENCE),
                                  "forbidden")
                self.assert_error(await conn.request("associate_suspend", associate=assoc.user, reason="other"),
                                  "forbidden")
        self.assert_error(await self.coord.request("associate_approve", associate=999999, **GOOD_EVIDENCE),
                          "unknown_user")
        self.assert_error(await self.coord.request("associate_approve", associate=head.user, **GOOD_EVIDENCE),
                          "wrong_role")
        self.assert_error(await self.coord.request("associate_approve", associate=self.coord_account.user,
                                                   **GOOD_EVIDENCE), "wrong_role")
        self.assert_error(await self.coord.request("associate_suspend", associate=999999, reason="other"),
                          "unknown_user")
        self.assert_error(await self.coord.request("associate_suspend", associate=spoc.user, reason="other"),
                          "wrong_role")
        gone = await self.associate("Gone Associate", approve=False)
        await self.coord.call("account_disable", user=gone.user)
        self.assert_error(await self.coord.request("associate_approve", associate=gone.user, **GOOD_EVIDENCE),
                          "unknown_user")

    async def test_field_validation(self):
        assoc = await self.associate("Pat Associate", approve=False)
        bad = [("years_as_headteacher", 61), ("years_as_headteacher", -1), ("years_as_headteacher", "9"),
               ("years_as_headteacher", 5.5), ("years_as_headteacher", None), ("last_inspection", "excellent"),
               ("last_inspection", "Good"), ("last_inspection", 1), ("training_completed", "true"),
               ("training_completed", 1), ("coaching_record", None), ("coaching_record", "yes")]
        for name, value in bad:
            with self.subTest(name=name, value=value):
                self.assert_error(await self.coord.request("associate_approve", associate=assoc.user,
                                                           **dict(GOOD_EVIDENCE, **{name: value})), "invalid_field")
        for name in ("associate",) + CRITERIA:
            with self.subTest(missing=name):
                fields = dict(GOOD_EVIDENCE, associate=assoc.user)
                del fields[name]
                self.assert_error(await self.coord.request("associate_approve", **fields), "missing_field")
        self.assert_error(await self.coord.request("associate_approve", associate=assoc.user, note="x",
                                                   **GOOD_EVIDENCE), "unknown_field")
        self.assertEqual((await self.profile_of(assoc))["status"], "pending")
        self.assert_ok(await self.coord.request("associate_approve", associate=assoc.user,
                                                **dict(GOOD_EVIDENCE, years_as_headteacher=60)))


# ====================================================================================================
# 7.32 request_create / request_withdraw
# ====================================================================================================

class RequestTest(ProgrammeCase):
    async def test_create_fields_and_one_open_cycle(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        head = await self.person("headteacher", "Hana Head")
        bad = [("school", ""), ("school", "s" * 121), ("school", 3), ("region", ""), ("region", "r" * 65),
               ("phase", "college"), ("phase", ""), ("size_band", "tiny"), ("federation", "f" * 121),
               ("federation", None), ("concern", []), ("concern", "x")]
        for name, value in bad:
            with self.subTest(name=name, value=str(value)[:20]):
                fields = {"school": "Oak Primary", "region": "north", name: value}
                self.assert_error(await head.conn.request("request_create", **fields), "invalid_field")
        self.assert_error(await head.conn.request("request_create", region="north"), "missing_field")
        self.assert_error(await head.conn.request("request_create", school="Oak Primary"), "missing_field")
        self.assert_error(await head.conn.request("request_create", school="Oak Primary", region="north", urgent=True),
                          "unknown_field")
        self.assertEqual((await head.conn.call("cycles"))["cycles"], [], "refused requests stored nothing")

        answer = await head.conn.request("request_create", school="Oak Primary", federation="Dale Federation",
                                         region="north", phase="primary", size_band="small")
        self.assert_ok(answer, {"cycle"})
        cycle = self.check_cycle(answer["cycle"])
        self.assertEqual((cycle["state"], cycle["headteacher"], cycle["school"], cycle["federation"], cycle["region"],
                          cycle["phase"], cycle["size_band"]),
                         ("requested", head.user, "Oak Primary", "Dale Federation", "north", "primary", "small"))
        self.assertNotIn("associate", cycle)
        self.assertNotIn("paired_at", cycle)
        self.assertNotIn("concern", cycle)
        self.assert_time_near(cycle["requested_at"])
        # Coordinators' devices hear of it (the one who made no change too), with their view.
        for conn in (self.coord, coord2.conn):
            event = await self.cycle_event(conn, "requested", cycle["cycle"])
            self.assertEqual(event["by"], head.user)
            self.assertEqual(event["cycle"]["state"], "requested")
        await self.assert_no_cycle_event(head.conn, "requested")

        again = await head.conn.request("request_create", school="Oak Primary", region="north")
        self.assert_error(again, "limit_reached")
        self.assertEqual(again.get("cycle"), cycle["cycle"], again)

        # Withdrawing closes it (reason `withdrawn`); then a new request is allowed.
        self.assert_error(await self.coord.request("request_withdraw", cycle=cycle["cycle"]), "forbidden")
        withdrawn = await head.conn.request("request_withdraw", cycle=cycle["cycle"])
        self.assert_ok(withdrawn, {"cycle"})
        self.assertEqual((withdrawn["cycle"]["state"], withdrawn["cycle"]["reason"]), ("closed", "withdrawn"))
        self.assert_time_near(withdrawn["cycle"]["ended_at"])
        event = await self.cycle_event(coord2.conn, "withdrawn", cycle["cycle"])
        self.assertEqual((event["by"], event["cycle"]["state"]), (head.user, "closed"))
        self.assert_error(await head.conn.request("request_withdraw", cycle=cycle["cycle"]), "wrong_state")
        second = await self.open_request(head, school="Oak Primary")
        self.assertGreater(second["cycle"], cycle["cycle"])
        listed = (await head.conn.call("cycles"))["cycles"]
        self.assertEqual([c["cycle"] for c in listed], [second["cycle"], cycle["cycle"]], "newest first")
        self.assertEqual([c["cycle"] for c in (await head.conn.call("cycles", state="closed"))["cycles"]],
                         [cycle["cycle"]])
        self.assert_error(await head.conn.request("cycles", state="open"), "invalid_field")

        # Only headteachers request support.
        assoc = await self.associate("Asa Sociate")
        spoc = await self.person("spoc", "Spoc One")
        for conn in (assoc.conn, self.coord, spoc.conn):
            self.assert_error(await conn.request("request_create", school="X", region="north"), "forbidden")
        # Someone else's request is not found.
        other = await self.person("headteacher", "Other Head")
        self.assert_error(await other.conn.request("request_withdraw", cycle=second["cycle"]), "not_found")
        self.assert_error(await other.conn.request("cycle_show", cycle=second["cycle"]), "not_found")
        self.assertEqual((await other.conn.call("cycles"))["cycles"], [])
        self.assert_error(await spoc.conn.request("cycles"), "forbidden")
        self.assertEqual((await assoc.conn.call("cycles"))["cycles"], [], "an associate sees no unpaired request")
        self.assert_error(await assoc.conn.request("cycle_show", cycle=second["cycle"]), "not_found")
        self.assert_error(await head.conn.request("cycle_show", cycle=999999), "not_found")

    async def test_concerns_go_only_to_their_owners(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        head = await self.person("headteacher", "Hana Head")
        assoc = await self.associate("Asa Sociate")
        spoc = await self.person("spoc", "Spoc One")
        other_head = await self.person("headteacher", "Other Head")
        canary = b"CANARY-CONCERN-" + secrets.token_hex(12).encode()
        c1, c2, own = sealed(canary), sealed(canary), sealed(canary)

        # Refusals: concerns only for active coordinators and the caller, distinct, 1 to 8192 bytes.
        gone = await self.person("coordinator", "Gone Coordinator")
        await self.coord.call("account_disable", user=gone.user)
        for user in (assoc.user, other_head.user, spoc.user, 999999, gone.user):
            with self.subTest(concern_user=user):
                self.assert_error(await head.conn.request("request_create", school="Oak", region="north",
                                                          concern=[{"user": self.coord_account.user, "body": b64e(c1)},
                                                                   {"user": user, "body": b64e(c2)}]),
                                  "invalid_field")
        for concern in ([{"user": self.coord_account.user, "body": b64e(c1)}] * 2,
                        [{"user": self.coord_account.user, "body": ""}],
                        [{"user": self.coord_account.user, "body": b64e(os.urandom(8193))}],
                        [{"user": self.coord_account.user, "body": b64e(c1) + "="}],
                        [{"user": self.coord_account.user, "body": b64e(c1), "note": "x"}]):
            with self.subTest(concern=str(concern)[:60]):
                answer = await head.conn.request("request_create", school="Oak", region="north", concern=concern)
                self.assertEqual(answer["type"], "error", answer)
                self.assertIn(answer["code"], ("invalid_field", "unknown_field"), answer)
        self.assertEqual((await head.conn.call("cycles"))["cycles"], [])
        self.assert_ok(await head.conn.request("request_create", school="Oak", region="north",
                                               concern=[{"user": self.coord_account.user,
                                                         "body": b64e(os.urandom(8192))}]))
        first = (await head.conn.call("cycles"))["cycles"][0]["cycle"]
        await head.conn.call("request_withdraw", cycle=first)

        answer = await head.conn.request("request_create", school="Oak", region="north", concern=[
            {"user": self.coord_account.user, "body": b64e(c1)}, {"user": coord2.user, "body": b64e(c2)},
            {"user": head.user, "body": b64e(own)}])
        self.assert_ok(answer)
        cycle_id = answer["cycle"]["cycle"]
        self.assertEqual(b64d(answer["cycle"]["concern"]), own)
        self.assertEqual(b64d((await self.show(head.conn, cycle_id))["concern"]), own)
        self.assertEqual(b64d((await self.show(self.coord, cycle_id))["concern"]), c1)
        self.assertEqual(b64d((await self.show(coord2.conn, cycle_id))["concern"]), c2)
        listed = {c["cycle"]: c for c in (await coord2.conn.call("cycles"))["cycles"]}
        self.assertEqual(b64d(listed[cycle_id]["concern"]), c2)
        # 7.40: cycle events carry no concern (`cycle_show` gives it).
        for conn in (coord2.conn, self.coord):
            event = await self.cycle_event(conn, "requested", cycle_id)
            self.assertNotIn("concern", event["cycle"], event)

        # The associate never sees a concern, before or after pairing.
        paired = await self.pair_request(cycle_id, assoc)
        self.assertEqual(b64d(paired["concern"]), c1)
        event = await self.cycle_event(assoc.conn, "paired", cycle_id)
        self.check_cycle(event["cycle"], "associate")
        self.check_cycle(await self.show(assoc.conn, cycle_id), "associate")
        for c in (await assoc.conn.call("cycles"))["cycles"]:
            self.check_cycle(c, "associate")

        # A request without the headteacher's own copy gives the headteacher none, nor to coordinators
        # who were not given one.
        answer = await other_head.conn.request("request_create", school="Elm", region="north",
                                               concern=[{"user": self.coord_account.user, "body": b64e(c1)}])
        self.assert_ok(answer)
        self.assertNotIn("concern", answer["cycle"])
        self.assertNotIn("concern", await self.show(coord2.conn, answer["cycle"]["cycle"]))
        self.assertEqual(b64d((await self.show(self.coord, answer["cycle"]["cycle"]))["concern"]), c1)
        self.assert_never_received(assoc.conn, [canary], [c1, c2, own])
        self.assert_never_received(spoc.conn, [canary], [c1, c2, own])


# ====================================================================================================
# 7.33 offers and prefer
# ====================================================================================================

class OfferTest(ProgrammeCase):
    async def offers(self, head, cycle_id, **filters):
        answer = await head.conn.request("offers", cycle=cycle_id, **filters)
        self.assert_ok(answer, {"offers"})
        for offer in answer["offers"]:
            self.assertEqual(set(offer), OFFER_MEMBERS, offer)
        return answer["offers"]

    async def test_exclusions_compare_trimmed_and_without_ascii_case(self):
        plain = await self.associate("Plain", school="Brook Primary", federation="")
        near = await self.associate("Near Miss", school="Hill Top Primary School", federation="Dale",
                                    conflicts=["Hill Top", "Federation of Dale"])
        same_school = await self.associate("Same School", school="  hill top PRIMARY ")
        same_fed = await self.associate("Same Federation", school="Other A", federation="DALE federation ")
        conflict_school = await self.associate("Conflict School", school="Other C",
                                               conflicts=["Elm Academy", " HILL TOP primary"])
        conflict_fed = await self.associate("Conflict Federation", school="Other D", conflicts=["dale FEDERATION"])

        head = await self.person("headteacher", "Hana Head")
        cycle = await self.open_request(head, school="Hill Top Primary", federation="Dale Federation")
        got = {o["user"] for o in await self.offers(head, cycle["cycle"])}
        self.assertEqual(got, {plain.user, near.user})

        # The request's own spelling is folded as well; without a federation, nobody is excluded for
        # an empty one.
        head2 = await self.person("headteacher", "Other Head")
        cycle2 = await self.open_request(head2, school=" HILL TOP primary  ")
        got = {o["user"] for o in await self.offers(head2, cycle2["cycle"])}
        self.assertEqual(got, {plain.user, near.user, same_fed.user, conflict_fed.user})

        # pair refuses the excluded ones (reason `excluded`), prefer names them.
        for assoc in (same_school, same_fed, conflict_school, conflict_fed):
            with self.subTest(excluded=assoc.display_name):
                answer = await self.coord.request("pair", cycle=cycle["cycle"], associate=assoc.user)
                self.assert_error(answer, "associate_unavailable")
                self.assertEqual(answer.get("reason"), "excluded", answer)
                answer = await head.conn.request("prefer", cycle=cycle["cycle"], associates=[plain.user, assoc.user])
                self.assert_error(answer, "associate_unavailable")
                self.assertEqual(answer.get("associate"), assoc.user, answer)
        self.assertEqual(await self.state_of(cycle["cycle"]), "offered")

    async def test_school_and_federation_are_compared_across(self):
        """7.33: "excluding associates whose `school` or `federation` is the request's `school` or
        `federation`": an associate's school named as the request's federation, or an associate's
        federation named as the request's school, is excluded too (7.35 reason `excluded`)."""
        plain = await self.associate("Plain", school="Brook Primary")
        school_is_fed = await self.associate("School Is Federation", school="dale federation")
        fed_is_school = await self.associate("Federation Is School", school="Other B", federation="HILL TOP PRIMARY")
        head = await self.person("headteacher", "Hana Head")
        cycle = (await self.open_request(head, school="Hill Top Primary", federation="Dale Federation"))["cycle"]
        self.assertEqual({o["user"] for o in await self.offers(head, cycle)}, {plain.user})
        for assoc in (school_is_fed, fed_is_school):
            answer = await self.coord.request("pair", cycle=cycle, associate=assoc.user)
            self.assert_error(answer, "associate_unavailable")
            self.assertEqual(answer.get("reason"), "excluded", answer)

    async def test_folding_is_ascii_only_and_trims_only_the_ends(self):
        """7.29: "compared exactly after trimming spaces and folding ASCII case": letters outside
        ASCII keep their case and inner spaces count."""
        accent = await self.associate("Accent", school="école du Parc")
        inner = await self.associate("Inner Spaces", school="Hill  Top Primary")
        folded = await self.associate("Folded", school="ÉCOLE DU PARC")
        head = await self.person("headteacher", "Hana Head")
        cycle = await self.open_request(head, school="École du Parc", federation="Hill Top Primary")
        got = {o["user"] for o in await self.offers(head, cycle["cycle"])}
        self.assertEqual(got, {accent.user, inner.user}, "only ASCII letters fold; inner spaces are kept")
        self.assertNotIn(folded.user, got)

    async def test_only_approved_with_a_free_place(self):
        a1 = await self.associate("A1 Free", capacity=1)
        a2 = await self.associate("A2 Half Full", capacity=2)
        await self.associate("Pending", approve=False)
        suspended = await self.associate("Suspended")
        await self.coord.call("associate_suspend", associate=suspended.user, reason="leave")
        full = await self.associate("Full", capacity=1)
        shrunk = await self.associate("Shrunk", capacity=2)
        for assoc in (a2, full, shrunk):
            other = await self.person("headteacher", f"Head of {assoc.display_name}")
            await self.pair(self.coord, other, assoc)
        self.assert_ok(await shrunk.conn.request("profile_set", **profile_fields("Shrunk", capacity=1)))

        head = await self.person("headteacher", "Hana Head")
        cycle = await self.open_request(head)
        offers = await self.offers(head, cycle["cycle"])
        self.assertEqual({o["user"]: o["free_places"] for o in offers}, {a1.user: 1, a2.user: 1})

        # Suspending hides; approving again shows.
        await self.coord.call("associate_suspend", associate=a1.user, reason="other")
        self.assertEqual([o["user"] for o in await self.offers(head, cycle["cycle"])], [a2.user])
        await self.approve(a1)
        self.assertEqual({o["user"] for o in await self.offers(head, cycle["cycle"])}, {a1.user, a2.user})

    async def test_ordering(self):
        n1 = await self.associate("N1", region="north", capacity=1)
        n3 = await self.associate("N3", region="north", capacity=3)
        c5a = await self.associate("C5a", region="city", capacity=5)
        c5b = await self.associate("C5b", region="city", capacity=5)
        c2 = await self.associate("C2", region="city", capacity=2)
        n_full = await self.associate("N Full", region="north", capacity=4)
        other = await self.person("headteacher", "Other Head")
        await self.pair(self.coord, other, n3)  # n3: 2 free places
        for i in range(4):
            h = await self.person("headteacher", f"Filler {i}")
            await self.pair(self.coord, h, n_full)
        head = await self.person("headteacher", "Hana Head")
        cycle = await self.open_request(head, region="north")
        offers = await self.offers(head, cycle["cycle"])
        self.assertEqual([(o["user"], o["free_places"]) for o in offers],
                         [(n3.user, 2), (n1.user, 1), (c5a.user, 5), (c5b.user, 5), (c2.user, 2)])
        head2 = await self.person("headteacher", "City Head")
        cycle2 = await self.open_request(head2, region="city")
        self.assertEqual([o["user"] for o in await self.offers(head2, cycle2["cycle"])],
                         [c5a.user, c5b.user, c2.user, n3.user, n1.user])

    async def test_filters_and_offer_content(self):
        f1 = await self.associate("F1", region="north", size_band="small", phase="primary",
                                  school_types=["rural", "church"], skills=["finance", "wellbeing"],
                                  summary="Nine years.", availability="Tuesdays", federation="Secret Federation",
                                  conflicts=["Secret Conflict"])
        f2 = await self.associate("F2", region="city", size_band="large", phase="secondary", school_types=["academy"],
                                  skills=["finance"])
        f3 = await self.associate("F3", region="north", size_band="medium", phase="primary", school_types=["church"],
                                  skills=["ofsted_preparation"])
        head = await self.person("headteacher", "Hana Head")
        cycle = (await self.open_request(head))["cycle"]
        cases = [({}, {f1, f2, f3}), ({"region": "north"}, {f1, f3}), ({"region": "city"}, {f2}),
                 ({"size_band": "large"}, {f2}), ({"phase": "primary"}, {f1, f3}), ({"school_type": "church"}, {f1, f3}),
                 ({"school_type": "rural"}, {f1}), ({"skill": "finance"}, {f1, f2}),
                 ({"phase": "primary", "skill": "finance"}, {f1}), ({"region": "nowhere"}, set()),
                 ({"skill": "fin"}, set())]
        for filters, want in cases:
            with self.subTest(filters=filters):
                self.assertEqual({o["user"] for o in await self.offers(head, cycle, **filters)},
                                 {a.user for a in want})
        offer = [o for o in await self.offers(head, cycle, school_type="rural")][0]
        self.assertEqual(offer, {"user": f1.user, "display_name": "F1", "region": "north", "size_band": "small",
                                 "school_types": ["rural", "church"], "phase": "primary", "summary": "Nine years.",
                                 "skills": ["finance", "wellbeing"], "availability": "Tuesdays", "free_places": 2})
        self.assert_error(await head.conn.request("offers", cycle=cycle, school="x"), "unknown_field")
        self.assert_error(await head.conn.request("offers", cycle=cycle, region=3), "invalid_field")
        self.assert_error(await head.conn.request("offers"), "missing_field")
        # Nothing of an associate's school, federation or conflicts reached the headteacher.
        for text in head.conn.raw:
            for secret in ("Secret Federation", "Secret Conflict", "F1 School", "F2 School"):
                self.assertNotIn(secret, text)

    async def test_first_call_moves_requested_to_offered(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        assoc = await self.associate("Asa Sociate")
        head = await self.person("headteacher", "Hana Head")
        device2 = await self.link_device(head.conn, head, one_time=2)
        head_other = await self.login(head, device2)
        cycle = (await self.open_request(head))["cycle"]
        self.drain(self.coord, coord2.conn)
        await self.offers(head, cycle)
        event = await self.cycle_event(head_other, "offered", cycle)  # the headteacher's other device
        self.assertEqual(event["by"], head.user)
        shown = await self.show(head.conn, cycle)
        self.assertEqual(shown["state"], "offered")
        for conn in (self.coord, coord2.conn):
            event = await self.cycle_event(conn, "offered", cycle)
            self.assertEqual((event["by"], event["cycle"]["state"]), (head.user, "offered"))
        await self.assert_no_cycle_event(head.conn)  # not sent back to the connection that made it
        await self.offers(head, cycle, phase="primary")
        self.assertEqual(await self.state_of(cycle), "offered")
        await self.assert_no_cycle_event(coord2.conn, "offered", cycle)
        await head.conn.call("prefer", cycle=cycle, associates=[assoc.user])
        await self.offers(head, cycle, region="city")
        self.assertEqual(await self.state_of(cycle), "preferred", "offers again keeps `preferred`")
        await self.pair_request(cycle, assoc)
        answer = await head.conn.request("offers", cycle=cycle)
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "paired", answer)
        other = await self.person("headteacher", "Other Head")
        self.assert_error(await other.conn.request("offers", cycle=cycle), "not_found")
        self.assert_error(await head.conn.request("offers", cycle=999999), "not_found")


class PreferTest(ProgrammeCase):
    async def test_prefer_rules(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        a1, a2, a3, a4 = [await self.associate(f"A{i}", capacity=1) for i in range(1, 5)]
        excluded = await self.associate("Excluded", school="Oak Primary")
        pending = await self.associate("Pending", approve=False)
        head = await self.person("headteacher", "Hana Head")
        cycle = (await self.open_request(head, school="Oak Primary"))["cycle"]

        answer = await head.conn.request("prefer", cycle=cycle, associates=[a1.user])
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "requested", answer)
        await head.conn.call("offers", cycle=cycle)
        for associates in ([], [a1.user, a2.user, a3.user, a4.user], [a1.user, a1.user], [a1.user, "x"], None):
            with self.subTest(associates=associates):
                self.assert_error(await head.conn.request("prefer", cycle=cycle, associates=associates), "invalid_field")
        self.assert_error(await head.conn.request("prefer", cycle=cycle), "missing_field")
        for bad in (excluded.user, pending.user, head.user, 999999):
            with self.subTest(unavailable=bad):
                answer = await head.conn.request("prefer", cycle=cycle, associates=[a1.user, bad])
                self.assert_error(answer, "associate_unavailable")
                self.assertEqual(answer.get("associate"), bad, answer)
        self.assertEqual(await self.state_of(cycle), "offered")

        self.drain(self.coord, coord2.conn)
        answer = await head.conn.request("prefer", cycle=cycle, associates=[a3.user, a1.user, a2.user])
        self.assert_ok(answer, {"cycle"})
        self.assertEqual((answer["cycle"]["state"], answer["cycle"]["preferences"]),
                         ("preferred", [a3.user, a1.user, a2.user]))
        for conn in (self.coord, coord2.conn):
            event = await self.cycle_event(conn, "preferred", cycle)
            self.assertEqual((event["by"], event["cycle"]["preferences"]), (head.user, [a3.user, a1.user, a2.user]))
        # Again: the ranking is replaced.
        again = await head.conn.call("prefer", cycle=cycle, associates=[a2.user])
        self.assertEqual((again["cycle"]["state"], again["cycle"]["preferences"]), ("preferred", [a2.user]))
        self.assertEqual((await self.show(self.coord, cycle))["preferences"], [a2.user])

        # An associate whose last place is taken is no longer offerable.
        other = await self.person("headteacher", "Other Head")
        await self.pair(self.coord, other, a4)
        answer = await head.conn.request("prefer", cycle=cycle, associates=[a4.user])
        self.assert_error(answer, "associate_unavailable")
        self.assertEqual(answer.get("associate"), a4.user)
        self.assertEqual((await self.show(head.conn, cycle))["preferences"], [a2.user])

        # Only the headteacher; the associate of the pairing never sees preferences.
        self.assert_error(await self.coord.request("prefer", cycle=cycle, associates=[a1.user]), "forbidden")
        self.assert_error(await a1.conn.request("prefer", cycle=cycle, associates=[a1.user]), "forbidden")
        paired = await self.pair_request(cycle, a1)  # someone the headteacher did not rank is allowed
        self.assertEqual(paired["associate"], a1.user)
        self.check_cycle(await self.show(a1.conn, cycle), "associate")
        answer = await head.conn.request("prefer", cycle=cycle, associates=[a2.user])
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "paired")


# ====================================================================================================
# 7.35 pair, request_decline; 7.14 pair_create
# ====================================================================================================

class PairTest(ProgrammeCase):
    async def test_pair_events_prompt_and_messaging(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        head = await self.person("headteacher", "Hana Head")
        assoc = await self.associate("Asa Sociate")
        cycle = (await self.open_request(head, federation="Moor Federation", phase="primary"))["cycle"]
        self.assert_error(await head.conn.send_message(assoc.user, [(assoc.user, 1)]), "not_paired")
        self.assert_error(await assoc.conn.send_message(head.user, [(head.user, 1)]), "not_paired")
        self.drain(self.coord, coord2.conn, head.conn, assoc.conn)

        answer = await self.coord.request("pair", cycle=cycle, associate=assoc.user)
        self.assert_ok(answer, {"cycle"})
        obj = self.check_cycle(answer["cycle"])
        self.assertEqual((obj["state"], obj["associate"], obj["headteacher"]), ("paired", assoc.user, head.user))
        self.assert_time_near(obj["paired_at"])

        event = await self.cycle_event(head.conn, "paired", cycle)
        self.assertEqual((event["by"], event["cycle"]["state"], event["cycle"]["associate"]),
                         (self.coord_account.user, "paired", assoc.user))
        self.assertNotIn("prompt", event)
        event = await self.cycle_event(assoc.conn, "paired", cycle)
        self.assertEqual((event["by"], event.get("prompt")), (self.coord_account.user, "make_contact"))
        view = self.check_cycle(event["cycle"], "associate")
        self.assertEqual((view["school"], view["headteacher"], view["associate"]),
                         ("Hana Head School", head.user, assoc.user))
        event = await self.cycle_event(coord2.conn, "paired", cycle)
        self.assertNotIn("prompt", event)
        await self.assert_no_cycle_event(self.coord, "paired")

        # The pair may now write to each other (and fetch bundles).
        self.assert_ok(await head.conn.send_message(assoc.user, [(assoc.user, 1)]))
        self.assert_ok(await assoc.conn.send_message(head.user, [(head.user, 1)]))
        self.assert_ok(await head.conn.request("bundle", user=assoc.user))
        self.assertEqual([c["cycle"] for c in (await assoc.conn.call("cycles"))["cycles"]], [cycle])
        self.assertEqual((await self.profile_of(assoc))["load"], 1)

        answer = await coord2.conn.request("pair", cycle=cycle, associate=assoc.user)
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "paired")

    async def test_pair_refusals(self):
        head = await self.person("headteacher", "Hana Head")
        pending = await self.associate("Pending", approve=False)
        suspended = await self.associate("Suspended")
        await self.coord.call("associate_suspend", associate=suspended.user, reason="conduct")
        full = await self.associate("Full", capacity=1)
        await self.pair(self.coord, await self.person("headteacher", "Other Head"), full)
        own_school = await self.associate("Own School", school="oak primary")
        conflict = await self.associate("Conflict", conflicts=["OAK PRIMARY"])
        spoc = await self.person("spoc", "Spoc One")
        gone = await self.associate("Gone")
        await self.coord.call("account_disable", user=gone.user)
        cycle = (await self.open_request(head, school="Oak Primary"))["cycle"]
        for assoc, reason in ((pending, "not_approved"), (suspended, "not_approved"), (full, "no_free_place"),
                              (own_school, "excluded"), (conflict, "excluded")):
            with self.subTest(associate=assoc.display_name):
                answer = await self.coord.request("pair", cycle=cycle, associate=assoc.user)
                self.assert_error(answer, "associate_unavailable")
                self.assertEqual(answer.get("reason"), reason, answer)
        for user, code in ((head.user, "wrong_role"), (spoc.user, "wrong_role"),
                           (self.coord_account.user, "wrong_role"), (999999, "unknown_user"), (gone.user, "unknown_user")):
            with self.subTest(user=user):
                self.assert_error(await self.coord.request("pair", cycle=cycle, associate=user), code)
        self.assert_error(await self.coord.request("pair", cycle=999999, associate=full.user), "not_found")
        self.assert_error(await self.coord.request("pair", cycle=cycle), "missing_field")
        self.assertEqual(await self.state_of(cycle), "requested")
        for conn in (head.conn, pending.conn, spoc.conn):
            self.assert_error(await conn.request("pair", cycle=cycle, associate=full.user), "forbidden")
        # A final cycle cannot be paired.
        await head.conn.call("request_withdraw", cycle=cycle)
        ok = await self.associate("Fine")
        answer = await self.coord.request("pair", cycle=cycle, associate=ok.user)
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "closed")

    async def test_pair_create_is_a_direct_pairing(self):
        head = await self.person("headteacher", "Hana Head")
        assoc = await self.associate("Asa Sociate", approve=False, capacity=1)
        answer = await self.coord.request("pair_create", headteacher=head.user, associate=assoc.user)
        self.assert_error(answer, "associate_unavailable")
        self.assertEqual(answer.get("reason"), "not_approved")
        await self.approve(assoc)
        first = await self.coord.request("pair_create", headteacher=head.user, associate=assoc.user)
        self.assert_ok(first, {"pairing", "cycle", "created"})
        self.assertIs(first["created"], True)
        self.assertIs(type(first["pairing"]), int)
        cycle = self.check_cycle(await self.show(self.coord, first["cycle"]))
        self.assertEqual((cycle["state"], cycle["headteacher"], cycle["associate"]), ("paired", head.user, assoc.user))
        self.assertEqual(cycle.get("school", ""), "")
        again = await self.coord.call("pair_create", headteacher=head.user, associate=assoc.user)
        self.assertEqual((again["created"], again["cycle"], again["pairing"]), (False, first["cycle"], first["pairing"]))
        self.assert_ok(await head.conn.send_message(assoc.user, [(assoc.user, 1)]))
        self.assertEqual((await self.profile_of(assoc))["load"], 1)
        # The headteacher has an open cycle: no second one, neither direct nor requested.
        assoc2 = await self.associate("Second Associate")
        answer = await self.coord.request("pair_create", headteacher=head.user, associate=assoc2.user)
        self.assert_error(answer, "limit_reached")
        answer = await head.conn.request("request_create", school="Oak", region="north")
        self.assert_error(answer, "limit_reached")
        self.assertEqual(answer.get("cycle"), first["cycle"])
        # The associate's only place is taken.
        head2 = await self.person("headteacher", "Other Head")
        answer = await self.coord.request("pair_create", headteacher=head2.user, associate=assoc.user)
        self.assert_error(answer, "associate_unavailable")
        self.assertEqual(answer.get("reason"), "no_free_place")

    async def test_pair_create_keeps_one_open_cycle(self):
        """7.32: a headteacher has at most one open request or partnership, also when the
        coordinator pairs them directly while their request is open."""
        head = await self.person("headteacher", "Hana Head")
        assoc = await self.associate("Asa Sociate")
        await self.open_request(head)
        answer = await self.coord.request("pair_create", headteacher=head.user, associate=assoc.user)
        if answer["type"] == "error":
            self.assert_error(answer, "limit_reached")
        cycles = (await head.conn.call("cycles"))["cycles"]
        open_cycles = [c for c in cycles if c["state"] not in FINAL_STATES]
        self.assertEqual(len(open_cycles), 1, cycles)

    async def test_associate_without_a_profile_has_one_place(self):
        """7.29: `capacity` is 1 until the associate writes a profile."""
        assoc = await self.person("associate", "No Profile")
        await self.approve(assoc)
        h1 = await self.person("headteacher", "Head One")
        h2 = await self.person("headteacher", "Head Two")
        self.assertIs((await self.coord.call("pair_create", headteacher=h1.user, associate=assoc.user))["created"], True)
        answer = await self.coord.request("pair_create", headteacher=h2.user, associate=assoc.user)
        self.assert_error(answer, "associate_unavailable")
        self.assertEqual(answer.get("reason"), "no_free_place")
        row = [r for r in (await self.coord.call("stats"))["associates"] if r["user"] == assoc.user][0]
        self.assertEqual((row["load"], row["capacity"]), (1, 1))

    async def test_capacity_below_load_and_suspension_keep_partnerships(self):
        assoc = await self.associate("Asa Sociate", capacity=2)
        heads = [await self.person("headteacher", f"Head {i}") for i in range(3)]
        for h in heads[:2]:
            await self.pair_request((await self.open_request(h))["cycle"], assoc)
        answer = await assoc.conn.request("profile_set", **profile_fields("Asa Sociate", capacity=1))
        self.assert_ok(answer)
        self.assertEqual((answer["associate"]["load"], answer["associate"]["profile"]["capacity"]), (2, 1))
        third = (await self.open_request(heads[2]))["cycle"]
        self.assertEqual((await heads[2].conn.call("offers", cycle=third))["offers"], [])
        answer = await self.coord.request("pair", cycle=third, associate=assoc.user)
        self.assert_error(answer, "associate_unavailable")
        self.assertEqual(answer.get("reason"), "no_free_place")
        # Suspended: no new pairings, but the partnerships continue.
        await self.coord.call("associate_suspend", associate=assoc.user, reason="conduct")
        answer = await self.coord.request("pair", cycle=third, associate=assoc.user)
        self.assertEqual(answer.get("reason"), "not_approved", answer)
        for h in heads[:2]:
            self.assert_ok(await h.conn.send_message(assoc.user, [(assoc.user, 1)]))
            self.assert_ok(await assoc.conn.send_message(h.user, [(h.user, 1)]))
        self.assertEqual((await self.profile_of(assoc))["load"], 2)

    async def test_request_decline(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        head = await self.person("headteacher", "Hana Head")
        cycle = (await self.open_request(head))["cycle"]
        for reason in ("busy", "", None):
            self.assert_error(await self.coord.request("request_decline", cycle=cycle, reason=reason), "invalid_field")
        self.assert_error(await head.conn.request("request_decline", cycle=cycle, reason="other"), "forbidden")
        self.drain(head.conn, coord2.conn)
        answer = await self.coord.request("request_decline", cycle=cycle, reason="no_associate_available")
        self.assert_ok(answer, {"cycle"})
        self.assertEqual((answer["cycle"]["state"], answer["cycle"]["reason"]), ("closed", "no_associate_available"))
        self.assert_time_near(answer["cycle"]["ended_at"])
        event = await self.cycle_event(head.conn, "declined", cycle)
        self.assertEqual((event["by"], event["cycle"]["state"], event["cycle"]["reason"]),
                         (self.coord_account.user, "closed", "no_associate_available"))
        await self.cycle_event(coord2.conn, "declined", cycle)
        answer = await coord2.conn.request("request_decline", cycle=cycle, reason="duplicate")
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "closed")
        # Every reason is accepted.
        for reason in ("outside_scheme", "duplicate", "other"):
            c = (await self.open_request(head))["cycle"]
            self.assertEqual((await self.coord.call("request_decline", cycle=c, reason=reason))["cycle"]["reason"], reason)


class CapacityRaceTest(ProgrammeCase):
    async def test_direct_pairing_races_a_request(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        for round_ in range(4):
            with self.subTest(round=round_):
                assoc = await self.associate(f"Associate {round_}", capacity=1)
                h1 = await self.person("headteacher", f"Direct Head {round_}")
                h2 = await self.person("headteacher", f"Request Head {round_}")
                c2 = (await self.open_request(h2))["cycle"]
                direct, paired = await asyncio.gather(
                    self.coord.request("pair_create", headteacher=h1.user, associate=assoc.user),
                    coord2.conn.request("pair", cycle=c2, associate=assoc.user))
                self.assertEqual(sorted([direct["type"], paired["type"]]), ["error", "ok"], (direct, paired))
                loser = direct if direct["type"] == "error" else paired
                self.assert_error(loser, "associate_unavailable")
                self.assertEqual(loser.get("reason"), "no_free_place", loser)
                self.assertEqual((await self.profile_of(assoc))["load"], 1)

    async def test_two_coordinators_race_for_one_last_place(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        for round_ in range(6):
            with self.subTest(round=round_):
                assoc = await self.associate(f"Associate {round_}", capacity=1)
                h1 = await self.person("headteacher", f"Head {round_}a")
                h2 = await self.person("headteacher", f"Head {round_}b")
                c1 = (await self.open_request(h1))["cycle"]
                c2 = (await self.open_request(h2))["cycle"]
                a, b = await asyncio.gather(self.coord.request("pair", cycle=c1, associate=assoc.user),
                                            coord2.conn.request("pair", cycle=c2, associate=assoc.user))
                answers = {c1: a, c2: b}
                won = [c for c, x in answers.items() if x["type"] == "ok"]
                self.assertEqual(len(won), 1, answers)
                lost = c2 if won[0] == c1 else c1
                self.assert_error(answers[lost], "associate_unavailable")
                self.assertEqual(answers[lost].get("reason"), "no_free_place", answers[lost])
                self.assertEqual(await self.state_of(won[0]), "paired")
                self.assertEqual(await self.state_of(lost), "requested")
                self.assertEqual((await self.profile_of(assoc))["load"], 1)


# ====================================================================================================
# 7.29 the state machine over the wire: forbidden and wrong_state
# ====================================================================================================

ACTIONS = {
    # request: (roles that may act, states it acts from)
    "offers": ({"headteacher"}, {"requested", "offered", "preferred"}),
    "prefer": ({"headteacher"}, {"offered", "preferred"}),
    "request_withdraw": ({"headteacher"}, {"requested", "offered", "preferred"}),
    "pair": ({"coordinator"}, {"requested", "offered", "preferred"}),
    "request_decline": ({"coordinator"}, {"requested", "offered", "preferred"}),
    "cycle_extend": ({"coordinator"}, {"review_due"}),
    "cycle_close": ({"coordinator"}, {"active", "review_due"}),
    "end_request": ({"headteacher", "associate"}, {"paired", "active", "review_due"}),
    "cycle_end": ({"coordinator"}, {"paired", "active", "review_due"}),
    "feedback_request": ({"coordinator"}, {"ended_early", "closed_after_paired"}),
}


class StateMachineCase(ProgrammeCase):
    def action_fields(self, action, cycle_id):
        return {
            "offers": {"cycle": cycle_id},
            "prefer": {"cycle": cycle_id, "associates": [self.spare.user]},
            "request_withdraw": {"cycle": cycle_id},
            "pair": {"cycle": cycle_id, "associate": self.spare.user},
            "request_decline": {"cycle": cycle_id, "reason": "other"},
            "cycle_extend": {"cycle": cycle_id},
            "cycle_close": {"cycle": cycle_id},
            "end_request": {"cycle": cycle_id, "reason": "other"},
            "cycle_end": {"cycle": cycle_id, "reason": "other"},
            "feedback_request": {"cycle": cycle_id, "questions": ["How did it go?"]},
        }[action]

    async def check_refusals(self, label, cycle_id, state, head, assoc=None, skip=()):
        """Every action against a cycle in `state` (label: its name in ACTIONS): roles that never act
        get forbidden, allowed roles get wrong_state with member `state`, and nothing changes."""
        callers = {"headteacher": head.conn, "coordinator": self.coord, "spoc": self.spoc.conn}
        if assoc is not None:
            callers["associate"] = assoc.conn
        for action, (roles, allowed) in ACTIONS.items():
            if action in skip:
                continue
            for role, conn in callers.items():
                if role in roles and label in allowed:
                    continue
                with self.subTest(state=label, action=action, role=role):
                    answer = await conn.request(action, **self.action_fields(action, cycle_id))
                    if role not in roles:
                        self.assert_error(answer, "forbidden")
                    else:
                        self.assert_error(answer, "wrong_state")
                        self.assertEqual(answer.get("state"), state, answer)
        self.assertEqual(await self.state_of(cycle_id), state)


class StateMachineTest(StateMachineCase):
    async def test_forbidden_and_wrong_state_in_every_untimed_state(self):
        self.spoc = await self.person("spoc", "Spoc One")
        self.spare = await self.associate("Spare Associate", capacity=10)
        assoc = await self.associate("Asa Sociate", capacity=5)
        heads = {}
        for label in ("requested", "offered", "preferred", "paired", "declined", "withdrawn", "ended_early"):
            heads[label] = await self.person("headteacher", f"Head {label}")
        cycles = {}
        for label, head in heads.items():
            cycles[label] = (await self.open_request(head))["cycle"]
        for label in ("offered", "preferred"):
            await heads[label].conn.call("offers", cycle=cycles[label])
        await heads["preferred"].conn.call("prefer", cycle=cycles["preferred"], associates=[assoc.user])
        for label in ("paired", "ended_early"):
            await self.pair_request(cycles[label], assoc)
        await self.coord.call("request_decline", cycle=cycles["declined"], reason="other")
        await heads["withdrawn"].conn.call("request_withdraw", cycle=cycles["withdrawn"])
        await self.coord.call("cycle_end", cycle=cycles["ended_early"], reason="moved_school")
        # (`active`, `review_due`, `extended` and closed after being paired need a meeting that has
        # taken place: LifecycleTest.)

        states = {"requested": "requested", "offered": "offered", "preferred": "preferred", "paired": "paired",
                  "declined": "closed", "withdrawn": "closed", "ended_early": "ended_early"}
        for label, cycle_id in cycles.items():
            paired = label in ("paired", "ended_early")
            await self.check_refusals(label if label not in ("declined", "withdrawn") else "closed", cycle_id,
                                      states[label], heads[label], assoc if paired else None)
        # The associate never acts on a cycle that is not theirs: not visible, not found.
        for label in ("requested", "offered", "preferred", "declined"):
            self.assert_error(await assoc.conn.request("end_request", cycle=cycles[label], reason="other"), "not_found")
            self.assert_error(await assoc.conn.request("cycle_show", cycle=cycles[label]), "not_found")
        # Another headteacher: not found.
        stranger = await self.person("headteacher", "Stranger Head")
        for label, cycle_id in cycles.items():
            for action in ("offers", "request_withdraw", "end_request", "cycle_show"):
                fields = self.action_fields(action, cycle_id) if action != "cycle_show" else {"cycle": cycle_id}
                with self.subTest(stranger=action, state=label):
                    self.assert_error(await stranger.conn.request(action, **fields), "not_found")

    async def test_every_allowed_move_from_the_open_states(self):
        assoc = await self.associate("Asa Sociate", capacity=10)

        async def in_state(state, name):
            head = await self.person("headteacher", name)
            cycle_id = (await self.open_request(head))["cycle"]
            if state in ("offered", "preferred"):
                await head.conn.call("offers", cycle=cycle_id)
            if state == "preferred":
                await head.conn.call("prefer", cycle=cycle_id, associates=[assoc.user])
            self.assertEqual(await self.state_of(cycle_id), state)
            return head, cycle_id

        for state in ("requested", "offered", "preferred"):
            with self.subTest(state=state, action="request_withdraw"):
                head, cycle_id = await in_state(state, f"Withdraw {state}")
                answer = await head.conn.call("request_withdraw", cycle=cycle_id)
                self.assertEqual((answer["cycle"]["state"], answer["cycle"]["reason"]), ("closed", "withdrawn"))
            with self.subTest(state=state, action="request_decline"):
                head, cycle_id = await in_state(state, f"Decline {state}")
                answer = await self.coord.call("request_decline", cycle=cycle_id, reason="outside_scheme")
                self.assertEqual((answer["cycle"]["state"], answer["cycle"]["reason"]), ("closed", "outside_scheme"))
            with self.subTest(state=state, action="pair"):
                head, cycle_id = await in_state(state, f"Pair {state}")
                self.assertEqual((await self.pair_request(cycle_id, assoc))["state"], "paired")
            with self.subTest(state=state, action="prefer"):
                head, cycle_id = await in_state(state, f"Prefer {state}")
                if state != "requested":
                    answer = await head.conn.call("prefer", cycle=cycle_id, associates=[assoc.user])
                    self.assertEqual(answer["cycle"]["state"], "preferred")
        # From paired: end_request (either side) keeps the state, cycle_end ends it.
        head, cycle_id = await in_state("requested", "Paired Head")
        await self.pair_request(cycle_id, assoc)
        self.assertEqual((await assoc.conn.call("end_request", cycle=cycle_id, reason="other"))["cycle"]["state"],
                         "paired")
        self.assertEqual((await self.coord.call("cycle_end", cycle=cycle_id, reason="other"))["cycle"]["state"],
                         "ended_early")

    async def test_other_programme_requests_by_role(self):
        spoc = await self.person("spoc", "Spoc One")
        head = await self.person("headteacher", "Hana Head")
        assoc = await self.associate("Asa Sociate")
        cycle = (await self.open_request(head))["cycle"]
        for conn, role in ((head.conn, "headteacher"), (assoc.conn, "associate"), (spoc.conn, "spoc")):
            with self.subTest(role=role):
                self.assert_error(await conn.request("stats"), "forbidden")
                self.assert_error(await conn.request("feedback_request", cycle=cycle, questions=["Q"]), "forbidden")
        for conn, role in ((self.coord, "coordinator"), (assoc.conn, "associate"), (spoc.conn, "spoc")):
            with self.subTest(role=role):
                self.assert_error(await conn.request("feedback_submit", cycle=cycle, answers=[
                    {"item": 1, "bodies": [{"user": self.coord_account.user, "body": b64e(sealed())}]}]), "forbidden")
                self.assert_error(await conn.request("feedback_release", cycle=cycle, item=1, body=b64e(sealed())),
                                  "forbidden")
        for conn, role in ((self.coord, "coordinator"), (spoc.conn, "spoc")):
            with self.subTest(role=role):
                self.assert_error(await conn.request("notes"), "forbidden")
        for conn, role in ((self.coord, "coordinator"), (head.conn, "headteacher"), (spoc.conn, "spoc")):
            with self.subTest(role=role):
                self.assert_error(await conn.request("note_write", meeting=1, body=b64e(sealed())), "forbidden")
        self.assert_error(await spoc.conn.request("cycles"), "forbidden")


# ====================================================================================================
# 7.29 / 7.36 time: active, review_due, extend, close
# ====================================================================================================

class LifecycleTest(StateMachineCase):
    async def test_active_review_due_extend_close(self):
        self.spoc = await self.person("spoc", "Spoc One")
        self.spare = await self.associate("Spare Associate", capacity=10)
        coord2 = await self.person("coordinator", "Coordinator Two")
        head, assoc, cycle = await self.paired()
        cid = cycle["cycle"]
        slots = await self.day_slots(assoc, 7)
        self.drain(head.conn, assoc.conn, self.coord, coord2.conn)

        # The first meeting: accepted, but the cycle stays `paired` until its start has passed.
        m1, start = await self.meeting_soon(head, assoc, lead=6, kind="initial", mode="in_person")
        self.assertEqual(m1["cycle"], cid)
        self.assertEqual(m1["state"], "accepted")
        self.assertEqual(await self.state_of(cid), "paired")
        await self.wait_until_past(start)
        active = await self.wait_state(head.conn, cid, "active")
        self.check_cycle(active)
        self.assertGreaterEqual(parse_time(active["active_at"]), start)
        self.assertEqual((active["meetings_held"], active["in_person_used"], active["in_person_cap"]), (1, 1, 6))
        self.assertEqual((active["starts_on"], active["ends_on"]), ("2026-11-23", "2027-05-23"))
        for conn, viewer in ((head.conn, None), (assoc.conn, "associate"), (self.coord, None), (coord2.conn, None)):
            event = await self.cycle_event(conn, "active", cid, timeout=10)
            self.assertNotIn("by", event, "the server made the change")
            self.check_cycle(event["cycle"], viewer)
            self.assertEqual(event["cycle"]["state"], "active")
        await self.check_refusals("active", cid, "active", head, assoc, skip=("end_request", "cycle_end", "cycle_close"))

        # Five more in-person meetings: the sixth uses the cap, the cycle is due for review.
        ahead = []
        for i, (s, e) in enumerate(slots[:5]):
            proposer, accepter = (assoc, head) if i % 2 else (head, assoc)
            m = await self.meeting(proposer, accepter, s, e, "in_person", "support")
            self.assertEqual(m["cycle"], cid)
            ahead.append(m)
        due = await self.wait_state(self.coord, cid, "review_due", timeout=10)
        self.assertEqual(due["in_person_used"], 6)
        self.assert_time_near(due["review_at"], slack=15)
        for conn in (head.conn, assoc.conn, coord2.conn):
            event = await self.cycle_event(conn, "review_due", cid, timeout=10)
            self.assertNotIn("by", event)
        answer = await self.propose(head.conn, assoc.user, *slots[5], mode="online")
        self.assert_error(answer, "cycle_review_due")
        self.assertEqual(answer.get("rule"), "cycle_review", answer)  # 7.16: no other member
        self.assertNotIn("ends_on", answer)
        await self.check_refusals("review_due", cid, "review_due", head, assoc,
                                  skip=("end_request", "cycle_end", "cycle_close", "cycle_extend"))

        # Extension: a new active cycle with `previous`, caps counted afresh.
        self.drain(head.conn, assoc.conn, coord2.conn)
        answer = await self.coord.request("cycle_extend", cycle=cid)
        self.assert_ok(answer, {"cycle"})
        new = self.check_cycle(answer["cycle"])
        nid = new["cycle"]
        self.assertNotEqual(nid, cid)
        self.assertEqual((new["state"], new["previous"], new["headteacher"], new["associate"]),
                         ("active", cid, head.user, assoc.user))
        self.assertEqual(new.get("in_person_used", 0), 0)
        self.assertEqual(new.get("meetings_held", 0), 0)
        old = await self.show(self.coord, cid)
        self.assertEqual(old["state"], "extended")
        self.assertIn("ended_at", old)
        for conn in (head.conn, assoc.conn, coord2.conn):
            event = await self.cycle_event(conn, "extended")
            self.assertEqual(event["by"], self.coord_account.user)
        answer = await head.conn.request("request_create", school="Oak", region="north")
        self.assert_error(answer, "limit_reached")
        self.assertEqual(answer.get("cycle"), nid)
        self.assertEqual([c["cycle"] for c in (await head.conn.call("cycles"))["cycles"]], [nid, cid])
        self.assertEqual([c["cycle"] for c in (await assoc.conn.call("cycles"))["cycles"]], [nid, cid])
        await self.check_refusals("extended", cid, "extended", head, assoc, skip=("feedback_request",))
        answer = await self.coord.request("feedback_request", cycle=cid, questions=["Q"])
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "extended")
        # The new cycle counts only its own meetings, and its dates start from its own first one.
        answer = await self.propose(head.conn, assoc.user, *slots[5], mode="in_person")
        self.assert_ok(answer)
        m7 = answer["meeting"]
        self.assertEqual((m7["cycle"], m7["pairing"]), (nid, m1["pairing"]), "an extension keeps the pairing")
        first_day = slots[5][0].date()
        allowance = answer["cycle"]
        self.assertEqual((allowance["meetings_used"], allowance["cap"], allowance["review_due"],
                          allowance["starts_on"], allowance["ends_on"]),
                         (1, 6, False, first_day.isoformat(), months_later(first_day, 6).isoformat()))
        shown = await self.show(self.coord, nid)
        self.assertEqual((shown["state"], shown["starts_on"], shown["ends_on"], shown["in_person_used"]),
                         ("active", first_day.isoformat(), months_later(first_day, 6).isoformat(), 1))
        self.assert_ok(await head.conn.send_message(assoc.user, [(assoc.user, 1)]))

        # Closing: the pair lose access at once; the proposed meeting is cancelled.
        self.drain(head.conn, assoc.conn)
        answer = await self.coord.request("cycle_close", cycle=nid)
        self.assert_ok(answer, {"cycle"})
        self.assertEqual(answer["cycle"]["state"], "closed")
        for conn in (head.conn, assoc.conn):
            event = await self.cycle_event(conn, "closed", nid)
            self.assertEqual(event["by"], self.coord_account.user)
        self.assert_error(await head.conn.send_message(assoc.user, [(assoc.user, 1)]), "not_paired")
        self.assert_error(await assoc.conn.send_message(head.user, [(head.user, 1)]), "not_paired")
        self.assert_error(await self.propose(head.conn, assoc.user, *slots[6], mode="online"), "not_paired")
        await self.assert_no_event(head.conn, "meeting", wait=0.3)
        await self.assert_no_event(assoc.conn, "meeting", wait=0.1)
        meetings = await self.meetings_of(head.conn)
        gone = meetings[m7["id"]]
        self.assertEqual((gone["state"], gone.get("cancel_reason")), ("cancelled", "no_longer_needed"))
        # "when it is closed ... they lose that at once": no meeting ahead between them stays
        # accepted, not even those booked in the cycle that was extended.
        for m in ahead:
            with self.subTest("a closed partnership keeps no meeting ahead", meeting=m["id"]):
                self.assertEqual(meetings[m["id"]]["state"], "cancelled", meetings[m["id"]])
        answer = await self.coord.request("cycle_close", cycle=nid)
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "closed")
        # closed after being paired: feedback may be asked for.
        self.assert_ok(await self.coord.request("feedback_request", cycle=nid, questions=["How was it?"]))

        # Statistics: one meeting held over the two cycles, one cycle reached review.
        stats = await self.coord.call("stats")
        self.assertEqual(stats["cycles_reached_review"], 1)
        self.assertEqual(stats["cycles_by_state"]["extended"], 1)
        self.assertEqual(stats["cycles_by_state"]["closed"], 1)
        self.assertEqual(stats["meetings_held"]["total"], 1)
        # 7.39: time to pairing counts requests (the extension is none); meetings held every paired cycle.
        self.assertEqual((stats["time_to_pairing"]["count"], stats["meetings_held"]["cycles"]), (1, 2), stats)
        rows = {r["cycle"]: r for r in stats["cycles"]}
        self.assertEqual((rows[cid]["meetings_held"], rows[cid]["reached_review"]), (1, True))
        self.assertEqual((rows[nid]["meetings_held"], rows[nid]["reached_review"]), (0, False))

        # The coordinator's history of each cycle (docs/audit.md): the server's moves and the
        # coordinator's decisions, in order.
        history = (await self.coord.call("cycle_show", cycle=cid))["history"]
        actions = [(e["action"], e["actor"]) for e in history]
        for want in (("pairing_arranged", f"user:{self.coord_account.user}"), ("cycle_active", "server"),
                     ("cycle_review_due", "server"), ("cycle_extended", f"user:{self.coord_account.user}")):
            self.assertIn(want, actions, history)
        names = [a for a, _ in actions]
        self.assertLess(names.index("cycle_active"), names.index("cycle_review_due"))
        self.assertLess(names.index("cycle_review_due"), names.index("cycle_extended"))
        history = (await self.coord.call("cycle_show", cycle=nid))["history"]
        names = [e["action"] for e in history]
        self.assertIn("cycle_started", names, history)
        self.assertIn("cycle_closed", names, history)
        self.assertIn("feedback_requested", names, history)
        self.assertLess(names.index("cycle_started"), names.index("cycle_closed"))

    async def test_closing_keeps_the_meeting_in_progress(self):
        head, assoc, cycle = await self.paired()
        cid = cycle["cycle"]
        slots = await self.day_slots(assoc, 1)
        m1, start = await self.meeting_soon(head, assoc, lead=5, minutes=60, mode="online")
        later = await self.meeting(assoc, head, *slots[0], mode="online")
        await self.wait_until_past(start)
        await self.wait_state(self.coord, cid, "active")
        closed = (await self.coord.call("cycle_close", cycle=cid))["cycle"]
        self.assertEqual(closed["state"], "closed")
        meetings = await self.meetings_of(assoc.conn)
        self.assertEqual((meetings[later["id"]]["state"], meetings[later["id"]].get("cancel_reason")),
                         ("cancelled", "no_longer_needed"))
        with self.subTest("the meeting under way is not a future meeting (7.29)"):
            self.assertEqual(meetings[m1["id"]]["state"], "accepted", meetings[m1["id"]])
        with self.subTest("the meeting that took place still counts as held"):
            self.assertEqual((await self.show(self.coord, cid))["meetings_held"], 1)

    async def test_review_due_after_the_end_date(self):
        head, assoc, cycle = await self.paired()
        cid = cycle["cycle"]
        _, start = await self.meeting_soon(head, assoc, lead=5, mode="online")
        await self.wait_until_past(start)
        active = await self.wait_state(self.coord, cid, "active")
        self.assertEqual(active["ends_on"], "2027-05-23")
        # A meeting after the cycle's last day (Tuesday 25 May 2027, in term) needs the review first.
        after = datetime.datetime(2027, 5, 25, 9, 0, tzinfo=UTC)
        answer = await self.propose(head.conn, assoc.user, after, after + HOUR, mode="online")
        self.assert_error(answer, "cycle_review_due")
        self.assertEqual((answer.get("rule"), answer.get("ends_on")), ("cycle_length", "2027-05-23"), answer)
        # The server's date passes ends_on while it is stopped (a day after 23 May 2027).
        await self.restart_at(datetime.datetime(2027, 5, 24, 10, 0, tzinfo=UTC))
        due = await self.wait_state(self.coord, cid, "review_due")
        self.assertEqual(due["in_person_used"], 0)
        self.assertIn("review_at", due)
        answer = await self.propose(head.conn, assoc.user, after, after + HOUR, mode="online")
        self.assert_error(answer, "cycle_review_due")
        self.assertEqual(answer.get("rule"), "cycle_review", answer)
        # The pair still write to each other while the review is due; the coordinator closes it.
        self.assert_ok(await head.conn.send_message(assoc.user, [(assoc.user, 1)]))
        self.assertEqual((await self.coord.call("cycle_close", cycle=cid))["cycle"]["state"], "closed")
        self.assert_error(await head.conn.send_message(assoc.user, [(assoc.user, 1)]), "not_paired")


# ====================================================================================================
# 7.36 end_request, cycle_end and rematch
# ====================================================================================================

class EndEarlyTest(ProgrammeCase):
    async def test_end_request_then_end_with_rematch(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        head = await self.person("headteacher", "Hana Head")
        a = await self.associate("Old Associate", capacity=2)
        b = await self.associate("New Associate", capacity=2)
        canary = b"CANARY-REMATCH-" + secrets.token_hex(12).encode()
        concern = [{"user": self.coord_account.user, "body": b64e(sealed(canary))},
                   {"user": head.user, "body": b64e(sealed(canary))}]
        original = await self.open_request(head, school="Oak Primary", federation="Dale Federation", region="north",
                                           phase="primary", size_band="small", concern=concern)
        cid = original["cycle"]
        await head.conn.call("offers", cycle=cid)
        await head.conn.call("prefer", cycle=cid, associates=[a.user, b.user])
        await self.pair_request(cid, a)
        slots = await self.day_slots(a, 3)
        accepted = await self.meeting(head, a, *slots[0], mode="in_person", kind="initial")
        proposed = await self.meeting(a, head, *slots[1], mode="online", accept=False)
        self.drain(head.conn, a.conn, b.conn, self.coord, coord2.conn)

        # Either side asks; the request is recorded, the state does not change.
        for reason in ("bored", None):
            self.assert_error(await a.conn.request("end_request", cycle=cid, reason=reason), "invalid_field")
        answer = await a.conn.request("end_request", cycle=cid, reason="capacity")
        self.assert_ok(answer, {"cycle"})
        obj = answer["cycle"]
        self.assertEqual(obj["state"], "paired")
        self.assertEqual((obj["end_request"]["by"], obj["end_request"]["reason"]), (a.user, "capacity"))
        self.assert_time_near(obj["end_request"]["at"])
        self.check_cycle(obj, "associate")
        for conn in (self.coord, coord2.conn, head.conn):
            event = await self.cycle_event(conn, "end_requested", cid)
            self.assertEqual(event["by"], a.user)
        await self.assert_no_cycle_event(a.conn, "end_requested")
        answer = await head.conn.call("end_request", cycle=cid, reason="not_working")
        self.assertEqual((answer["cycle"]["end_request"]["by"], answer["cycle"]["end_request"]["reason"]),
                         (head.user, "not_working"))
        await self.cycle_event(a.conn, "end_requested", cid)
        self.assertEqual((await self.show(self.coord, cid))["end_request"]["by"], head.user)
        self.assertEqual(await self.state_of(cid), "paired")
        self.assert_error(await self.coord.request("end_request", cycle=cid, reason="other"), "forbidden")
        self.assert_error(await b.conn.request("end_request", cycle=cid, reason="other"), "not_found")

        # The coordinator ends it early, with a rematch.
        for fields in ({"reason": "x"}, {"reason": "other", "rematch": "yes"}, {"reason": "other", "rematch": None}):
            self.assert_error(await self.coord.request("cycle_end", cycle=cid, **fields), "invalid_field")
        self.assert_error(await head.conn.request("cycle_end", cycle=cid, reason="other"), "forbidden")
        self.drain(head.conn, a.conn, coord2.conn)
        answer = await self.coord.request("cycle_end", cycle=cid, reason="not_working", rematch=True)
        self.assert_ok(answer, {"cycle", "rematch"})
        ended, rematch = answer["cycle"], self.check_cycle(answer["rematch"])
        self.assertEqual((ended["state"], ended["reason"]), ("ended_early", "not_working"))
        self.assert_time_near(ended["ended_at"])
        self.assertNotIn("end_request", ended, "the coordinator has decided")
        rid = rematch["cycle"]
        self.assertEqual((rematch["state"], rematch["headteacher"]), ("requested", head.user))
        for name, value in (("school", "Oak Primary"), ("federation", "Dale Federation"), ("region", "north"),
                            ("phase", "primary"), ("size_band", "small")):
            self.assertEqual(rematch[name], value)
        for name in ("associate", "concern", "previous", "end_request"):
            self.assertNotIn(name, rematch)
        self.assertFalse(rematch.get("preferences"), "no preferences")
        self.assertNotIn("concern", await self.show(head.conn, rid))
        self.assertNotIn("concern", await self.show(self.coord, rid))

        event = await self.cycle_event(head.conn, "ended_early", cid)
        self.assertEqual(event["by"], self.coord_account.user)
        await self.cycle_event(head.conn, "requested", rid)
        await self.cycle_event(a.conn, "ended_early", cid)
        await self.cycle_event(coord2.conn, "ended_early", cid)

        # 7.29: no `meeting` event for the meetings the ending cancelled (the cycle event says it).
        await self.assert_no_event(a.conn, "meeting", wait=0.5)
        await self.assert_no_event(head.conn, "meeting", wait=0.1)
        # The old associate loses access at once, on the connection they already have.
        self.assert_error(await a.conn.send_message(head.user, [(head.user, 1)]), "not_paired")
        self.assert_error(await head.conn.send_message(a.user, [(a.user, 1)]), "not_paired")
        self.assert_error(await a.conn.request("bundle", user=head.user), "not_paired")
        self.assert_error(await self.propose(a.conn, head.user, *slots[2], mode="online"), "not_paired")
        meetings = await self.meetings_of(a.conn)
        for m in (accepted, proposed):
            self.assertEqual((meetings[m["id"]]["state"], meetings[m["id"]].get("cancel_reason")),
                             ("cancelled", "no_longer_needed"))
        self.assertEqual([c["cycle"] for c in (await a.conn.call("cycles"))["cycles"]], [cid])
        self.assert_error(await a.conn.request("cycle_show", cycle=rid), "not_found")
        self.assertEqual((await self.profile_of(a))["load"], 0)
        answer = await a.conn.request("end_request", cycle=cid, reason="other")
        self.assert_error(answer, "wrong_state")
        self.assertEqual(answer.get("state"), "ended_early")
        answer = await self.coord.request("cycle_end", cycle=cid, reason="other")
        self.assert_error(answer, "wrong_state")
        answer = await head.conn.request("request_create", school="Oak Primary", region="north")
        self.assert_error(answer, "limit_reached")
        self.assertEqual(answer.get("cycle"), rid)

        # The new associate sees nothing of the earlier partnership.
        b.conn.events.clear()
        await self.pair_request(rid, b)
        event = await self.cycle_event(b.conn, "paired", rid)
        self.assertEqual(event.get("prompt"), "make_contact")
        view = self.check_cycle(event["cycle"], "associate")
        self.assertNotIn("previous", view)
        self.assertEqual([c["cycle"] for c in (await b.conn.call("cycles"))["cycles"]], [rid])
        for state in STATES:
            for c in (await b.conn.call("cycles", state=state))["cycles"]:
                self.assertEqual(c["cycle"], rid)
        self.assert_error(await b.conn.request("cycle_show", cycle=cid), "not_found")
        self.check_cycle(await self.show(b.conn, rid), "associate")
        self.assert_error(await b.conn.request("feedback", cycle=cid), "not_found")
        self.assert_ok(await b.conn.send_message(head.user, [(head.user, 1)]))
        self.assert_ok(await head.conn.send_message(b.user, [(b.user, 1)]))
        self.assert_error(await head.conn.send_message(a.user, [(a.user, 1)]), "not_paired")
        contacts = {c["user"] for c in (await head.conn.call("contacts"))["contacts"]}
        self.assertIn(b.user, contacts)
        self.assertNotIn(a.user, contacts)
        self.assertNotIn(head.user, {c["user"] for c in (await a.conn.call("contacts"))["contacts"]})
        for text in b.conn.raw:
            message = json.loads(text)
            for obj in (message.get("cycle"), message.get("rematch")):
                if isinstance(obj, dict):
                    self.assertNotEqual(obj.get("cycle"), cid, text)
            for c in message.get("cycles", []):
                self.assertNotEqual(c.get("cycle"), cid)
        self.assert_never_received(b.conn, [canary])
        self.assert_never_received(a.conn, [canary])

    async def test_end_without_rematch_from_active_and_paired(self):
        head, assoc, cycle = await self.paired()
        cid = cycle["cycle"]
        answer = await self.coord.request("cycle_end", cycle=cid, reason="conflict_of_interest")
        self.assert_ok(answer, {"cycle"})
        self.assertEqual((answer["cycle"]["state"], answer["cycle"]["reason"]), ("ended_early", "conflict_of_interest"))
        self.assertNotIn("end_request", answer["cycle"])
        self.assert_error(await head.conn.send_message(assoc.user, [(assoc.user, 1)]), "not_paired")
        # No open cycle is left: the headteacher may ask again.
        await self.open_request(head)
        # Every reason is accepted, by both sides.
        for reason in ("not_working", "conflict_of_interest", "moved_school", "capacity", "other"):
            h = await self.person("headteacher", f"Head {reason}")
            c = (await self.open_request(h))["cycle"]
            await self.pair_request(c, await self.associate(f"Assoc {reason}"))
            self.assertEqual((await h.conn.call("end_request", cycle=c, reason=reason))["cycle"]["end_request"]["reason"],
                             reason)
            self.assertEqual((await self.coord.call("cycle_end", cycle=c, reason=reason, rematch=False))["cycle"]["reason"],
                             reason)


# ====================================================================================================
# 7.37 feedback with the consent gate
# ====================================================================================================

class FeedbackTest(ProgrammeCase):
    async def ended_pair(self):
        head, assoc, cycle = await self.paired()
        await self.coord.call("cycle_end", cycle=cycle["cycle"], reason="other")
        return head, assoc, cycle["cycle"]

    async def test_consent_gate_and_canary(self):
        coord2 = await self.person("coordinator", "Coordinator Two")
        head, assoc, cid = await self.ended_pair()
        canary = b"CANARY-FEEDBACK-" + secrets.token_hex(12).encode()
        questions = ["What went well?", "What could be better?", "Would you recommend the scheme?"]
        self.drain(head.conn, assoc.conn, coord2.conn)

        answer = await self.coord.request("feedback_request", cycle=cid, questions=questions)
        self.assert_ok(answer, {"feedback"})
        fb = answer["feedback"]
        self.assertEqual((fb["cycle"], fb["asked_by"], fb["questions"]), (cid, self.coord_account.user, questions))
        self.assert_time_near(fb["asked_at"])
        self.assertNotIn("submitted_at", fb)
        event = await self.cycle_event(head.conn, "feedback_requested", cid)
        self.assertEqual((event["by"], event["cycle"]["feedback"]), (self.coord_account.user, "requested"))
        await self.cycle_event(coord2.conn, "feedback_requested", cid)
        await self.assert_no_cycle_event(assoc.conn, "feedback_requested")
        self.assertEqual((await self.show(self.coord, cid))["feedback"], "requested")
        answer = await coord2.conn.request("feedback_request", cycle=cid, questions=["Again?"])
        self.assert_error(answer, "limit_reached")

        # Before anything is released the associate sees that feedback was asked for, and nothing else.
        seen = (await assoc.conn.call("feedback", cycle=cid))["feedback"]
        self.assertEqual(set(seen), {"cycle", "asked_by", "asked_at", "released"}, seen)
        self.assertEqual(seen["released"], [])

        # The headteacher answers items 1 and 3; item 2 stays unanswered. Item 1 with an own copy.
        c1, h1, c3 = sealed(canary), sealed(canary), sealed(canary)
        answers = [{"item": 1, "bodies": [{"user": self.coord_account.user, "body": b64e(c1)},
                                          {"user": head.user, "body": b64e(h1)}]},
                   {"item": 3, "bodies": [{"user": self.coord_account.user, "body": b64e(c3)}]}]
        self.drain(self.coord, coord2.conn)
        answer = await head.conn.request("feedback_submit", cycle=cid, answers=answers)
        self.assert_ok(answer, {"feedback"})
        mine = answer["feedback"]
        self.assert_time_near(mine["submitted_at"])
        self.assertEqual(mine["questions"], questions)
        by_item = {a["item"]: a for a in mine["answers"]}
        self.assertEqual(set(by_item), {1, 3})
        self.assertEqual(b64d(by_item[1]["body"]), h1)
        self.assertNotIn("body", by_item[3], "the headteacher kept no copy of item 3")
        event = await self.cycle_event(self.coord, "feedback_submitted", cid)
        self.assertEqual((event["by"], event["cycle"]["feedback"]), (head.user, "submitted"))
        await self.assert_no_cycle_event(assoc.conn, "feedback_submitted")
        again = await head.conn.request("feedback_submit", cycle=cid, answers=answers)
        self.assert_error(again, "wrong_state")
        self.assertEqual(again.get("state"), "submitted", again)

        # Each reader gets only their own copies.
        asker = (await self.coord.call("feedback", cycle=cid))["feedback"]
        self.assertEqual({a["item"]: b64d(a["body"]) for a in asker["answers"]}, {1: c1, 3: c3})
        other = (await coord2.conn.call("feedback", cycle=cid))["feedback"]
        self.assertEqual(other["questions"], questions)
        self.assertTrue(all("body" not in a for a in other["answers"]), other)
        self.assertEqual((await assoc.conn.call("feedback", cycle=cid))["feedback"]["released"], [])

        # Releases: item 1 only. The associate gets the release event and its body, nothing else.
        r1 = sealed(b"RELEASED-ONE")
        self.assert_error(await head.conn.request("feedback_release", cycle=cid, item=2, body=b64e(sealed())),
                          "not_found")
        self.assert_error(await head.conn.request("feedback_release", cycle=cid, item=4, body=b64e(sealed())),
                          "not_found")
        self.assert_error(await head.conn.request("feedback_release", cycle=cid, item=1, body=""), "invalid_field")
        self.assert_error(await head.conn.request("feedback_release", cycle=cid, item=1,
                                                  body=b64e(os.urandom(8193))), "invalid_field")
        answer = await head.conn.request("feedback_release", cycle=cid, item=1, body=b64e(r1))
        self.assert_ok(answer, {"feedback"})
        released_at = {a["item"]: a.get("released_at") for a in answer["feedback"]["answers"]}
        self.assert_time_near(released_at[1])
        self.assertIsNone(released_at[3])
        event = await self.cycle_event(assoc.conn, "feedback_released", cid)
        self.assertEqual((event["by"], event["item"]), (head.user, 1))
        self.check_cycle(event["cycle"], "associate")
        await self.assert_no_cycle_event(self.coord, "feedback_released")
        await self.assert_no_cycle_event(coord2.conn, "feedback_released")
        seen = (await assoc.conn.call("feedback", cycle=cid))["feedback"]
        self.assertEqual(set(seen), {"cycle", "asked_by", "asked_at", "released"}, seen)
        self.assertEqual(len(seen["released"]), 1)
        item = seen["released"][0]
        self.assertEqual(set(item), {"item", "question", "body", "released_at"})
        self.assertEqual((item["item"], item["question"], b64d(item["body"])), (1, questions[0], r1))
        # Releasing again replaces the body.
        r1b = sealed(b"RELEASED-AGAIN")
        await head.conn.call("feedback_release", cycle=cid, item=1, body=b64e(r1b))
        await self.cycle_event(assoc.conn, "feedback_released", cid)
        seen = (await assoc.conn.call("feedback", cycle=cid))["feedback"]
        self.assertEqual([(r["item"], b64d(r["body"])) for r in seen["released"]], [(1, r1b)])
        self.assertIn("released_at", [a for a in (await self.coord.call("feedback", cycle=cid))["feedback"]["answers"]
                                      if a["item"] == 1][0])
        # Item 3 released without an own copy: allowed (the server does not read bodies).
        r3 = sealed(b"RELEASED-THREE")
        await head.conn.call("feedback_release", cycle=cid, item=3, body=b64e(r3))
        seen = (await assoc.conn.call("feedback", cycle=cid))["feedback"]
        self.assertEqual(sorted((r["item"], r["question"], b64d(r["body"])) for r in seen["released"]),
                         [(1, questions[0], r1b), (3, questions[2], r3)])
        for conn in (assoc.conn,):
            for c in (await conn.call("cycles"))["cycles"]:
                self.check_cycle(c, "associate")

        # The unreleased bodies (and every coordinator's and headteacher's copy) never reached the
        # associate in any answer or event; the questions of unreleased items neither.
        self.assert_never_received(assoc.conn, [canary], [c1, h1, c3])
        for text in assoc.conn.raw:
            self.assertNotIn(questions[1], text)

    async def test_feedback_rules(self):
        head, assoc, cid = await self.ended_pair()
        paired_head, _, paired = await self.paired("Paired Head", "Paired Associate")
        declined_head = await self.person("headteacher", "Declined Head")
        declined = (await self.open_request(declined_head))["cycle"]
        await self.coord.call("request_decline", cycle=declined, reason="other")
        for cycle_id, state in ((paired["cycle"], "paired"), (declined, "closed")):
            answer = await self.coord.request("feedback_request", cycle=cycle_id, questions=["Q"])
            self.assert_error(answer, "wrong_state")
            self.assertEqual(answer.get("state"), state)
        for questions in ([], ["q"] * 11, ["x" * 501], [""], "Q", [1]):
            with self.subTest(questions=str(questions)[:30]):
                self.assert_error(await self.coord.request("feedback_request", cycle=cid, questions=questions),
                                  "invalid_field")
        for conn in (self.coord, head.conn, assoc.conn):
            self.assert_error(await conn.request("feedback", cycle=cid), "not_found")
        self.assert_ok(await self.coord.request("feedback_request", cycle=cid, questions=["x" * 500] + ["q"] * 9))

        me = self.coord_account.user
        ok_body = b64e(sealed())
        bad = [
            [],
            [{"item": 0, "bodies": [{"user": me, "body": ok_body}]}],
            [{"item": 1, "bodies": []}],
            [{"item": 1, "bodies": [{"user": me, "body": ok_body}, {"user": head.user, "body": ok_body},
                                    {"user": head.user, "body": ok_body}]}],
            [{"item": 1, "bodies": [{"user": me, "body": ok_body}]}, {"item": 1, "bodies": [{"user": me, "body": ok_body}]}],
            [{"item": 1, "bodies": [{"user": me, "body": ""}]}],
            [{"item": 1, "bodies": [{"user": me, "body": b64e(os.urandom(8193))}]}],
            [{"item": i, "bodies": [{"user": me, "body": ok_body}]} for i in range(1, 12)],
        ]
        for answers in bad:
            with self.subTest(answers=str(answers)[:80]):
                self.assert_error(await head.conn.request("feedback_submit", cycle=cid, answers=answers), "invalid_field")
        # Bodies for someone other than the coordinator who asked and the headteacher are refused.
        for answers in ([{"item": 1, "bodies": [{"user": head.user, "body": ok_body}]}],
                        [{"item": 1, "bodies": [{"user": me, "body": ok_body}, {"user": assoc.user, "body": ok_body}]}],
                        [{"item": 11, "bodies": [{"user": me, "body": ok_body}]}]):
            with self.subTest(owners=str(answers)[:80]):
                answer = await head.conn.request("feedback_submit", cycle=cid, answers=answers)
                self.assertEqual(answer["type"], "error", answer)
        self.assertNotIn("submitted_at", (await head.conn.call("feedback", cycle=cid))["feedback"])
        self.assert_error(await head.conn.request("feedback_release", cycle=cid, item=1, body=ok_body), "not_found")

        # Strangers do not see it.
        stranger = await self.person("headteacher", "Stranger Head")
        other_assoc = await self.associate("Other Associate")
        self.assert_error(await stranger.conn.request("feedback", cycle=cid), "not_found")
        self.assert_error(await other_assoc.conn.request("feedback", cycle=cid), "not_found")
        self.assert_error(await stranger.conn.request("feedback_submit", cycle=cid,
                                                      answers=[{"item": 1, "bodies": [{"user": me, "body": ok_body}]}]),
                          "not_found")
        self.assert_error(await paired_head.conn.request("feedback", cycle=paired["cycle"]), "not_found")
        self.assert_ok(await head.conn.request("feedback_submit", cycle=cid,
                                               answers=[{"item": 10, "bodies": [{"user": me, "body": ok_body}]}]))


# ====================================================================================================
# 7.38 meeting notes
# ====================================================================================================

class NotesTest(ProgrammeCase):
    async def test_note_rules_and_notice(self):
        head, assoc, cycle = await self.paired()
        head2, assoc2, _ = await self.paired("Other Head", "Other Associate")
        canary = b"CANARY-NOTE-" + secrets.token_hex(12).encode()
        slots = await self.day_slots(assoc, 2)
        soon, start = await self.meeting_soon(head, assoc, lead=8, kind="initial")
        future = await self.meeting(assoc, head, *slots[0], mode="online")
        proposed = await self.meeting(head, assoc, *slots[1], mode="phone", accept=False)

        for m in (soon, future, proposed):
            answer = await assoc.conn.request("note_write", meeting=m["id"], body=b64e(sealed(canary)))
            self.assert_error(answer, "wrong_state")
        self.assert_error(await head.conn.request("note_write", meeting=soon["id"], body=b64e(sealed())), "forbidden")
        self.assert_error(await self.coord.request("note_write", meeting=soon["id"], body=b64e(sealed())), "forbidden")
        self.assertEqual((await assoc.conn.call("notes"))["notes"], [])
        self.assertEqual((await head.conn.call("notes"))["notes"], [])

        await self.wait_until_past(start)
        self.assert_error(await assoc.conn.request("note_write", meeting=soon["id"], body=""), "invalid_field")
        self.assert_error(await assoc.conn.request("note_write", meeting=soon["id"], body=b64e(os.urandom(8193))),
                          "invalid_field")
        self.assert_error(await assoc.conn.request("note_write", meeting=soon["id"]), "missing_field")
        self.assert_error(await assoc2.conn.request("note_write", meeting=soon["id"], body=b64e(sealed())), "not_found")
        self.assert_error(await assoc.conn.request("note_write", meeting=999999, body=b64e(sealed())), "not_found")
        for _ in range(20):  # the server's clock may lag the harness's by a little
            n1 = sealed(canary)
            answer = await assoc.conn.request("note_write", meeting=soon["id"], body=b64e(n1))
            if answer.get("code") != "wrong_state":
                break
            await asyncio.sleep(0.25)
        self.assert_ok(answer, {"meeting", "written_at", "updated_at"})
        self.assertEqual(answer["meeting"], soon["id"])
        self.assertEqual(answer["written_at"], answer["updated_at"])
        written_at = answer["written_at"]
        notice = await head.conn.next_event("note_notice")
        self.assertEqual(set(notice) - {"type"}, {"meeting", "written_at"}, notice)
        self.assertEqual((notice["meeting"], notice["written_at"]), (soon["id"], written_at))

        await asyncio.sleep(0.05)
        n2 = sealed(canary)
        answer = await assoc.conn.call("note_write", meeting=soon["id"], body=b64e(n2))
        self.assertEqual(answer["written_at"], written_at)
        self.assertGreater(parse_time(answer["updated_at"]), parse_time(written_at))
        await self.assert_no_event(head.conn, "note_notice", wait=1.0)

        notes = (await assoc.conn.call("notes"))["notes"]
        self.assertEqual(len(notes), 1)
        self.assertEqual(set(notes[0]), {"meeting", "written_at", "updated_at", "body"})
        self.assertEqual((notes[0]["meeting"], notes[0]["written_at"], b64d(notes[0]["body"])),
                         (soon["id"], written_at, n2))
        self.assertEqual((await assoc.conn.call("notes", meeting=soon["id"]))["notes"], notes)
        self.assertEqual((await assoc.conn.call("notes", meeting=future["id"]))["notes"], [])
        seen = (await head.conn.call("notes"))["notes"]
        self.assertEqual(seen, [{"meeting": soon["id"], "written_at": written_at, "by": assoc.user}])
        self.assertEqual((await head2.conn.call("notes"))["notes"], [])
        self.assertEqual((await assoc2.conn.call("notes"))["notes"], [])
        self.assert_never_received(head.conn, [canary], [n1, n2])
        self.assert_never_received(head2.conn, [canary], [n1, n2])
        self.assert_never_received(self.coord, [canary], [n1, n2])

        # The meeting took place, so the cycle is active; ending it early cancels the meetings ahead
        # (accepted and proposed) but not the one that took place.
        await self.wait_state(self.coord, cycle["cycle"], "active")
        asked = (await head.conn.call("end_request", cycle=cycle["cycle"], reason="moved_school"))["cycle"]
        self.assertEqual((asked["state"], asked["end_request"]["by"]), ("active", head.user))
        answer = await self.coord.request("cycle_end", cycle=cycle["cycle"], reason="moved_school")
        self.assert_ok(answer, {"cycle"})
        self.assertEqual(answer["cycle"]["state"], "ended_early")
        meetings = await self.meetings_of(head.conn)
        for m in (future, proposed):
            self.assertEqual((meetings[m["id"]]["state"], meetings[m["id"]].get("cancel_reason")),
                             ("cancelled", "no_longer_needed"))
        self.assert_error(await assoc.conn.send_message(head.user, [(head.user, 1)]), "not_paired")
        with self.subTest("a meeting whose start has passed is not a future meeting (7.29)"):
            self.assertEqual(meetings[soon["id"]]["state"], "accepted", meetings[soon["id"]])
        with self.subTest("the meeting that took place still counts as held"):
            self.assertEqual((await self.show(self.coord, cycle["cycle"]))["meetings_held"], 1)
        with self.subTest("... in the statistics too"):
            row = [r for r in (await self.coord.call("stats"))["cycles"] if r["cycle"] == cycle["cycle"]][0]
            self.assertEqual(row["meetings_held"], 1, row)


# ====================================================================================================
# 7.39 stats
# ====================================================================================================

class StatsTest(ProgrammeCase):
    async def test_counts_time_to_pairing_and_rows(self):
        a1 = await self.associate("A1", capacity=2)
        a2 = await self.associate("A2", capacity=1)
        bare = await self.person("associate", "No Profile")
        heads = {name: await self.person("headteacher", f"Head {name}")
                 for name in ("quick", "offered", "withdrawn", "declined", "waiting", "slow")}
        cycles = {name: (await self.open_request(h))["cycle"] for name, h in heads.items()}
        await self.pair_request(cycles["quick"], a1)
        await heads["offered"].conn.call("offers", cycle=cycles["offered"])
        await heads["withdrawn"].conn.call("request_withdraw", cycle=cycles["withdrawn"])
        await self.coord.call("request_decline", cycle=cycles["declined"], reason="duplicate")

        # Five hours pass (the server's clock jumps across a restart) before the slow one is paired.
        await self.restart_at(self.server.now() + 5 * HOUR)
        await self.pair_request(cycles["slow"], a2)
        await self.coord.call("cycle_end", cycle=cycles["quick"], reason="moved_school")

        answer = await self.coord.request("stats")
        self.assert_ok(answer, STATS_MEMBERS)
        self.assert_time_near(answer["generated_at"])
        self.assertEqual(answer["cycles_by_state"], {
            "requested": 1, "offered": 1, "preferred": 0, "paired": 1, "active": 0, "review_due": 0,
            "extended": 0, "closed": 2, "ended_early": 1})
        ttp = answer["time_to_pairing"]
        self.assertEqual(set(ttp), {"count", "median_hours", "max_hours"})
        self.assertEqual((ttp["count"], ttp["median_hours"], ttp["max_hours"]), (2, 2.5, 5.0))
        self.assertEqual(answer["active_cycles"], 0)
        self.assertEqual(answer["meetings_held"], {"total": 0, "cycles": 2, "mean_per_cycle": 0})
        self.assertEqual(answer["cycles_reached_review"], 0)
        associates = {r["user"]: r for r in answer["associates"]}
        self.assertEqual(associates, {
            a1.user: {"user": a1.user, "display_name": "A1", "status": "approved", "load": 0, "capacity": 2},
            a2.user: {"user": a2.user, "display_name": "A2", "status": "approved", "load": 1, "capacity": 1},
            bare.user: {"user": bare.user, "display_name": "No Profile", "status": "pending", "load": 0, "capacity": 1}})

        rows = answer["cycles"]
        self.assertEqual([r["cycle"] for r in rows], sorted(cycles.values()))
        by_id = {r["cycle"]: r for r in rows}
        for r in rows:
            self.assertTrue(set(r) <= STATS_ROW_MEMBERS, r)
            for name in ("cycle", "state", "headteacher", "requested_at", "meetings_held", "reached_review"):
                self.assertIn(name, r)
            self.assertIs(r["reached_review"], False)
            self.assertEqual(r["meetings_held"], 0)
        quick, slow = by_id[cycles["quick"]], by_id[cycles["slow"]]
        self.assertEqual((quick["state"], quick["associate"], quick["hours_to_pairing"]), ("ended_early", a1.user, 0.0))
        self.assertEqual((slow["state"], slow["associate"], slow["hours_to_pairing"]), ("paired", a2.user, 5.0))
        self.assertIn("paired_at", quick)
        for name in ("waiting", "offered", "withdrawn", "declined"):
            row = by_id[cycles[name]]
            self.assertEqual(row["headteacher"], heads[name].user)
            for absent in ("associate", "paired_at", "hours_to_pairing"):
                self.assertNotIn(absent, row)
        self.assertEqual(by_id[cycles["waiting"]]["state"], "requested")
        self.assertEqual(by_id[cycles["withdrawn"]]["state"], "closed")
        self.assert_error(await self.coord.request("stats", cycle=1), "unknown_field")

    async def test_empty_programme(self):
        answer = await self.coord.call("stats")
        self.assertEqual(answer["cycles_by_state"], {s: 0 for s in STATES})
        self.assertEqual(answer["time_to_pairing"], {"count": 0, "median_hours": 0, "max_hours": 0})
        self.assertEqual((answer["active_cycles"], answer["cycles_reached_review"], answer["cycles"],
                          answer["associates"]), (0, 0, [], []))


# ====================================================================================================
# The audit trail
# ====================================================================================================

class AuditTest(ProgrammeCase):
    log_level = "trace"

    async def test_history_and_chain(self):
        head = await self.person("headteacher", "Hana Head")
        profile_text = "PROFILE-TEXT-" + secrets.token_hex(8)
        a = await self.associate("Old Associate", summary=profile_text + " summary", school=profile_text + " School",
                                 availability=profile_text + " Mondays", skills=[profile_text])
        b = await self.associate("New Associate")
        canary = b"CANARY-AUDIT-" + secrets.token_hex(12).encode()
        bodies = [sealed(canary) for _ in range(3)]
        cid = (await self.open_request(head, concern=[{"user": self.coord_account.user, "body": b64e(bodies[0])},
                                                      {"user": head.user, "body": b64e(bodies[1])}]))["cycle"]
        await head.conn.call("offers", cycle=cid)
        await head.conn.call("prefer", cycle=cid, associates=[a.user])
        await self.pair_request(cid, a)
        slot = (await self.day_slots(a, 1))[0]
        ahead = await self.meeting(head, a, *slot, mode="online", kind="initial")
        await a.conn.call("end_request", cycle=cid, reason="capacity")
        rid = (await self.coord.call("cycle_end", cycle=cid, reason="capacity", rematch=True))["rematch"]["cycle"]
        await self.pair_request(rid, b)
        await self.coord.call("feedback_request", cycle=cid, questions=["How was it?"])
        await head.conn.call("feedback_submit", cycle=cid, answers=[
            {"item": 1, "bodies": [{"user": self.coord_account.user, "body": b64e(bodies[2])}]}])

        answer = await self.coord.request("cycle_show", cycle=cid)
        self.assert_ok(answer, {"cycle", "history"})
        history = answer["history"]
        self.assertGreaterEqual(len(history), 7, history)  # request, offers, prefer, pair, end request, end, feedback
        for entry in history:
            self.assertEqual(set(entry), {"at", "action", "actor"}, entry)
            parse_time(entry["at"])
            self.assertIsInstance(entry["action"], str)
            self.assertTrue(entry["action"])
        self.assertEqual([e["at"] for e in history], sorted(e["at"] for e in history), "in order")
        actors = {e["actor"] for e in history}
        for user in (head.user, a.user, self.coord_account.user):
            self.assertIn(f"user:{user}", actors, history)
        coord, h, assoc = (f"user:{x}" for x in (self.coord_account.user, head.user, a.user))
        expected = [("request_created", h), ("offers_sent", h), ("preferences_set", h), ("pairing_arranged", coord),
                    ("end_requested", assoc), ("cycle_ended_early", coord), ("feedback_requested", coord),
                    ("feedback_submitted", h)]
        got = [(e["action"], e["actor"]) for e in history]
        self.assertEqual([x for x in got if x in expected], expected, history)
        rematch_history = (await self.coord.call("cycle_show", cycle=rid))["history"]
        self.assertEqual([(e["action"], e["actor"]) for e in rematch_history][:2],
                         [("request_created", coord), ("pairing_arranged", coord)], rematch_history)
        for conn in (head.conn, a.conn):
            self.assertNotIn("history", await conn.call("cycle_show", cycle=cid))
        self.assertNotIn("history", await b.conn.call("cycle_show", cycle=rid))

        await self.stop_server()
        done = self.server.command("audit", "verify")
        self.assertEqual(done.returncode, 0, done.stderr.decode() + done.stdout.decode())
        self.assertIn("intact", done.stdout.decode())
        export = self.server.command("audit", "export")
        self.assertEqual(export.returncode, 0, export.stderr.decode())
        entries = [json.loads(line) for line in export.stdout.decode().splitlines() if line.strip()]
        self.assertGreater(len(entries), len(history))
        self.assertEqual([e["seq"] for e in entries], list(range(1, len(entries) + 1)))
        cancelled = [e for e in entries if e["action"] == "meeting_cancelled" and e["object"] == f"meeting:{ahead['id']}"]
        self.assertEqual(len(cancelled), 1, "the meeting ahead of the ended partnership was cancelled, audited")
        self.assertEqual(cancelled[0]["actor"], coord)
        self.assertEqual(cancelled[0]["detail"].get("reason"), "no_longer_needed", cancelled[0])
        for e in entries:
            self.assertNotIn(profile_text, json.dumps(e, ensure_ascii=False), "no profile text in the audit log")
        needles = [canary, canary.hex().encode()] + [b64e(b).encode() for b in bodies]
        for path in self.server.files():
            with open(path, "rb") as f:
                data = f.read()
            for n in needles:
                self.assertNotIn(n, data, path)
        for text in (export.stdout.decode(), self.server.stdout(), self.server.stderr()):
            for n in needles:
                self.assertNotIn(n.decode(), text)


if __name__ == "__main__":
    main()
