#!/usr/bin/python3
"""Sync ordering (issue 9): every `send` acknowledgement leaves the server only after the
database's write-ahead log was synced. The real confidantd runs under `strace -f`; one client sends
messages one at a time (so no other commit is in flight), and the trace is read in order:

- a write to the -wal file marks it dirty; a completed fsync/fdatasync of it marks it clean;
- a socket write carrying a `send` answer (`"type":"ok"` with `"accepted_at"`) while the WAL is
  dirty is a violation: the client was told "durable" before the data was on disk.

The negative control runs the same with `[testing] unsafe_no_sync` (synchronous=NORMAL) and must
find violations, which shows the check can fail.

    /usr/bin/python3 sync_order.py --confidantd PATH [unittest arguments]
"""

import os
import re
import shutil
import signal
import stat
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "system"))
import harness  # noqa: E402
from harness import Server  # noqa: E402
from proto_case import ProtocolCase, main  # noqa: E402

MESSAGES = 25
SYSCALLS = "openat,pwrite64,write,writev,sendmsg,sendto,fsync,fdatasync,close"
LINE = re.compile(r"^(?P<pid>\d+)\s+(?P<rest>.*)$")
CALL = re.compile(r"^(?P<name>\w+)\((?P<fd>-?\d+|AT_FDCWD)?(?P<args>.*)$")
RESUMED = re.compile(r"^<\.\.\. (?P<name>\w+) resumed>(?P<args>.*)$")
RESULT = re.compile(r"=\s+(?P<ret>-?\d+)")


def check_trace(path):
    """(acknowledgements seen, violations, syncs of the WAL) from an `strace -f -o` log."""
    wal_fds, dirty = set(), False
    acks, violations, syncs = 0, [], 0
    pending = {}  # pid -> (name, fd) of an <unfinished ...> call
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            pid, rest = m.group("pid"), m.group("rest")
            resumed = RESUMED.match(rest)
            if resumed:  # the end of a call that began earlier: its effect counts now
                name, fd = pending.pop(pid, (resumed.group("name"), None))
                args = resumed.group("args")
            else:
                call = CALL.match(rest)
                if not call:
                    continue
                name, fd, args = call.group("name"), call.group("fd"), call.group("args")
                if rest.endswith("<unfinished ...>"):
                    pending[pid] = (name, fd)
                    # A socket write begins now: that is when the answer may leave.
                    if name in ("write", "writev", "sendmsg", "sendto") and fd not in wal_fds:
                        if '\\"type\\":\\"ok\\"' in args and "accepted_at" in args:
                            acks += 1
                            if dirty:
                                violations.append(line.strip()[:200])
                    continue
            ret = RESULT.search(args)
            ok = ret is not None and int(ret.group("ret")) >= 0
            if name == "openat" and "-wal" in args and ok:
                wal_fds.add(ret.group("ret"))
            elif name == "close" and fd in wal_fds:
                wal_fds.discard(fd)
            elif name in ("pwrite64", "write") and fd in wal_fds and ok:
                dirty = True
            elif name in ("fsync", "fdatasync") and fd in wal_fds and ok:
                dirty = False
                syncs += 1
            elif not resumed and name in ("write", "writev", "sendmsg", "sendto") and fd not in wal_fds:
                if '\\"type\\":\\"ok\\"' in args and "accepted_at" in args:
                    acks += 1
                    if dirty:
                        violations.append(line.strip()[:200])
    return acks, violations, syncs


class SyncOrderCase(ProtocolCase):
    unsafe_no_sync = False

    def setUp(self):
        if not shutil.which("strace"):
            self.skipTest("strace is not installed")
        real = harness.CONFIDANTD
        self.server = Server(clock_start=self.clock_start)
        self.addCleanup(self.server.cleanup)
        if self.unsafe_no_sync:
            with open(self.server.config, encoding="utf-8") as f:
                text = f.read()
            with open(self.server.config, "w", encoding="utf-8") as f:
                f.write(text.replace("[testing]\n", "[testing]\nunsafe_no_sync = true\n"))
        self.server.init()
        self.bootstrap_code = self.host_invite("Coordinator One")
        self.trace = os.path.join(self.server.tmp, "strace.log")
        wrapper = os.path.join(self.server.tmp, "confidantd-under-strace")
        with open(wrapper, "w", encoding="utf-8") as f:
            # LeakSanitizer cannot run under ptrace: an ASan build is traced with leak checks off.
            f.write("#!/bin/sh\nASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0\"\nexport ASAN_OPTIONS\n"
                    f'exec strace -f -qq -s 200 -e trace={SYSCALLS} -o "{self.trace}" "{real}" "$@"\n')
        os.chmod(wrapper, stat.S_IRWXU)
        harness.CONFIDANTD = wrapper
        self.addCleanup(setattr, harness, "CONFIDANTD", real)
        self.server.start(timeout=60)

    async def sends_one_at_a_time(self):
        coord_account, coord = await self.coordinator()
        head = await self.new_account(coord, "headteacher", "Head One")
        assoc = await self.new_account(coord, "associate", "Assoc One")
        await self.pair(coord, head, assoc)
        await coord.close()
        sender = await self.login(head)
        for _ in range(MESSAGES):  # the associate is offline: each send is one commit, nothing else
            self.assert_ok(await sender.send_message(assoc.user, [(assoc.user, 1)]))
        await sender.close()
        self.stop_traced_server()
        return check_trace(self.trace)

    def stop_traced_server(self):
        """SIGTERM to confidantd itself (strace's child); strace ends when it does."""
        strace_pid = self.server.process.pid
        with open(f"/proc/{strace_pid}/task/{strace_pid}/children", encoding="ascii") as f:
            children = [int(p) for p in f.read().split()]
        self.assertEqual(len(children), 1, "strace runs one confidantd")
        os.kill(children[0], signal.SIGTERM)
        self.assertEqual(self.server.process.wait(timeout=60), 0, self.server.stderr())


class SyncOrderTest(SyncOrderCase):
    async def test_every_acknowledgement_follows_a_sync_of_the_wal(self):
        acks, violations, syncs = await self.sends_one_at_a_time()
        print(f"\nsynchronous=FULL: {acks} acknowledgements, {syncs} WAL syncs, {len(violations)} violations")
        self.assertEqual(acks, MESSAGES, "every send answer was seen in the trace")
        self.assertGreaterEqual(syncs, MESSAGES, "at least one WAL sync per committed send")
        self.assertEqual(violations, [], "an acknowledgement left before its WAL sync")


class NegativeControlTest(SyncOrderCase):
    unsafe_no_sync = True

    async def test_without_sync_the_check_finds_early_acknowledgements(self):
        acks, violations, syncs = await self.sends_one_at_a_time()
        print(f"\nsynchronous=NORMAL: {acks} acknowledgements, {syncs} WAL syncs, {len(violations)} violations")
        self.assertEqual(acks, MESSAGES)
        self.assertGreater(len(violations), MESSAGES // 2, "the check must see acknowledgements of unsynced commits")


if __name__ == "__main__":
    main()
