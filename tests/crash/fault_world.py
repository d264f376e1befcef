"""What io_faults.py and disk_full.py share (issue 9, storage faults): a real confidantd with one
paired headteacher and associate made through the protocol, a sender whose every message carries a
unique marker and whose every answer is recorded, a receiver that acknowledges what arrives, and
the final verification on a server started without any fault:

- every request that never got an `ok` (an error answer, or no answer) is sent again with the same
  `message_id` and must now be accepted; when that answer comes from before the fault run (the
  idempotence record), the request had been stored although it was refused: a "ghost". Protocol
  3.3 allows one only for `internal_error` after a storage failure followed by a crash (a commit
  whose log sync failed is found by the restart's recovery); without a crash it is a failure;
- acknowledged messages sent again must be answered exactly as the first time (nothing forgotten);
- the associate drains its mailbox: every acknowledged message arrives under the id of its `ok`,
  no marker arrives under two ids and no id carries two markers; a fresh login has nothing pending;
- the server stops with exit 0 on SIGTERM and `confidantd check` (integrity_check,
  cipher_integrity_check, the audit chain) exits 0;
- no server log and no error answer contains message text (the markers, or a body's base64).

It reuses tests/system (harness.Server, confidant_proto.Connection) by path, like crash_loop.py.
"""

import asyncio
import collections
import datetime
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..", "system")))
import harness  # noqa: E402
import websockets  # noqa: E402
from confidant_proto import Closed, Connection, DeviceKeys, b64d, b64e, parse_time  # noqa: E402
from harness import Server  # noqa: E402
from proto_case import CODE_LINE  # noqa: E402

CLOCK_START = "2026-11-23T10:00:00.000Z"  # a term-time Monday morning: nothing is held
LIMITS = {"send_burst": 100000, "send_per_second": 100000}  # faults are measured, not the rate limit
REQUEST_TIMEOUT = 15.0
MARKER = re.compile(rb"^CANARY-storage-fault ([0-9]+)\n")
# The code protocol.md section 6 gives for a storage failure.
STORAGE_ERROR = "internal_error"
# What a connection may do when the server stops under it.
LOST = (Closed, ConnectionError, OSError, EOFError, asyncio.TimeoutError, websockets.WebSocketException)


class Failure(Exception):
    pass


class Person:
    def __init__(self, name, user, keys):
        self.name, self.user, self.keys = name, user, keys


class Message:
    """One `send` from its creation to its `ok`: the same id and envelopes on every resend."""

    def __init__(self, marker, fields, text):
        self.marker, self.fields, self.text = marker, fields, text
        self.answer = None  # the first ok, without its rid
        self.errors = []  # codes of error answers
        self.unanswered = 0  # attempts cut off (connection lost, timeout)
        self.ghost = False


class World:
    def __init__(self, server, body_bytes=(32, 200)):
        self.server = server
        self.body_bytes = body_bytes
        self.head = self.assoc = None
        self.seq = 0
        self.messages = collections.OrderedDict()  # marker -> Message
        self.received = collections.defaultdict(set)  # marker -> server ids delivered
        self.id_marker = {}  # server id -> marker
        self.problems = []
        self.stats = collections.Counter()
        self.error_texts = []  # every error answer's text, checked for message text at the end
        # Set when the faulty run ended in a SIGKILL: a commit whose log sync failed can then
        # come back at the restart (protocol 3.3: internal_error after a storage failure), so
        # a ghost is counted instead of failing; without a crash none may exist.
        self.crashed = False

    def fail(self, text):
        self.problems.append(text)

    async def in_thread(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

    # --- setup ------------------------------------------------------------------------------------

    async def connect(self):
        conn = await Connection.open(self.server.ws_url)
        await conn.hello()
        return conn

    async def register(self, code, name):
        keys = DeviceKeys(one_time=5)
        conn = await self.connect()
        answer = await conn.call("register", **keys.register_fields(code))
        await conn.close()
        return Person(name, answer["user"], keys)

    async def setup(self):
        """init, a coordinator from `confidantd invite`, a paired headteacher and associate; then
        SIGTERM (exit 0). The server is left stopped."""
        await self.in_thread(self.server.init)
        done = await self.in_thread(lambda: self.server.command("invite", "--role", "coordinator", "--name", "Coordinator"))
        if done.returncode != 0:
            raise Failure(f"confidantd invite failed ({done.returncode}): {done.stderr.decode()}")
        code = CODE_LINE.search(done.stdout.decode()).group(1)
        await self.in_thread(self.server.start)
        coordinator = await self.register(code, "coordinator")
        coord = await self.connect()
        await coord.login(coordinator.user, 1, coordinator.keys)
        invite = await coord.call("invite_create", role="headteacher", display_name="Head")
        self.head = await self.register(invite["code"], "head")
        invite = await coord.call("invite_create", role="associate", display_name="Associate")
        self.assoc = await self.register(invite["code"], "assoc")
        await coord.call("associate_approve", associate=self.assoc.user, years_as_headteacher=8,
                         last_inspection="good", training_completed=True, coaching_record=True)
        await coord.call("pair_create", headteacher=self.head.user, associate=self.assoc.user)
        await coord.close()
        await self.stop(expect=0, what="after setup")

    async def stop(self, expect=0, what=""):
        code = await self.in_thread(lambda: self.server.terminate(timeout=30))
        if expect is not None and code != expect:
            self.fail(f"confidantd exited {code} on SIGTERM {what}: {self.server.stderr()[-2000:]}")
        return code

    async def check(self, what):
        done = await self.in_thread(lambda: self.server.command("check", timeout=120))
        if done.returncode != 0:
            self.fail(f"`confidantd check` {what} exited {done.returncode}: {done.stdout.decode()}{done.stderr.decode()}")
        return done.returncode

    # --- sending ----------------------------------------------------------------------------------

    def new_message(self):
        self.seq += 1
        marker = str(self.seq)
        size = self.body_bytes[0] + (self.seq * 7919) % (self.body_bytes[1] - self.body_bytes[0] + 1)
        body = f"CANARY-storage-fault {marker}\n".encode() + os.urandom(size)
        text = b64e(body)
        fields = {"message_id": b64e(os.urandom(16)), "to": self.assoc.user,
                  "envelopes": [{"user": self.assoc.user, "device": 1, "body": text, "commitment": b64e(os.urandom(32))}]}
        message = Message(marker, fields, text)
        self.messages[marker] = message
        return message

    async def send(self, conn, message, resend_from=None):
        """One attempt. Returns "ok", the error code, or "lost" (no answer: the connection went).
        `resend_from`: the server's clock when the verifying run started; an earlier accepted_at
        means the first store happened before this run."""
        try:
            answer = await conn.request("send", timeout=REQUEST_TIMEOUT, **message.fields)
        except LOST:
            message.unanswered += 1
            self.stats["sends unanswered"] += 1
            return "lost"
        if answer["type"] == "error":
            message.errors.append(answer.get("code"))
            self.error_texts.append(answer.get("message", ""))
            self.stats[f"send error {answer.get('code')}"] += 1
            if answer.get("code") != STORAGE_ERROR:
                self.fail(f"message {message.marker}: error {answer}, not {STORAGE_ERROR}")
            return answer.get("code")
        answer = {k: v for k, v in answer.items() if k != "rid"}
        if message.answer is None:
            if resend_from is not None and parse_time(answer["accepted_at"]) < resend_from:
                message.ghost = bool(message.errors)
                self.stats["resends stored before"] += 1
            message.answer = answer
            self.stats["sends acknowledged"] += 1
        elif answer != message.answer:
            self.fail(f"message {message.marker} answered {answer}, first {message.answer}")
        return "ok"

    # --- receiving --------------------------------------------------------------------------------

    def delivered(self, event):
        m = MARKER.match(b64d(event["body"]))
        if not m:
            self.fail(f"message {event['id']} without a marker")
            return
        marker = m.group(1).decode()
        self.received[marker].add(event["id"])
        seen = self.id_marker.setdefault(event["id"], marker)
        if seen != marker:
            self.fail(f"server id {event['id']} delivered as {seen} and as {marker}")

    async def receive(self, conn, stop):
        """Takes `message` events and acknowledges them until `stop` is set or the connection goes.
        A failed ack is counted: the messages come again at the next login."""
        try:
            while not stop.is_set():
                try:
                    first = await conn.next_event(None, timeout=0.2)
                except asyncio.TimeoutError:
                    continue
                batch = [first] + conn.events
                conn.events.clear()
                ids = []
                for event in batch:
                    if event["type"] == "message":
                        self.delivered(event)
                        ids.append(event["id"])
                    elif event["type"] != "prekeys_low":
                        self.fail(f"unexpected event {event}")
                for i in range(0, len(ids), 256):
                    answer = await conn.request("ack", timeout=REQUEST_TIMEOUT, ids=ids[i:i + 256])
                    if answer["type"] != "ok":
                        self.stats[f"ack error {answer.get('code')}"] += 1
                        self.error_texts.append(answer.get("message", ""))
                        if answer.get("code") != STORAGE_ERROR:
                            self.fail(f"ack answered {answer}")
        except LOST:
            pass

    # --- the end ----------------------------------------------------------------------------------

    def acked(self):
        return [m for m in self.messages.values() if m.answer is not None]

    async def verify(self, logs):
        """On a server started without faults: resend, drain, assert. `logs`: the server's stderr
        of every run, checked for message text."""
        # The harness starts the server's clock at its own clock's reading, written just before
        # the process starts (truncated to the millisecond): whatever this run accepts is at or
        # after `started`, whatever an earlier run accepted is well before it.
        started = self.server.now() - datetime.timedelta(milliseconds=1)
        await self.in_thread(self.server.start)
        conn = await self.connect()
        await conn.login(self.head.user, 1, self.head.keys)
        for message in [m for m in self.messages.values() if m.answer is None]:
            outcome = await self.send(conn, message, resend_from=started)
            self.stats["resends"] += 1
            if outcome != "ok":
                self.fail(f"message {message.marker}, never acknowledged, was refused again after the faults: {outcome}")
        for message in self.acked()[-3:]:  # the last acknowledged ones: still known exactly
            before = message.answer
            await self.send(conn, message)
            if message.answer != before:
                self.fail(f"message {message.marker} was forgotten")
        await conn.close()
        receiver = await self.connect()
        await receiver.login(self.assoc.user, 1, self.assoc.keys)
        stop = asyncio.Event()
        task = asyncio.ensure_future(self.receive(receiver, stop))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(m.marker not in self.received for m in self.acked()):
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # anything stored twice arrives too
        stop.set()
        await task
        await receiver.close()
        fresh = await self.connect()
        answer = await fresh.login(self.assoc.user, 1, self.assoc.keys)
        if answer["pending"] != 0:
            self.fail(f"{answer['pending']} messages still pending after the drain")
        await fresh.close()
        await self.stop(expect=0, what="after the verification")
        logs.append(self.server.stderr())
        await self.check("at the end")
        for message in self.messages.values():
            got = self.received.get(message.marker, set())
            if message.answer is None:
                continue  # reported above
            if got != {message.answer["id"]}:
                self.fail(f"{'LOST' if not got else 'WRONG ID'}: message {message.marker} acknowledged as "
                          f"{message.answer['id']} arrived as {sorted(got)}")
            if message.ghost and self.crashed:
                self.stats["ghosts after a crash"] += 1
            elif message.ghost:
                self.fail(f"GHOST: message {message.marker} was answered {message.errors} but had been stored "
                          f"(id {message.answer['id']})")
        for marker in self.received:
            if marker not in self.messages:
                self.fail(f"marker {marker} received, never sent")
        texts = [m.text for m in self.messages.values()]
        for where, text in [(f"server log {i}", log) for i, log in enumerate(logs)] + \
                           [("an error answer", t) for t in self.error_texts]:
            if "CANARY-storage-fault " in text or any(t[:40] in text for t in texts):
                self.fail(f"{where} contains message text")
        self.stats["messages"] = len(self.messages)
        self.stats["delivered"] = len(self.received)


def finish(server, passed, keep):
    """Ends a fault test: its data directory is removed when it passed (unless kept), else kept
    and named; exit status 0 or 1."""
    if passed and not keep:
        server.cleanup()
    else:
        print(f"data directory kept: {server.tmp}")
    sys.exit(0 if passed else 1)


def run_command(args, timeout=120):
    return subprocess.run(args, capture_output=True, timeout=timeout)
