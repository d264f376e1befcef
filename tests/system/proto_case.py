"""Shared fixture for the revision-2 system tests (test_accounts.py, test_messaging.py): a fresh
confidantd per test, bootstrapped with a coordinator invite from `confidantd invite` on the host,
and helpers that create accounts through the protocol (confidant_proto.py)."""

import asyncio
import datetime
import http.client
import os
import re
import sys
import unittest

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from confidant_proto import Connection, DeviceKeys, ProtocolError, parse_time  # noqa: E402,F401
from harness import Server  # noqa: E402

CODE_LINE = re.compile(r"^\s*code:\s+(\S+)\s*$", re.M)


class Account:
    """A user as the tests know it: its id, role, name and each device's keys."""

    def __init__(self, user, role, display_name, keys, device=1):
        self.user, self.role, self.display_name = user, role, display_name
        self.devices = {device: keys}

    def keys(self, device=1):
        return self.devices[device]

    def __repr__(self):
        return f"Account({self.user}, {self.role}, devices={sorted(self.devices)})"


class ProtocolCase(unittest.IsolatedAsyncioTestCase):
    """Each test gets its own freshly initialised server with one host-issued coordinator invite
    (`self.bootstrap_code`)."""

    server_limits = None
    log_level = None
    clock_start = Server.DEFAULT_CLOCK  # a term-time Monday morning; a test class may choose another

    def setUp(self):
        self.server = Server(limits=self.server_limits, log_level=self.log_level, clock_start=self.clock_start)
        self.addCleanup(self.server.cleanup)
        self.server.init()
        self.bootstrap_code = self.host_invite("Coordinator One")
        self.server.start()

    def host_invite(self, name, role="coordinator", days=None):
        args = ["invite", "--role", role, "--name", name]
        if days is not None:
            args += ["--days", str(days)]
        done = self.server.command(*args)
        if done.returncode != 0:
            raise AssertionError(f"confidantd invite failed ({done.returncode}): {done.stderr.decode()}")
        m = CODE_LINE.search(done.stdout.decode())
        if not m:
            raise AssertionError(f"no code in `confidantd invite` output: {done.stdout.decode()!r}")
        return m.group(1)

    # --- the server process -----------------------------------------------------------------------
    # Off the event loop: the server closes open WebSockets (1001) while it stops, and a blocked
    # loop could not answer their closing handshakes.

    async def stop_server(self):
        """SIGTERM; asserts exit status 0."""
        code = await asyncio.get_running_loop().run_in_executor(None, lambda: self.server.terminate(timeout=10))
        self.assertEqual(code, 0, self.server.stderr())

    async def kill_server(self):
        """SIGKILL: a crash, nothing flushed or closed."""
        self.server.process.kill()
        await asyncio.get_running_loop().run_in_executor(None, self.server.process.wait)

    async def start_server(self):
        await asyncio.get_running_loop().run_in_executor(None, self.server.start)

    # --- connections ------------------------------------------------------------------------------

    async def connect(self, hello=True) -> Connection:
        # The test loop runs in debug mode; key generation is not a slow callback worth a warning.
        asyncio.get_running_loop().slow_callback_duration = 5.0
        conn = await Connection.open(self.server.ws_url)
        self.addAsyncCleanup(conn.close)
        # Every answer must match an outstanding request by rid, and events carry no rid (3.4).
        self.addCleanup(lambda: self.assertEqual(conn.stray, [], "answers matching no request, or events with a rid"))
        if hello:
            await conn.hello()
        return conn

    async def login(self, account, device=1) -> Connection:
        conn = await self.connect()
        conn.login_answer = await conn.login(account.user, device, account.keys(device))
        return conn

    # --- accounts ---------------------------------------------------------------------------------

    async def register(self, code, keys=None, one_time=20) -> tuple:
        """Registers a device with `code` on a fresh connection; returns (answer, keys)."""
        keys = keys or DeviceKeys(one_time=one_time)
        conn = await self.connect()
        answer = await conn.request("register", **keys.register_fields(code))
        await conn.close()
        return answer, keys

    async def coordinator(self) -> tuple:
        """Registers the bootstrap coordinator and logs it in: (Account, Connection)."""
        answer, keys = await self.register(self.bootstrap_code)
        self.assert_ok(answer)
        account = Account(answer["user"], answer["role"], answer["display_name"], keys, answer["device"])
        return account, await self.login(account)

    async def invite(self, coord, role, name, **extra) -> str:
        return (await coord.call("invite_create", role=role, display_name=name, **extra))["code"]

    async def new_account(self, coord, role, name, one_time=20) -> Account:
        answer, keys = await self.register(await self.invite(coord, role, name), one_time=one_time)
        self.assert_ok(answer)
        return Account(answer["user"], answer["role"], answer["display_name"], keys, answer["device"])

    async def link_device(self, conn, account, one_time=20) -> int:
        """device_link on `conn` (logged in as `account`), then registers a new device with it."""
        link = await conn.call("device_link")
        answer, keys = await self.register(link["code"], one_time=one_time)
        self.assert_ok(answer)
        self.assertEqual(answer["user"], account.user)
        account.devices[answer["device"]] = keys
        return answer["device"]

    async def approve(self, coord, associate):
        """The coordinator approves the associate on eligible evidence (protocol 7.31)."""
        return await coord.call("associate_approve", associate=associate.user, years_as_headteacher=8,
                                last_inspection="good", training_completed=True, coaching_record=True)

    async def pair(self, coord, headteacher, associate):
        """The coordinator's direct pairing (7.14), the associate approved first."""
        await self.approve(coord, associate)
        return await coord.call("pair_create", headteacher=headteacher.user, associate=associate.user)

    async def metrics(self) -> str:
        """GET /metrics, off the event loop."""
        def get():
            conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
            try:
                conn.request("GET", "/metrics")
                res = conn.getresponse()
                self.assertEqual(res.status, 200)
                return res.read().decode()
            finally:
                conn.close()
        return await asyncio.get_running_loop().run_in_executor(None, get)

    # --- assertions -------------------------------------------------------------------------------

    def assert_ok(self, answer, fields=None):
        self.assertEqual(answer.get("type"), "ok", answer)
        if fields is not None:
            self.assertEqual(set(answer) - {"type", "rid"}, set(fields), answer)

    def assert_error(self, answer, code):
        self.assertEqual(answer.get("type"), "error", answer)
        self.assertEqual(answer.get("code"), code, answer)
        self.assertIsInstance(answer.get("message"), str, answer)
        self.assertTrue(answer["message"])
        if code == "rate_limited":
            self.assertIs(type(answer.get("retry_after_ms")), int, answer)
            self.assertGreater(answer["retry_after_ms"], 0, answer)

    def assert_time_near(self, text, expected=None, slack=5.0):
        t = parse_time(text)
        expected = expected or self.server.now()
        self.assertLess(abs((t - expected).total_seconds()), slack, text)
        return t

    async def assert_closed(self, conn, code, reason, timeout=3.0):
        """The server closes `conn` with (code, reason) within `timeout` seconds."""
        try:
            got = await conn.wait_closed(timeout)
        except asyncio.TimeoutError:
            self.fail(f"connection not closed within {timeout} s (expected {code} {reason!r})")
        self.assertEqual(got, (code, reason))

    async def assert_no_event(self, conn, kind=None, wait=0.5):
        try:
            event = await conn.next_event(kind, timeout=wait)
        except asyncio.TimeoutError:
            return
        self.fail(f"unexpected event: {event}")


def main():
    argv = list(sys.argv)
    if "--confidantd" in argv:
        i = argv.index("--confidantd")
        harness.CONFIDANTD = os.path.abspath(argv[i + 1])  # the server runs in its temp dir
        del argv[i:i + 2]
    harness.CONFIDANTD = harness.CONFIDANTD or os.environ.get("CONFIDANTD")
    if not harness.CONFIDANTD or not os.access(harness.CONFIDANTD, os.X_OK):
        sys.exit(f"usage: {os.path.basename(argv[0])} --confidantd PATH [unittest arguments]")
    unittest.main(module="__main__", argv=argv, verbosity=2)
