#!/usr/bin/python3
"""System tests of the `confidant` command-line client against the real `confidantd`, driven as a
person would: the first coordinator from `confidantd invite`, invites for a headteacher and an
associate, a pairing, a conversation both ways, inbox, history, safety numbers, and a canary
that no message text reaches any server file (database, -wal, -shm, logs) or any client profile
file in the clear. Passphrases come through CONFIDANT_PASSPHRASE (or --passphrase-file).

    /usr/bin/python3 test_cli.py --confidantd PATH --confidant PATH [unittest arguments]
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

CONFIDANT = None  # set from --confidant

# Exit codes (client/cli/commands.hpp).
EXIT_OK, EXIT_ERROR_ANSWER, EXIT_USAGE = 0, 1, 2
EXIT_PROFILE, EXIT_SECURITY, EXIT_UNKNOWN_CONTACT, EXIT_SESSION_ENDED = 6, 7, 8, 9


class Person:
    def __init__(self, root, name, passphrase=None):
        self.name = name
        self.profile = os.path.join(root, name.lower().replace(" ", "-"))
        # The CANARY- prefix puts every generated passphrase on the whole-suite sweep's list.
        self.passphrase = passphrase or f"CANARY-PASS-{secrets.token_hex(8)} {name}"
        self.user = None


class CliCase(unittest.TestCase):
    server_limits = None

    def setUp(self):
        self.server = harness.Server(limits=self.server_limits)
        self.addCleanup(self.server.cleanup)
        self.server.init()
        self.server.start()
        self.clients = tempfile.mkdtemp(prefix="confidant-cli-")
        self.addCleanup(harness.remove_tree, self.clients)

    # --- running the binaries -----------------------------------------------------------------

    def run_cli(self, person, *args, json_out=True, passphrase=None, env=None, timeout=60, stdin=None):
        """Runs `confidant --profile P [--json] args...`; returns (exit code, stdout, stderr)."""
        environment = dict(os.environ)
        environment.pop("CONFIDANT_PROFILE", None)
        environment.pop("CONFIDANT_SERVER", None)
        environment["CONFIDANT_PASSPHRASE"] = passphrase if passphrase is not None else person.passphrase
        if env:
            environment.update(env)
        argv = [CONFIDANT, "--profile", person.profile] + (["--json"] if json_out else []) + list(args)
        done = subprocess.run(argv, capture_output=True, timeout=timeout, env=environment, input=stdin,
                              stdin=None if stdin is not None else subprocess.DEVNULL)
        return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")

    def ok(self, person, *args, **kwargs):
        """Runs a command that must succeed; returns its JSON answer."""
        code, out, err = self.run_cli(person, *args, **kwargs)
        self.assertEqual(code, EXIT_OK, f"confidant {' '.join(args)} failed ({code}): {err}{out}")
        answer = json.loads(out.strip().splitlines()[-1])
        self.assertTrue(answer["ok"], answer)
        return answer

    def fails(self, person, *args, expect, **kwargs):
        code, out, err = self.run_cli(person, *args, **kwargs)
        self.assertEqual(code, expect, f"confidant {' '.join(args)}: expected exit {expect}, got {code}: {err}{out}")
        if expect != EXIT_USAGE:
            self.assertTrue(err.startswith("confidant: "), err)
        return out, err

    def assert_no_canary(self, files, canary, people=()):
        for path in files:
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except FileNotFoundError:  # a -wal or -shm removed meanwhile
                continue
            self.assertNotIn(canary.encode(), data, f"{path} holds a message text in the clear")
            for p in people:
                self.assertNotIn(p.passphrase.encode(), data, f"{path} holds a passphrase")

    def bootstrap_coordinator(self, name="Cora Ordinator"):
        done = self.server.command("invite", "--name", name)
        self.assertEqual(done.returncode, 0, done.stderr.decode())
        code = [line.split()[-1] for line in done.stdout.decode().splitlines() if line.strip().startswith("code:")][0]
        coord = Person(self.clients, name)
        answer = self.ok(coord, "--server", self.server.ws_url, "register", "--invite", code)
        self.assertEqual(answer["role"], "coordinator")
        coord.user = answer["user"]
        return coord

    def invite_and_register(self, coord, role, name):
        invite = self.ok(coord, "invite", "--role", role, "--name", name)
        self.assertEqual((invite["role"], invite["display_name"]), (role, name))
        person = Person(self.clients, name)
        answer = self.ok(person, "register", "--invite", invite["code"], "--server", self.server.ws_url)
        self.assertEqual((answer["role"], answer["display_name"], answer["device"]), (role, name, 1))
        person.user = answer["user"]
        return person

    def approved_associate(self, coord, assoc, capacity=2):
        """The associate writes a profile with `capacity` places and the coordinator approves them
        with eligible evidence (protocol revision 5: only approved associates with a free place are
        paired)."""
        self.ok(assoc, "profile", "set", "--region", "north", "--size-band", "small", "--phase", "primary",
                "--school", f"{assoc.name} School", "--capacity", str(capacity))
        approved = self.ok(coord, "associates", "approve", assoc.name, "--years", "9", "--last-inspection", "good",
                           "--training-completed", "--coaching-record")["associate"]
        self.assertEqual(approved["status"], "approved")
        return approved

    def paired_people(self):
        coord = self.bootstrap_coordinator()
        head = self.invite_and_register(coord, "headteacher", "Hana Head")
        assoc = self.invite_and_register(coord, "associate", "Asa Sociate")
        self.approved_associate(coord, assoc)
        pairing = self.ok(coord, "pair", "Hana Head", "Asa Sociate")
        self.assertTrue(pairing["created"])
        self.assertEqual((pairing["headteacher"], pairing["associate"]), (head.user, assoc.user))
        self.assertGreater(pairing["cycle"], 0)
        return coord, head, assoc

    def all_files(self, *roots):
        out = []
        for root in roots:
            for folder, _, names in os.walk(root):
                out += [os.path.join(folder, n) for n in names]
        return out


class ConversationTest(CliCase):
    def test_whole_conversation_as_people_use_it(self):
        canary = "CANARY-" + secrets.token_hex(12)
        coord, head, assoc = self.paired_people()

        # Pairing again is not an error.
        self.assertFalse(self.ok(coord, "pair", str(head.user), str(assoc.user))["created"])
        contacts = self.ok(head, "contacts")["contacts"]
        by_name = {c["display_name"]: c for c in contacts}
        self.assertEqual(set(by_name), {"Cora Ordinator", "Asa Sociate"})
        self.assertEqual(by_name["Asa Sociate"]["devices"], [1])

        # Headteacher -> associate by name, associate reads it with inbox.
        first = f"Could we meet on Thursday? {canary} one"
        sent = self.ok(head, "send", "Asa Sociate", first)
        self.assertEqual(sent["to"], assoc.user)
        self.assertGreater(sent["id"], 0)
        inbox = self.ok(assoc, "inbox")
        self.assertEqual([m["text"] for m in inbox["messages"]], [first])
        self.assertEqual(inbox["messages"][0]["peer"], head.user)
        self.assertEqual(inbox["messages"][0]["server_id"], sent["id"])
        # Shown once: the next inbox is empty.
        self.assertEqual(self.ok(assoc, "inbox")["messages"], [])

        # Associate -> headteacher by user id, and from standard input.
        second = f"Yes, Thursday at four. {canary} two"
        self.ok(assoc, "send", str(head.user), second)
        third = f"I'll bring the notes. {canary} three"
        self.ok(assoc, "send", "hana head", "-", stdin=third.encode())
        texts = [m["text"] for m in self.ok(head, "inbox")["messages"]]
        self.assertEqual(texts, [second, third])

        # Human-readable output.
        code, out, err = self.run_cli(head, "history", "Asa Sociate", json_out=False)
        self.assertEqual(code, EXIT_OK, err)
        lines = out.strip().splitlines()
        self.assertIn("Conversation with Asa Sociate", lines[0])
        # The associate's device confirmed it with a delivery receipt when `inbox` stored it.
        self.assertTrue(lines[1].endswith(f"you: {first} [delivered]"), lines)
        self.assertTrue(lines[2].endswith(f"Asa Sociate: {second}"), lines)
        self.assertTrue(lines[3].endswith(f"Asa Sociate: {third}"), lines)
        history = self.ok(assoc, "history", str(head.user))["messages"]
        self.assertEqual([(m["outgoing"], m["text"], m["state"]) for m in history],
                         [(False, first, "delivered"), (True, second, "accepted"), (True, third, "accepted")])

        # Safety numbers: both sides see the same 60 digits; --verify records it.
        mine = self.ok(head, "safety-number", "Asa Sociate")["devices"]
        theirs = self.ok(assoc, "safety-number", "Hana Head")["devices"]
        self.assertEqual(len(mine), 1)
        self.assertEqual(len(mine[0]["safety_number"]), 60)
        self.assertTrue(mine[0]["safety_number"].isdigit())
        self.assertEqual(mine[0]["safety_number"], theirs[0]["safety_number"])
        self.assertFalse(mine[0]["verified"])
        self.assertTrue(self.ok(head, "safety-number", "Asa Sociate", "--verify")["devices"][0]["verified"])
        self.assertTrue(self.ok(head, "safety-number", "Asa Sociate")["devices"][0]["verified"])
        code, out, _ = self.run_cli(head, "safety-number", "Asa Sociate", json_out=False)
        self.assertIn(" ".join([mine[0]["safety_number"][i:i + 5] for i in range(0, 60, 5)]), out)

        # Anyone may write to the coordinator; the coordinator reads it.
        self.ok(head, "send", "Cora Ordinator", f"Programme question {canary} four")
        self.assertEqual(len(self.ok(coord, "inbox")["messages"]), 1)

        # Devices and device links.
        devices = self.ok(head, "devices")["devices"]
        self.assertEqual([(d["device"], d["current"]) for d in devices], [(1, True)])
        self.assertEqual(len(self.ok(head, "device", "link")["code"].replace("-", "")), 26)
        _, err = self.fails(head, "device", "remove", "1", expect=EXIT_ERROR_ANSWER)
        self.assertIn("last_device", err)

        # The canary is in no server file (while it runs, with its -wal and -shm, and after it
        # stopped) and in no profile file.
        running = self.server.files()
        self.assertTrue(any(f.endswith("-wal") for f in running), f"the server's WAL is checked too: {running}")
        self.assert_no_canary(running + [self.server.stdout_path, self.server.stderr_path], canary, (head, assoc, coord))
        self.assertEqual(self.server.terminate(), 0)
        files = self.server.files() + [self.server.stdout_path, self.server.stderr_path] + self.all_files(self.clients)
        self.assert_no_canary(files, canary, (head, assoc, coord))

    def test_passphrase_file_and_wrong_passphrase(self):
        coord = self.bootstrap_coordinator()
        secret_file = os.path.join(self.clients, "pass.txt")
        with open(secret_file, "w") as f:
            f.write(coord.passphrase + "\n")
        self.ok(coord, "--passphrase-file", secret_file, "contacts", env={"CONFIDANT_PASSPHRASE": ""})
        _, err = self.fails(coord, "contacts", expect=EXIT_PROFILE, passphrase="not the passphrase")
        self.assertIn("wrong passphrase", err)
        nobody = Person(self.clients, "Nobody")
        _, err = self.fails(nobody, "inbox", expect=EXIT_PROFILE)
        self.assertIn("register first", err)
        # Without a terminal and without the variable there is no passphrase to use.
        _, err = self.fails(coord, "contacts", expect=EXIT_PROFILE, env={"CONFIDANT_PASSPHRASE": ""})
        self.assertIn("CONFIDANT_PASSPHRASE", err)


class ErrorTest(CliCase):
    def test_errors_name_the_server_code_and_use_stable_exit_codes(self):
        coord, head, assoc = self.paired_people()
        lonely = self.invite_and_register(coord, "headteacher", "Lone Head")
        out, err = self.fails(lonely, "send", str(assoc.user), "hello?", expect=EXIT_ERROR_ANSWER)
        self.assertIn("not_paired", err)
        self.assertEqual(json.loads(out)["code"], "not_paired")
        _, err = self.fails(head, "send", "Nobody Here", "x", expect=EXIT_UNKNOWN_CONTACT)
        self.assertIn("no contact called", err)
        _, err = self.fails(head, "invite", "--role", "associate", "--name", "X", expect=EXIT_ERROR_ANSWER)
        self.assertIn("forbidden", err)
        _, err = self.fails(head, "invite", "--role", "wizard", "--name", "X", expect=EXIT_USAGE, json_out=False)
        used = Person(self.clients, "Reuser")
        invite = self.ok(coord, "invite", "--role", "associate", "--name", "Once Only")
        self.ok(used, "register", "--invite", invite["code"], "--server", self.server.ws_url)
        again = Person(self.clients, "Reuser Two")
        _, err = self.fails(again, "register", "--invite", invite["code"], "--server", self.server.ws_url,
                            expect=EXIT_ERROR_ANSWER)
        self.assertIn("invite_used", err)
        self.assertFalse(os.path.exists(os.path.join(again.profile, "local.db")))
        _, err = self.fails(used, "register", "--invite", invite["code"], "--server", self.server.ws_url,
                            expect=EXIT_PROFILE)
        self.assertIn("already a profile", err)
        # A server that is not running.
        self.server.terminate()
        _, err = self.fails(head, "inbox", expect=3)


class FollowTest(CliCase):
    def test_follow_prints_messages_as_they_come_and_survives_a_server_restart(self):
        coord, head, assoc = self.paired_people()
        # Pin the port so that a restarted server is found at the profile's address.
        with open(self.server.config, encoding="utf-8") as f:
            config = f.read().replace('listen = "127.0.0.1:0"', f'listen = "127.0.0.1:{self.server.port}"')
        with open(self.server.config, "w", encoding="utf-8") as f:
            f.write(config)

        env = dict(os.environ, CONFIDANT_PASSPHRASE=assoc.passphrase)
        follower = subprocess.Popen([CONFIDANT, "--profile", assoc.profile, "--json", "inbox", "--follow"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
        def stop_follower():
            if follower.poll() is None:
                follower.kill()
                follower.wait()
            follower.stdout.close()
            follower.stderr.close()

        self.addCleanup(stop_follower)
        lines = []

        def next_message(timeout=20):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                line = follower.stdout.readline()
                if not line:
                    break
                obj = json.loads(line)
                lines.append(obj)
                if "message" in obj:
                    return obj["message"]
            self.fail(f"no message from inbox --follow; got {lines}; stderr {follower.stderr.read1(65536)!r}")

        canary = "CANARY-" + secrets.token_hex(12)
        self.ok(head, "send", "Asa Sociate", f"live one {canary}")
        self.assertEqual(next_message()["text"], f"live one {canary}")
        # While the follower runs its profile has a -wal and -shm beside the database.
        profile_files = self.all_files(assoc.profile)
        self.assertTrue(any(f.endswith("-wal") for f in profile_files), profile_files)
        self.assert_no_canary(profile_files + self.server.files(), canary, (assoc,))

        self.assertEqual(self.server.terminate(), 0)
        self.server.start()
        self.ok(head, "send", "Asa Sociate", "after the restart")
        self.assertEqual(next_message(timeout=60)["text"], "after the restart")

        follower.send_signal(signal.SIGINT)
        self.assertEqual(follower.wait(timeout=10), 0)
        # Both were stored and are not shown again.
        self.assertEqual(self.ok(assoc, "inbox")["messages"], [])
        self.assertEqual(len(self.ok(assoc, "inbox", "--all")["messages"]), 2)


def main():
    global CONFIDANT
    args = sys.argv[1:]
    for flag in ("--confidantd", "--confidant"):
        if flag not in args:
            sys.exit(f"usage: {sys.argv[0]} --confidantd PATH --confidant PATH [unittest arguments]")
        i = args.index(flag)
        value = os.path.abspath(args[i + 1])
        del args[i:i + 2]
        if flag == "--confidantd":
            harness.CONFIDANTD = value
        else:
            CONFIDANT = value
    unittest.main(argv=[sys.argv[0]] + args, verbosity=2)


if __name__ == "__main__":
    main()
