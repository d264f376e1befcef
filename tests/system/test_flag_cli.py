#!/usr/bin/python3
"""System tests of safeguarding flags with the `confidant` command-line client against the real
`confidantd` (docs/protocol.md 7.23-7.28, docs/client.md "Safeguarding flags"): a headteacher
raises a flag quoting an associate's message, the SPOC's client shows the text and the quote as
verified, handles it (ack, note, resolve, legal hold) and rotates its key; out of hours the
emergency route is shown and the deadline is Monday in Europe/London time; without a SPOC the
flag is refused and the route shown; `inbox --follow` on the SPOC's device prints the flag and
its escalation with category and urgency only. Canaries: no flag text, note, quoted text or
passphrase in any server or profile file or log.

    /usr/bin/python3 test_flag_cli.py --confidantd PATH --confidant PATH [unittest arguments]
"""

import datetime
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import test_cli  # noqa: E402
from test_cli import EXIT_ERROR_ANSWER, EXIT_USAGE, CliCase  # noqa: E402

ROUTE = "If a child is in immediate danger, call the police on 999. Out of hours, call the Test LA duty team on 0100 000 0000."


def parse(t):
    return datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)


def wire(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


class FlagCliCase(CliCase):
    clock_start = harness.Server.DEFAULT_CLOCK

    def setUp(self):
        self.server = harness.Server(clock_start=self.clock_start)
        self.addCleanup(self.server.cleanup)
        with open(self.server.config, "a", encoding="utf-8") as f:
            f.write(f'\n[safeguarding]\nemergency_route = "{ROUTE}"\n')
        self.server.init()
        self.server.start()
        self.clients = tempfile.mkdtemp(prefix="confidant-flag-cli-")
        self.addCleanup(harness.remove_tree, self.clients)

    def people(self):
        coord, head, assoc = self.paired_people()
        spoc = self.invite_and_register(coord, "spoc", "Sam Spoc")
        return coord, head, assoc, spoc

    def quoted_message(self, head, assoc, text):
        """The associate writes to the head; returns the head's local id of it."""
        self.ok(assoc, "send", "Hana Head", text)
        self.assertEqual([m["text"] for m in self.ok(head, "inbox")["messages"]], [text])
        history = self.ok(head, "history", str(assoc.user))["messages"]
        return [m["local_id"] for m in history if m["text"] == text][0]


class FlagCliTest(FlagCliCase):
    def test_raise_with_a_quote_then_the_spoc_verifies_and_handles_it(self):
        coord, head, assoc, spoc = self.people()
        keys = self.ok(spoc, "spoc", "keys", "list")["keys"]
        self.assertEqual([(k["key_id"], k["published"], k["retired"]) for k in keys], [(1, True, False)],
                         "a SPOC device publishes its sealing key when it registers")

        canary = "CANARY-" + secrets.token_hex(10)
        quoted_text = f"Between us, I saw marks on the boy's arm again {canary}-quoted"
        local_id = self.quoted_message(head, assoc, quoted_text)
        flag_text = f"An associate told me about marks on a pupil's arm {canary}-flag"
        raised = self.ok(head, "flag", "raise", "--category", "child_protection", "--urgency", "immediate",
                         "--quote", str(local_id), stdin=flag_text.encode())
        self.assertGreater(raised["flag"], 0)
        self.assertEqual((raised["state"], raised["quotes"], raised["out_of_hours"]), ("received", 1, False))
        self.assertEqual(parse(raised["deadline_at"]) - parse(raised["raised_at"]), datetime.timedelta(hours=2))
        # The server's clock starts on Monday 23 November 2026 at 10:00 GMT.
        self.assertTrue(raised["deadline_local"].startswith("Mon 23 Nov 2026 12:0"), raised["deadline_local"])
        self.assertTrue(raised["deadline_local"].endswith(" GMT"), raised["deadline_local"])
        self.assertEqual(raised["emergency_route"], ROUTE)
        flag = str(raised["flag"])

        # The SPOC's device: the list, then the text and the quote, verified.
        listed = self.ok(spoc, "flag", "list")["flags"]
        self.assertEqual([(f["flag"], f["raised_by"]["user"], f["state"]) for f in listed],
                         [(raised["flag"], head.user, "received")])
        shown = self.ok(spoc, "flag", "show", flag)
        self.assertTrue(shown["received"]["opened"])
        self.assertEqual(shown["received"]["problem"], "")
        self.assertEqual(shown["received"]["text"], flag_text)
        self.assertEqual(len(shown["received"]["quotes"]), 1)
        quote = shown["received"]["quotes"][0]
        self.assertTrue(quote["verified"])
        self.assertEqual((quote["sender"], quote["recipient"], quote["text"]),
                         (str(assoc.user), str(head.user), quoted_text))
        code, out, err = self.run_cli(spoc, "flag", "show", flag, json_out=False)
        self.assertEqual(code, 0, err)
        self.assertIn(f"Flag #{flag}: child_protection, immediate urgency: received", out)
        self.assertIn(flag_text, out)
        self.assertIn(f"1. verified: sent by user {assoc.user} at Mon 23 Nov 2026 ", out)
        self.assertIn(quoted_text, out)
        self.assertNotIn("FAILED", out)

        # Handling; the raiser sees the states, never the notes or the outcome.
        self.assertEqual(self.ok(spoc, "flag", "ack", flag)["state"], "acknowledged")
        self.assertEqual(self.ok(head, "flag", "list")["flags"][0]["state"], "acknowledged")
        note_text = f"Spoke to the DSL {canary}-note"
        self.ok(spoc, "flag", "note", flag, "--text", note_text)
        _, err = self.fails(spoc, "flag", "ack", flag, expect=EXIT_ERROR_ANSWER)
        self.assertIn("wrong_state", err)
        self.assertEqual(self.ok(spoc, "flag", "resolve", flag, "--outcome", "advice_given")["outcome"], "advice_given")
        self.assertTrue(self.ok(spoc, "flag", "hold", flag, "on")["legal_hold"])
        shown = self.ok(spoc, "flag", "show", flag)
        self.assertEqual([(n["text"], n["verified"]) for n in shown["notes"]], [(note_text, True)])
        actions = [h["action"] for h in shown["history"]]
        for action in ("flag_raised", "flag_acknowledged", "flag_note_added", "flag_resolved", "flag_hold_set"):
            self.assertIn(action, actions)
        mine = self.ok(head, "flag", "list")["flags"]
        self.assertEqual(mine[0]["state"], "resolved")
        self.assertNotIn("outcome", mine[0])
        self.assertEqual(self.ok(head, "flag", "show", flag)["mine"]["text"], flag_text)
        _, err = self.fails(head, "flag", "ack", flag, expect=EXIT_ERROR_ANSWER)
        self.assertIn("forbidden", err)

        # Rotation: key 2 is current, key 1 kept (retired); the flag is still readable.
        self.assertEqual(self.ok(spoc, "spoc", "keys", "rotate")["key_id"], 2)
        keys = self.ok(spoc, "spoc", "keys", "list")["keys"]
        self.assertEqual([(k["key_id"], k["retired"]) for k in keys], [(1, True), (2, False)])
        self.assertEqual(self.ok(spoc, "flag", "show", flag)["received"]["text"], flag_text)

        # The canary is in no server file or log and no profile file, while running and after.
        people = (coord, head, assoc, spoc)
        logs = [self.server.stdout_path, self.server.stderr_path]
        self.assert_no_canary(self.server.files() + logs + self.all_files(self.clients), canary, people)
        self.assertEqual(self.server.terminate(), 0)
        self.assert_no_canary(self.server.files() + logs + self.all_files(self.clients), canary, people)

    def test_refusals_and_usage(self):
        coord, head, assoc, spoc = self.people()
        _, err = self.fails(head, "flag", "raise", "--category", "gossip", "--urgency", "urgent", "--text", "x",
                            expect=EXIT_USAGE, json_out=False)
        _, err = self.fails(head, "flag", "raise", "--category", "other", "--urgency", "urgent", "--text", "x",
                            "--quote", "999", expect=EXIT_USAGE)
        self.assertIn("cannot quote message 999", err)
        self.assertEqual(self.ok(head, "flag", "list")["flags"], [], "a refused quote stores no flag")
        _, err = self.fails(spoc, "flag", "raise", "--category", "other", "--urgency", "urgent", "--text", "x",
                            expect=EXIT_ERROR_ANSWER)
        self.assertIn("forbidden", err)
        self.assertNotIn("NOT delivered", err)
        _, err = self.fails(coord, "invite", "--role", "headteacher", "--name", "D", "--deputy", expect=EXIT_USAGE)
        self.assertIn("--deputy is only for --role spoc", err)
        deputy = self.ok(coord, "invite", "--role", "spoc", "--name", "Dee Puty", "--deputy")
        self.assertTrue(deputy["deputy"])


class OutOfHoursCliTest(FlagCliCase):
    clock_start = "2026-11-21T22:40:00.000Z"  # Saturday night

    def test_the_emergency_route_comes_first_and_the_deadline_is_monday(self):
        _, head, _, spoc = self.people()
        code, out, err = self.run_cli(head, "flag", "raise", "--category", "child_protection", "--urgency",
                                      "immediate", "--text", "A pupil is not safe at home tonight.", json_out=False)
        self.assertEqual(code, 0, err)
        self.assertIn("OUT OF HOURS", out)
        self.assertIn(ROUTE, out)
        self.assertLess(out.index(ROUTE), out.index("Safeguarding flag #"), "the route is shown first")
        # Saturday night: due at 10:00 on Monday (2 working hours from 08:00), London time.
        self.assertIn("acknowledge it by Mon 23 Nov 2026 10:00 GMT (Europe/London)", out)
        listed = self.ok(spoc, "flag", "list")["flags"]
        self.assertEqual(len(listed), 1, "delivered at once, never held")


class NoSpocCliTest(FlagCliCase):
    def test_without_a_spoc_the_flag_is_not_delivered_and_the_route_is_shown(self):
        _, head, _ = self.paired_people()
        out, err = self.fails(head, "flag", "raise", "--category", "leader_wellbeing", "--urgency", "urgent",
                              "--text", "I am not coping.", expect=EXIT_ERROR_ANSWER)
        self.assertEqual(json.loads(out.strip().splitlines()[-1])["code"], "no_spoc")
        self.assertIn("NOT delivered", err)
        self.assertIn("999", err)
        mine = self.ok(head, "flag", "list")["flags"]
        self.assertEqual([(f["flag"], f["local_state"]) for f in mine], [(0, "failed")])


class FollowAlertCliTest(FlagCliCase):
    def test_follow_shows_the_flag_and_its_escalation_without_content(self):
        _, head, _, spoc = self.people()
        with open(self.server.config, encoding="utf-8") as f:
            config = f.read().replace('listen = "127.0.0.1:0"', f'listen = "127.0.0.1:{self.server.port}"')
        with open(self.server.config, "w", encoding="utf-8") as f:
            f.write(config)
        env = dict(os.environ, CONFIDANT_PASSPHRASE=spoc.passphrase)
        follower = subprocess.Popen([test_cli.CONFIDANT, "--profile", spoc.profile, "--json", "inbox", "--follow"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                    env=env)

        def stop():
            if follower.poll() is None:
                follower.kill()
                follower.wait()
            follower.stdout.close()
            follower.stderr.close()

        self.addCleanup(stop)
        lines = []

        def next_flag_notice(event, timeout=30):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                line = follower.stdout.readline()
                if not line:
                    break
                lines.append(line.decode())
                obj = json.loads(line)
                notice = obj.get("notice", {})
                if notice.get("kind") == "flag" and notice["flag"]["event"] == event:
                    return notice
            self.fail(f"no {event} notice from inbox --follow; got {lines}")

        time.sleep(1.5)  # the follower has logged in
        canary = "CANARY-" + secrets.token_hex(10)
        raised = self.ok(head, "flag", "raise", "--category", "staff_allegation", "--urgency", "urgent",
                         "--text", f"About the deputy head {canary}")
        notice = next_flag_notice("flag")
        self.assertEqual(notice["flag"], {"event": "flag", "flag": raised["flag"], "category": "staff_allegation",
                                          "urgency": "urgent", "state": "received", "alert": True})

        # The deadline passes while the server is down; it escalates after its restart and the
        # follower, reconnected, prints the alert.
        self.assertEqual(self.server.terminate(), 0)
        self.server.clock_start = wire(parse(raised["deadline_at"]) - datetime.timedelta(seconds=8))
        self.server._first_start = None
        self.server.start()
        alert = next_flag_notice("alert", timeout=60)
        self.assertEqual((alert["flag"]["flag"], alert["flag"]["category"], alert["flag"]["urgency"],
                          alert["flag"]["escalations"]), (raised["flag"], "staff_allegation", "urgent", 1))
        follower.send_signal(signal.SIGINT)
        self.assertEqual(follower.wait(timeout=10), 0)
        everything = "".join(lines) + follower.stderr.read().decode()
        self.assertNotIn(canary, everything, "a notice carries category and urgency only")
        listed = self.ok(spoc, "flag", "list")["flags"]
        self.assertEqual(listed[0]["escalations"], 1)


if __name__ == "__main__":
    test_cli.main()  # --confidantd PATH --confidant PATH, then unittest arguments
