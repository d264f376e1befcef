#!/usr/bin/python3
"""Disk full (issue 9): the real confidantd with its data directory on a small tmpfs. Twice, the
file system is filled (a filler file takes all but --leave KiB) while the headteacher sends large
messages to an offline associate, until the server refuses sends; a few more sends go while it is
full; then space comes back, the first time by removing the filler file, the second time by
remounting the tmpfs bigger, and the same process must accept sends again (no restart).

Asserted: no crash; every refusal is `internal_error` (protocol.md section 6) without message
text; the log says `event=request_failed ... error="disk full"`; each round fills the disk (at
least one refusal); every send after space is back is accepted; SIGTERM exits 0; then
fault_world.World.verify on a server without faults: `confidantd check` exits 0, every
acknowledged message arrives exactly once under its id, every refused one is accepted when sent
again with the same id and had not been stored (no ghost), nothing is left pending.

Needs root (mount); the tmpfs is unmounted in every case. Exit status: 0 passed, 1 failed, 77 when
tmpfs cannot be mounted (not root, or no mount permission in this container).

    sudo /usr/bin/python3 tests/crash/disk_full.py --confidantd build/dev/server/confidantd
        [--size-kib 3072] [--leave-kib 160] [--rounds 2] [--keep]
"""

import argparse
import asyncio
import errno
import logging
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault_world  # noqa: E402
from fault_world import LOST, Failure, World  # noqa: E402

harness = fault_world.harness
BODY = (40000, 46000)  # bytes of a message body: about 11 database pages each
MAX_FILL_SENDS = 300  # per round, until the first refusal
WHILE_FULL = 5  # sends while the disk stays full
AFTER = 10  # sends once space is back


def mount(args, where, options):
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", where], capture_output=True, text=True)


def fill(path, leave):
    """Writes `path` until the file system is full, then gives back `leave` bytes. The size."""
    chunk = b"\0" * 65536
    size = 0
    with open(path, "wb", buffering=0) as f:
        while True:
            try:
                size += f.write(chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                break
            if size > 1 << 30:
                raise Failure("the tmpfs never filled up")
        # A write that fails with ENOSPC may still have written part of the chunk.
        size = os.fstat(f.fileno()).st_size
        size = max(0, size - leave)
        f.truncate(size)
    return size


async def send_new(world, sender, count):
    """Sends `count` new messages one at a time; returns them and whether the connection was lost."""
    messages = [world.new_message() for _ in range(count)]
    for message in messages:
        if await world.send(sender, message) == "lost":
            return messages, True
    return messages, False


class DiskFull:
    def __init__(self, args):
        self.args = args
        harness.CONFIDANTD = os.path.abspath(args.confidantd)
        self.server = fault_world.Server(tenant="Disk Full LA", limits=fault_world.LIMITS,
                                         clock_start=fault_world.CLOCK_START)
        self.world = World(self.server, body_bytes=BODY)
        self.mounted = False
        self.rounds = []

    async def run(self):
        args, world, server = self.args, self.world, self.server
        os.makedirs(server.data_dir)
        done = mount(args, server.data_dir, f"size={args.size_kib}k,mode=0700")
        if done.returncode != 0:
            raise PermissionError(done.stderr.strip())
        self.mounted = True
        await world.setup()
        await world.in_thread(server.start)
        sender = await world.connect()
        await sender.login(world.head.user, 1, world.head.keys)
        filler = os.path.join(server.data_dir, "filler")
        gone = False
        for round_ in range(1, args.rounds + 1):
            info = {"round": round_}
            info["filler KiB"] = fill(filler, args.leave_kib * 1024) // 1024
            before = len(world.messages)
            refused = None
            for i in range(MAX_FILL_SENDS):
                outcome = await world.send(sender, world.new_message())
                if outcome == "lost":
                    gone = True
                    break
                if outcome != "ok":
                    refused = i + 1
                    break
            info["sends until refused"] = refused
            if gone:
                world.fail(f"round {round_}: the connection was lost while the disk filled up")
                break
            if refused is None:
                world.fail(f"round {round_}: {MAX_FILL_SENDS} sends and the disk never filled up")
            while_full, gone = await send_new(world, sender, WHILE_FULL)
            info["acknowledged while full"] = sum(1 for m in while_full if m.answer)
            info["refused"] = sum(1 for m in list(world.messages.values())[before:] if m.errors)
            if gone:
                world.fail(f"round {round_}: the connection was lost while the disk was full")
                break
            if round_ % 2 == 1:
                os.remove(filler)
                info["space back by"] = "removing the filler"
            else:
                done = subprocess.run(["mount", "-o", f"remount,size={args.size_kib * 4}k", server.data_dir],
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    raise Failure(f"remount failed: {done.stderr}")
                os.remove(filler)  # the next round fills the bigger file system
                info["space back by"] = f"remounting at {args.size_kib * 4} KiB"
                args.size_kib *= 4
            after, gone = await send_new(world, sender, AFTER)
            info["accepted after"] = sum(1 for m in after if m.answer)
            if info["accepted after"] != AFTER:
                world.fail(f"NO RECOVERY: round {round_}: {info['accepted after']} of {AFTER} sends accepted "
                           f"once space was back")
            self.rounds.append(info)
            print(f"round {round_}: " + ", ".join(f"{k} {v}" for k, v in info.items() if k != "round"), flush=True)
            if gone:
                break
        await sender.close()
        logs = [server.stderr()]
        if server.alive():
            await world.stop(expect=0, what="after the disk-full rounds")
        else:
            world.fail(f"confidantd exited {server.process.returncode} during the disk-full rounds: {server.stderr()[-1500:]}")
        if world.stats[f"send error {fault_world.STORAGE_ERROR}"] and 'error="disk full"' not in logs[0]:
            world.fail("sends were refused but the log has no `disk full` line")
        await world.check("after the disk-full rounds")
        await world.verify(logs)

    def unmount(self):
        if not self.mounted:
            return
        if self.server.alive():
            self.server.process.kill()
            self.server.process.wait()
        if harness.keep_test_files():  # the tmpfs goes with the unmount: keep a copy for the secret sweep
            shutil.copytree(self.server.data_dir, os.path.join(self.server.tmp, "data-from-tmpfs"), dirs_exist_ok=True)
        for attempt in range(20):  # bounded: a just-killed process may still hold the mount briefly
            if subprocess.run(["umount", self.server.data_dir], capture_output=True).returncode == 0:
                self.mounted = False
                return
            time.sleep(0.1)
        subprocess.run(["umount", "-l", self.server.data_dir], capture_output=True)
        self.mounted = False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--confidantd", required=True)
    parser.add_argument("--size-kib", type=int, default=3072, help="size of the tmpfs")
    parser.add_argument("--leave-kib", type=int, default=160, help="free space left beside the filler")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not 512 <= args.size_kib <= 1 << 20 or not 0 <= args.leave_kib < args.size_kib or not 1 <= args.rounds <= 6:
        parser.error("--size-kib 512..1048576, --leave-kib below it, --rounds 1..6")
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    test = DiskFull(args)
    passed = False
    began = time.monotonic()
    try:
        asyncio.run(test.run())
        passed = not test.world.problems
    except PermissionError as e:
        print(f"SKIP: cannot mount a tmpfs ({e}); run as root")
        test.server.cleanup()
        sys.exit(77)
    except (Failure, AssertionError) + LOST as e:
        test.world.problems.append(f"{type(e).__name__}: {e}")
    finally:
        test.unmount()
    for p in test.world.problems[:50]:
        print("FAIL " + p, flush=True)
    s = test.world.stats
    print(f"disk full: {len(test.rounds)} rounds in {time.monotonic() - began:.1f} s, {s['messages']} messages, "
          f"{s['sends acknowledged'] - s['resends stored before']} acknowledged, "
          f"{s['send error ' + fault_world.STORAGE_ERROR]} refusals, {s['resends']} resent after the faults, "
          f"{s['delivered']} delivered; {'passed' if passed else 'FAILED'}")
    fault_world.finish(test.server, passed, args.keep)


if __name__ == "__main__":
    main()
