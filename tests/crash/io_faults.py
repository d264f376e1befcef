#!/usr/bin/python3
"""I/O errors under load (issue 9): the real confidantd runs under libfiu's POSIX preload
(`fiu-run -x`: /usr/lib/fiu/fiu_posix_preload.so wraps pwrite, fsync, fdatasync, ftruncate, ...)
plus fiu_nth.so (built here from fiu_nth.c), which fails the n-th call of one failure point,
counted from the moment the test arms it (after the logins), once ("oneshot") or from then on
("persistent", until the test disarms it: the disk is back). The failed call sets errno EIO (or
--errno). Each case:

1. restore the data directory of the setup (a paired headteacher and associate, made once);
2. start confidantd under the fault; the headteacher logs in (the associate too, unless
   --offline); arm the fault;
3. the headteacher sends --sends messages (--window at a time), every one with a unique marker,
   and records each answer; the associate acknowledges what arrives. In persistent mode, once the
   failure has fired: --stuck more sends, then disarm, then --sends more;
4. assert: the server did not crash (a signal) and did not exit unless it says why and exits
   nonzero; every error answer is `internal_error` (protocol.md section 6) and names no message
   text; while a persistent failure of pwrite/fsync/fdatasync is armed, no send that began after
   the first failed call is acknowledged (no commit can be durable then); after the fault is gone
   the same process accepts sends again (recovery without restart); the log says what failed
   (`event=request_failed`) and holds no message text; SIGTERM exits 0;
5. then fault_world.World.verify on a server without the fault: `confidantd check` exits 0, every
   acknowledged message arrives exactly once under its id, every refused one is accepted when
   sent again with the same id and was not stored before (no ghost), nothing is left pending.

    /usr/bin/python3 tests/crash/io_faults.py --confidantd build/dev/server/confidantd \
        --shim build/dev/tests/crash/fiu_nth.so [--points pwrite,fdatasync,ftruncate] [--n 1-20]
        [--modes oneshot,persistent] [--sends 20] [--window 1] [--time-limit S] [--keep]

Exit status: 0 passed, 1 failed (data kept and named), 77 libfiu or the shim is missing.
"""

import argparse
import asyncio
import logging
import os
import shutil
import stat
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fault_world  # noqa: E402
from fault_world import LOST, Failure, World  # noqa: E402

harness = fault_world.harness
FIU_LIB = "/usr/lib/fiu"
POINTS = {  # our names -> libfiu failure points (fiu-utils' function_list)
    "pwrite": "posix/io/rw/pwrite",  # pwrite and pwrite64
    "fsync": "posix/io/sync/fsync",
    "fdatasync": "posix/io/sync/fdatasync",
    "ftruncate": "posix/io/rw/ftruncate",  # ftruncate and ftruncate64
    "write": "posix/io/rw/write",
}
# A persistent failure of these leaves no way to make a commit durable.
COMMIT_NEEDS = {"pwrite", "fsync", "fdatasync"}


def parse_ns(text):
    """1,2,5 or 1-20 or 1-400/7 (every 7th from 1 to 400)."""
    out = []
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step = part.split("/")
            step = int(step)
        if "-" in part:
            a, b = part.split("-")
            out += range(int(a), int(b) + 1, step)
        else:
            out.append(int(part))
    return out


class Case:
    def __init__(self, point, n, mode):
        self.point, self.n, self.mode = point, n, mode
        self.failed_calls = []  # call numbers the shim failed
        self.calls = None  # calls counted while armed
        self.outcome = {}

    def __str__(self):
        return f"{self.point} n={self.n} {self.mode}"


class Sweep:
    def __init__(self, args):
        self.args = args
        self.real = os.path.abspath(args.confidantd)
        harness.CONFIDANTD = self.real
        self.server = fault_world.Server(tenant="IO Faults LA", limits=fault_world.LIMITS,
                                         clock_start=fault_world.CLOCK_START)
        self.template = os.path.join(self.server.tmp, "template")
        self.people = None
        self.results = []
        self.problems = []
        self.ghosts = 0

    async def setup(self):
        world = World(self.server)
        await world.setup()
        if world.problems:
            raise Failure(world.problems[0])
        self.people = (world.head, world.assoc)
        shutil.copytree(self.server.data_dir, self.template)

    def wrapper(self, case, arm, log):
        """A confidantd that runs as `fiu-run -x` would run it (its two preloads, no control
        FIFO), with fiu_nth.so after them."""
        path = os.path.join(self.server.tmp, "confidantd-under-fiu")
        preload = f"{FIU_LIB}/fiu_run_preload.so {FIU_LIB}/fiu_posix_preload.so {os.path.abspath(self.args.shim)}"
        with open(path, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\n"
                    "# A sanitizer runtime must come first in the library list: an ASan or TSan\n"
                    "# build gets its runtime preloaded ahead of libfiu's (else it dies at start).\n"
                    f"asan=$(ldd '{self.real}' | awk '/libasan|libtsan/ {{print $3}}')\n"
                    "ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0\"\n"
                    "# libfiu's own write() wrapper allocates (strdup/free) when Asio's signal handler\n"
                    "# writes to its pipe: TSan reports that as a signal-unsafe call in libfiu, not ours.\n"
                    "TSAN_OPTIONS=\"${TSAN_OPTIONS:+$TSAN_OPTIONS:}report_signal_unsafe=0\"\n"
                    f"export ASAN_OPTIONS TSAN_OPTIONS FIU_ENABLE='' FIU_CTRL_FIFO='' LD_PRELOAD=\"${{asan:+$asan }}{preload}\"\n"
                    f"export FIU_NTH_POINT='{POINTS[case.point]}' FIU_NTH_N={case.n} FIU_NTH_MODE={case.mode}\n"
                    f"export FIU_NTH_ERRNO={self.args.errno} FIU_NTH_ARM='{arm}' FIU_NTH_LOG='{log}'\n"
                    f'exec "{self.real}" "$@"\n')
        os.chmod(path, stat.S_IRWXU)
        return path

    @staticmethod
    def read_log(log, case):
        case.failed_calls, case.calls = [], None
        if not os.path.exists(log):
            return
        with open(log, encoding="ascii") as f:
            for line in f:
                parts = line.split()
                if parts[0] == "fail":
                    case.failed_calls.append(int(parts[2]))
                elif parts[0] == "calls":
                    case.calls = int(parts[2])

    async def start_faulty(self, world, case, arm, log):
        """Starts confidantd under the fault. False when it exited instead of listening (a failure
        at startup, armed with --from start)."""
        harness.CONFIDANTD = self.wrapper(case, arm, log)
        try:
            await world.in_thread(self.server.start)
            return True
        except AssertionError:
            if self.server.alive():
                raise
            return False
        finally:
            harness.CONFIDANTD = self.real

    async def run_case(self, case):
        args = self.args
        # A fresh copy of the setup's data for every case; the harness's clock goes on.
        shutil.rmtree(self.server.data_dir)
        shutil.copytree(self.template, self.server.data_dir)
        world = World(self.server, body_bytes=args.body_bytes)
        world.head, world.assoc = self.people
        arm = os.path.join(self.server.tmp, "fiu.arm")
        log = os.path.join(self.server.tmp, "fiu.log")
        for p in (arm, log):
            if os.path.exists(p):
                os.remove(p)
        if args.arm_from == "start":
            open(arm, "w").close()
        logs = []
        server_gone = not await self.start_faulty(world, case, arm, log)
        false_acks = []
        killed = []
        sent_after = []  # sends begun once the fault was over (one-shot: it had fired; persistent: disarmed)
        sender = receiver = receiving = None
        stop = asyncio.Event()

        def fired():
            self.read_log(log, case)
            return bool(case.failed_calls)

        async def send_some(count, while_armed=False):
            """`count` sends, `window` at a time, until the connection is lost."""
            nonlocal server_gone
            queue = [world.new_message() for _ in range(count)]

            async def worker():
                nonlocal server_gone
                while queue and not server_gone:
                    message = queue.pop(0)
                    began_after_failure = fired()
                    if case.mode == "oneshot" and began_after_failure or case.mode == "persistent" and not while_armed:
                        sent_after.append(message)  # the fault is over: it must be accepted
                    began_after_failure = began_after_failure and while_armed
                    outcome = await world.send(sender, message)
                    if outcome == "lost":
                        server_gone = True
                    elif outcome == "ok" and began_after_failure and case.point in COMMIT_NEEDS:
                        false_acks.append(message.marker)
                    if args.kill and not server_gone and fired():
                        # A crash right after the failure, before any other write: the next
                        # start recovers the WAL as the failed commit left it.
                        self.server.process.kill()
                        await world.in_thread(self.server.process.wait)
                        killed.append(case.failed_calls[-1])
                        world.crashed = True
                        server_gone = True

            await asyncio.gather(*[worker() for _ in range(args.window)])

        try:
            if not server_gone:
                sender = await world.connect()
                await sender.login(world.head.user, 1, world.head.keys)
                if not args.offline:
                    receiver = await world.connect()
                    await receiver.login(world.assoc.user, 1, world.assoc.keys)
                    receiving = asyncio.ensure_future(world.receive(receiver, stop))
                open(arm, "a").close()
                await send_some(args.sends, while_armed=case.mode == "persistent")
                if case.mode == "persistent":
                    # Until the failure has fired (at most --sends more), then --stuck sends that
                    # must all fail, then the disk comes back.
                    extra = 0
                    while not fired() and extra < args.sends and not server_gone:
                        await send_some(1, while_armed=True)
                        extra += 1
                    if fired() and not server_gone:
                        await send_some(args.stuck, while_armed=True)
                    os.remove(arm)
                if not server_gone:
                    # After the fault the same process must accept sends again. A one-shot fault
                    # stays armed through the stop, so a late n fails the closing checkpoint.
                    await send_some(args.sends)
                    deadline = time.monotonic() + 10  # the associate gets what was acknowledged
                    while receiving and time.monotonic() < deadline and \
                            any(m.marker not in world.received for m in world.acked()) and not receiving.done():
                        await asyncio.sleep(0.05)
        except LOST:
            server_gone = True
        stop.set()
        if receiving:
            await receiving
            await receiver.close()
        if sender:
            await sender.close()
        # How the faulty run ended.
        fired()
        if self.server.alive():
            code = await world.stop(expect=None)
            if code != 0 and not (case.failed_calls and code > 0 and "storage" in self.server.stderr()):
                world.fail(f"confidantd exited {code} on SIGTERM ({case}): {self.server.stderr()[-1500:]}")
        else:
            code = self.server.process.returncode
            if killed:
                pass  # SIGKILL by --kill
            elif code < 0:
                world.fail(f"CRASH: confidantd died of signal {-code} ({case}): {self.server.stderr()[-1500:]}")
            elif code == 0:
                world.fail(f"confidantd stopped by itself with exit 0 ({case})")
            elif "storage" not in self.server.stderr() and "database" not in self.server.stderr():
                world.fail(f"confidantd exited {code} without saying why ({case}): {self.server.stderr()[-1500:]}")
        if os.path.exists(arm):
            os.remove(arm)
        self.read_log(log, case)
        run_log = self.server.stderr()
        logs.append(run_log)
        case.outcome["stderr"] = run_log
        errors = sum(len(m.errors) for m in world.messages.values())
        if errors and "event=request_failed" not in run_log:
            world.fail(f"{errors} sends refused but no request_failed line in the log ({case})")
        if false_acks:
            world.fail(f"FALSE ACK: {len(false_acks)} sends acknowledged while every {case.point} failed "
                       f"(markers {false_acks[:5]})")
        if not server_gone and case.failed_calls and any(m.answer is None for m in sent_after):
            world.fail(f"NO RECOVERY: {sum(m.answer is None for m in sent_after)} of the {len(sent_after)} sends "
                       f"after the fault were refused by the same process ({case})")
        with open(os.path.join(self.server.tmp, "runs.log"), "a", encoding="utf-8") as f:
            f.write(f"=== {case}: exit {code}\n{run_log}")
        await world.check(f"after the fault ({case})")
        await world.verify(logs)
        case.outcome.update({
            "calls": case.calls, "failed": len(case.failed_calls), "exit": code, "gone": server_gone,
            "acked": world.stats["sends acknowledged"] - world.stats["resends stored before"],
            "refused": sum(1 for m in world.messages.values() if m.errors),
            "unanswered": sum(1 for m in world.messages.values() if m.unanswered),
            "ack errors": world.stats[f"ack error {fault_world.STORAGE_ERROR}"],
            "ghosts": sum(m.ghost for m in world.messages.values()),
        })
        self.ghosts += case.outcome["ghosts"]
        return world.problems

    async def run(self):
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        began = time.monotonic()
        await self.setup()
        for point in self.args.points:
            for mode in self.args.modes:
                for n in self.args.n:
                    if time.monotonic() - began > self.args.time_limit:
                        self.problems.append(f"time limit of {self.args.time_limit} s reached before {point} n={n} {mode}")
                        return
                    case = Case(point, n, mode)
                    t = time.monotonic()
                    problems = await self.run_case(case)
                    o = case.outcome
                    print(f"{case}: {o['calls']} calls while armed, {o['failed']} failed; exit {o['exit']}; "
                          f"sends acknowledged {o['acked']}, refused {o['refused']}, unanswered {o['unanswered']}; "
                          f"acks refused {o['ack errors']}; ghosts {o['ghosts']}; {time.monotonic() - t:.1f} s"
                          + ("" if not problems else f"; {len(problems)} PROBLEMS"), flush=True)
                    self.results.append(case)
                    self.problems += [f"{case}: {p}" for p in problems]
                    if not case.failed_calls and mode == "oneshot" and self.args.stop_past_end:
                        break  # n is past the last call this workload makes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--confidantd", required=True)
    parser.add_argument("--shim", required=True, help="fiu_nth.so")
    parser.add_argument("--points", default="pwrite,fdatasync,ftruncate")
    parser.add_argument("--modes", default="oneshot,persistent")
    parser.add_argument("--n", default="1,2,5", help="call numbers: 1-20, 1,3,8 or 1-400/7")
    parser.add_argument("--sends", type=int, default=10, help="sends before the fault fires and after it")
    parser.add_argument("--stuck", type=int, default=3, help="sends while a persistent fault holds")
    parser.add_argument("--window", type=int, default=1)
    parser.add_argument("--offline", action="store_true", help="the associate stays offline until the end")
    parser.add_argument("--arm-from", choices=["load", "start"], default="load",
                        help="count calls from the logins (load) or from the process start (start)")
    parser.add_argument("--body-bytes", default="32-200", help="message body sizes, e.g. 30000-45000")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the server as soon as the failure has fired")
    parser.add_argument("--errno", type=int, default=5, help="errno of a failed call (5 EIO, 28 ENOSPC)")
    parser.add_argument("--stop-past-end", action="store_true",
                        help="stop a point's one-shot sweep at the first n that never fires")
    parser.add_argument("--time-limit", type=float, default=600)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.points = args.points.split(",")
    args.modes = args.modes.split(",")
    args.n = parse_ns(args.n)
    args.body_bytes = tuple(int(x) for x in args.body_bytes.split("-"))
    if any(p not in POINTS for p in args.points) or any(m not in ("oneshot", "persistent") for m in args.modes) \
            or not args.n or min(args.n) < 1 or len(args.n) > 10000 or not 1 <= args.window <= 16 \
            or not 1 <= args.sends <= 1000 or not 0 <= args.stuck <= 100:
        parser.error("bad --points, --modes, --n, --window, --sends or --stuck")
    missing = [p for p in (f"{FIU_LIB}/fiu_posix_preload.so", f"{FIU_LIB}/fiu_run_preload.so", args.shim) if not os.path.exists(p)]
    if missing:
        print(f"SKIP: libfiu not available ({', '.join(missing)} missing; Debian: fiu-utils libfiu-dev)")
        sys.exit(77)
    sweep = Sweep(args)
    passed = False
    try:
        asyncio.run(sweep.run())
        passed = not sweep.problems
    except Failure as e:
        sweep.problems.append(f"setup: {e}")
    finally:
        if sweep.server.alive():
            sweep.server.process.kill()
            sweep.server.process.wait()
    for p in sweep.problems[:50]:
        print("FAIL " + p, flush=True)
    fired = sum(1 for c in sweep.results if c.failed_calls)
    print(f"io faults: {len(sweep.results)} cases ({fired} fired), "
          f"{sum(len(c.failed_calls) for c in sweep.results)} calls failed, "
          f"{sum(c.outcome.get('refused', 0) for c in sweep.results)} sends refused, "
          f"{sum(c.outcome.get('acked', 0) for c in sweep.results)} acknowledged, "
          f"{sweep.ghosts} refused and stored (ghosts{', after a SIGKILL' if args.kill else ''}); "
          f"{'passed' if passed else 'FAILED'}")
    fault_world.finish(sweep.server, passed, args.keep)


if __name__ == "__main__":
    main()
