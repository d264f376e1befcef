"""Test harness for the system tests: a real confidantd in a temporary directory, and a small
raw WebSocket client for the cases a conforming library will not produce (invalid UTF-8,
unanswered pings, a reader that stops reading).

Everything here follows docs/protocol.md; nothing uses the server's code.
"""

import base64
import hashlib
import datetime
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

CONFIDANTD = None  # set by the test runner from --confidantd

LISTENING = re.compile(r"^confidantd (\S+) listening on wss?://127\.0\.0\.1:(\d+)/v1/ws \((.*)\)$")
SUBPROTOCOL = "confidant.v1"


def keep_test_files():
    """CONFIDANT_KEEP_TEST_FILES=1: servers' and clients' folders stay in place for the whole-suite
    secret sweep (scripts/test points TMPDIR at build/<preset>/test-files and sweeps it with
    scripts/sweep; docs/reliability.md "Secret sweep")."""
    return os.environ.get("CONFIDANT_KEEP_TEST_FILES") == "1"


def remove_tree(path):
    """Removes a test's folder, unless keep_test_files()."""
    if not keep_test_files():
        shutil.rmtree(path, ignore_errors=True)


def poll_until(predicate, timeout, interval=0.02, what="condition"):
    """Polls `predicate` until it returns a true value or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class Server:
    """One confidantd: a temporary directory with a TOML config, `init`, then `run`."""

    # Every test server runs on a term-time Monday morning unless a test chooses another instant,
    # so that contact windows (held delivery) do not depend on when the suite runs.
    DEFAULT_CLOCK = "2026-11-23T10:00:00.000Z"

    def __init__(self, tenant="System Test LA", limits=None, log_level=None, clock_start=DEFAULT_CLOCK,
                 server_lines=()):
        """`server_lines`: TOML lines after `listen` in [server], e.g. `allowed_origins = [...]`, or
        a `[server.tls]` table with its keys."""
        self.tmp = tempfile.mkdtemp(prefix="confidant-system-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.config = os.path.join(self.tmp, "confidantd.toml")
        self.tenant = tenant
        self.limits = dict(limits or {})
        self.process = None
        self.port = None
        self.stdout_path = os.path.join(self.tmp, "run.stdout")
        self.stderr_path = os.path.join(self.tmp, "run.stderr")
        lines = [
            "[server]",
            'listen = "127.0.0.1:0"',
            *server_lines,
            "",
            "[storage]",
            f'data_dir = "{self.data_dir}"',
            "",
            "[tenant]",
            f'name = "{tenant}"',
        ]
        if self.limits:
            lines += ["", "[limits]"] + [f"{k} = {v}" for k, v in self.limits.items()]
        if log_level:
            lines += ["", "[log]", f'level = "{log_level}"']
        self.clock_start = clock_start
        self._first_start = None
        self._lines = lines
        self._write_config(clock_start)

    def _write_config(self, clock_start):
        lines = list(self._lines)
        if clock_start:
            lines += ["", "[testing]", f'clock_start = "{clock_start}"']
        with open(self.config, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def now(self):
        """The server's clock (UTC, aware): the test clock when one is set, else the real one."""
        if not self.clock_start:
            return datetime.datetime.now(datetime.timezone.utc)
        start = datetime.datetime.strptime(self.clock_start, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
        if self._first_start is None:
            return start
        return start + datetime.timedelta(seconds=time.monotonic() - self._first_start)

    def _advance_clock(self):
        """The server's test clock starts at `clock_start` each time the process starts; across
        restarts it must go on from where it was, so each start moves it on by the real time
        elapsed since the first start (editing only that line: tests may have changed others)."""
        if not self.clock_start:
            return
        if self._first_start is None:
            self._first_start = time.monotonic()
        at = self.now()
        text = at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"
        with open(self.config, encoding="utf-8") as f:
            config = f.read()
        config = re.sub(r'clock_start = "[^"]*"', f'clock_start = "{text}"', config)
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(config)

    # --- commands -----------------------------------------------------------------------------

    def command(self, *args, timeout=60):
        return subprocess.run([CONFIDANTD, "--config", self.config, *args], capture_output=True,
                              timeout=timeout, cwd=self.tmp)

    def init(self):
        done = self.command("init")
        if done.returncode != 0:
            raise AssertionError(f"confidantd init failed ({done.returncode}): {done.stderr.decode()}")
        return done

    def start(self, timeout=30):
        """Starts `run` and waits for the first stdout line to learn the port. After a restart
        stdout/stderr hold the new run's output."""
        for f in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if f:
                f.close()
        self._advance_clock()
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        self.process = subprocess.Popen([CONFIDANTD, "--config", self.config, "run"], stdout=self._out,
                                        stderr=self._err, stdin=subprocess.DEVNULL, cwd=self.tmp)

        def first_line():
            if self.process.poll() is not None:
                raise AssertionError(f"confidantd run exited with {self.process.returncode}: {self.stderr()}")
            text = self.stdout()
            return text.split("\n", 1)[0] if "\n" in text else None

        line = poll_until(first_line, timeout, what="the `listening` line")
        m = LISTENING.match(line)
        if not m:
            raise AssertionError(f"unexpected first line: {line!r}")
        self.port = int(m.group(2))
        return self

    def stdout(self):
        with open(self.stdout_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stderr(self):
        if not os.path.exists(self.stderr_path):
            return ""
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def terminate(self, timeout=5):
        """SIGTERM; returns the exit code, or raises if it does not exit within `timeout` s."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def cleanup(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for f in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if f:
                f.close()
        remove_tree(self.tmp)

    # --- addresses ----------------------------------------------------------------------------

    @property
    def ws_url(self):
        return f"ws://127.0.0.1:{self.port}/v1/ws"

    def files(self):
        """Every regular file under the data directory."""
        out = []
        for root, _, names in os.walk(self.data_dir):
            out += [os.path.join(root, n) for n in names]
        return out


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class RawWebSocket:
    """A minimal RFC 6455 client over a plain socket, for frames no library would send."""

    def __init__(self, port, path="/v1/ws", protocol=SUBPROTOCOL, rcvbuf=None, timeout=10):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n")
        if protocol:
            request += f"Sec-WebSocket-Protocol: {protocol}\r\n"
        self.sock.sendall((request + "\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise AssertionError(f"connection closed during the handshake: {head!r}")
            head += chunk
        self.response_head = head.decode("latin-1")
        self.status = int(self.response_head.split(" ", 2)[1])
        self.buffer = b""

    @staticmethod
    def frame(opcode, payload, fin=True):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        n = len(payload)
        if n < 126:
            length = bytes([0x80 | n])
        elif n < 65536:
            length = bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            length = bytes([0x80 | 127]) + struct.pack("!Q", n)
        return bytes([(0x80 if fin else 0) | opcode]) + length + mask + masked

    def send(self, opcode, payload):
        self.sock.sendall(self.frame(opcode, payload))

    def send_close(self, code=1000):
        self.send(0x8, struct.pack("!H", code))

    def _fill(self, n, deadline):
        while len(self.buffer) < n:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout("frame not received in time")
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buffer += chunk

    def recv_frame(self, timeout=10):
        """Returns (fin, opcode, payload) of the next frame; EOFError on TCP close."""
        deadline = time.monotonic() + timeout
        self._fill(2, deadline)
        b0, b1 = self.buffer[0], self.buffer[1]
        if b1 & 0x80:
            raise AssertionError("the server sent a masked frame")
        n, header = b1 & 0x7F, 2
        if n == 126:
            self._fill(4, deadline)
            n, header = struct.unpack("!H", self.buffer[2:4])[0], 4
        elif n == 127:
            self._fill(10, deadline)
            n, header = struct.unpack("!Q", self.buffer[2:10])[0], 10
        self._fill(header + n, deadline)
        payload = self.buffer[header:header + n]
        self.buffer = self.buffer[header + n:]
        return bool(b0 & 0x80), b0 & 0x0F, payload

    def wait_eof(self, timeout=10):
        """Reads until the server closes TCP; returns the frames received meanwhile."""
        frames = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                frames.append(self.recv_frame(timeout=max(0.0, deadline - time.monotonic())))
            except (EOFError, ConnectionResetError):
                return frames

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
