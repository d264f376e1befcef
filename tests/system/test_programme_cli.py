#!/usr/bin/python3
"""System test of the support programme (docs/protocol.md 7.29-7.40) with the `confidant`
command-line client against the real `confidantd`, driven as people would: one headteacher from a
request to a closed cycle with feedback.

The coordinator approves an associate (refused first on too few years), the headteacher requests
support with a concern (sealed to the coordinators and to their own devices), reads the offers,
ranks the associate, the coordinator pairs them and the associate is told to make contact first;
they message, meet (a meeting a few seconds ahead on the server's test clock, so it takes place),
the associate writes a note of it and the headteacher sees only that a note exists; the cycle
becomes active, the coordinator closes it and asks for feedback, the headteacher answers and
releases one item, the associate reads only that item; the statistics CSV has the cycle's row.
Canaries: no concern, answer or note text in any server file or log, and nothing unreleased in
anything the associate's client prints.

    /usr/bin/python3 test_programme_cli.py --confidantd PATH --confidant PATH [unittest arguments]
"""

import csv
import datetime
import io
import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cli  # noqa: E402
from test_cli import EXIT_ERROR_ANSWER, EXIT_USAGE, CliCase  # noqa: E402


def wire(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


class ProgrammeCliTest(CliCase):
    def fails_with(self, person, *args, code):
        """A command the server refuses with `code`; returns its JSON answer."""
        out, _ = self.fails(person, *args, expect=EXIT_ERROR_ANSWER)
        answer = json.loads(out.strip().splitlines()[-1])
        self.assertEqual(answer["code"], code, answer)
        return answer

    def text_of(self, person, *args):
        """The human-readable output (stdout, stderr) of a command that must succeed."""
        code, out, err = self.run_cli(person, *args, json_out=False)
        self.assertEqual(code, 0, f"confidant {' '.join(args)} failed ({code}): {err}{out}")
        return out, err

    def follow(self, person):
        """Starts `inbox --follow --json` for `person` (their device is then logged in there: stop it
        before their next command); returns (process, queue of the JSON lines)."""
        env = dict(os.environ, CONFIDANT_PASSPHRASE=person.passphrase)
        env.pop("CONFIDANT_PROFILE", None)
        env.pop("CONFIDANT_SERVER", None)
        process = subprocess.Popen([test_cli.CONFIDANT, "--profile", person.profile, "--json", "inbox", "--follow"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
        lines = queue.Queue()

        def read():
            for line in process.stdout:
                lines.put(json.loads(line))

        threading.Thread(target=read, daemon=True).start()

        def stop():
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()

        self.addCleanup(stop)
        return process, lines

    def stop_following(self, process):
        process.send_signal(signal.SIGINT)
        self.assertEqual(process.wait(timeout=10), 0)

    def programme_notice(self, lines, event, timeout=30):
        """The next programme notice of `event` (cycle, note_notice) a follower printed."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                obj = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(obj)
            notice = obj.get("notice", {})
            if notice.get("kind") == "programme" and notice["programme"]["event"] == event:
                return notice
        self.fail(f"no {event} notice; the follower printed {seen}")

    def wait_state(self, person, cycle, state, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            shown = self.ok(person, "cycles", "show", str(cycle))["cycle"]
            if shown["state"] == state or time.monotonic() > deadline:
                self.assertEqual(shown["state"], state, shown)
                return shown
            time.sleep(1)

    def test_one_headteacher_from_request_to_feedback(self):
        canary = "CANARY-" + secrets.token_hex(8)
        concern = f"Governors and a budget deficit {canary}-concern"
        answers = [f"The budget sessions helped most {canary}-released", f"More time on staffing {canary}-kept"]
        note = f"Talked through the deficit plan {canary}-note"

        coord = self.bootstrap_coordinator()
        head = self.invite_and_register(coord, "headteacher", "Hana Head")
        assoc = self.invite_and_register(coord, "associate", "Asa Sociate")

        # The associate publishes a profile; the coordinator approves them on eligible evidence only.
        profile = self.ok(assoc, "profile", "set", "--region", "north", "--size-band", "small", "--phase", "primary",
                          "--school", "Hill Top Primary", "--capacity", "2", "--skill", "finance", "--skill",
                          "wellbeing", "--school-type", "rural", "--summary", "Head of two rural primaries.")
        self.assertEqual(profile["associate"]["status"], "pending")
        self.assertEqual(profile["associate"]["profile"]["skills"], ["finance", "wellbeing"])
        # Only the members given change.
        self.assertEqual(self.ok(assoc, "profile", "set", "--capacity", "3")["associate"]["profile"]["skills"],
                         ["finance", "wellbeing"])
        refused = self.fails_with(coord, "associates", "approve", "Asa Sociate", "--years", "3", "--last-inspection",
                                  "good", "--training-completed", "--coaching-record", code="not_eligible")
        self.assertEqual(refused["unmet"], ["years_as_headteacher"])
        self.assertEqual([a["status"] for a in self.ok(coord, "associates", "list")["associates"]], ["pending"])
        approved = self.ok(coord, "associates", "approve", "Asa Sociate", "--years", "9", "--last-inspection", "good",
                           "--training-completed", "--coaching-record")["associate"]
        self.assertEqual((approved["status"], approved["evidence"]["years_as_headteacher"]), ("approved", 9))
        self.assertEqual(self.ok(coord, "profile", "show", "Asa Sociate")["associate"]["profile"]["capacity"], 3)

        # The headteacher asks for support; the concern comes from standard input.
        created = self.ok(head, "request", "create", "--school", "Castle Primary", "--region", "north", "--phase",
                          "primary", "--size-band", "small", stdin=concern.encode())["cycle"]
        cycle = created["cycle"]
        self.assertEqual((created["state"], created["has_concern"]), ("requested", True))
        self.assertEqual(self.ok(head, "cycles", "show", str(cycle))["cycle"]["concern"], concern)
        shown = self.ok(coord, "cycles", "show", str(cycle))
        self.assertEqual(shown["cycle"]["concern"], concern)
        self.assertTrue(shown["history"], "the coordinator sees the cycle's audit history")
        self.fails_with(head, "request", "create", "--school", "Castle Primary", "--region", "north",
                        "--concern", "again", code="limit_reached")

        # Offers, with filters; the ranking.
        offers = self.ok(head, "offers", "--phase", "primary", "--skill", "finance")["offers"]
        self.assertEqual([(o["user"], o["free_places"]) for o in offers], [(assoc.user, 3)])
        self.assertNotIn("school", offers[0], "an associate's own school is never shown to headteachers")
        self.assertEqual(self.ok(head, "offers", "--skill", "astronomy")["offers"], [])
        out, _ = self.text_of(head, "offers")
        self.assertIn("Asa Sociate", out)
        self.fails(head, "prefer", "Nobody Offered", expect=test_cli.EXIT_UNKNOWN_CONTACT)
        preferred = self.ok(head, "prefer", "asa sociate")["cycle"]
        self.assertEqual((preferred["state"], preferred["preferences"]), ("preferred", [assoc.user]))

        # The coordinator pairs the request; the associate, online, is asked to make contact first.
        follower, lines = self.follow(assoc)
        time.sleep(1.5)  # logged in and waiting
        paired = self.ok(coord, "pair", "--cycle", str(cycle), "Asa Sociate")
        self.assertEqual((paired["cycle"]["state"], paired["associate"]), ("paired", assoc.user))
        told = self.programme_notice(lines, "cycle")
        self.assertEqual((told["programme"]["change"], told["programme"]["prompt"]), ("paired", "make_contact"))
        self.assertIn("make contact first", told["text"])
        self.stop_following(follower)
        out, _ = self.text_of(assoc, "cycles", "list")
        self.assertIn("make contact first", out)
        mine = self.ok(assoc, "cycles", "list")["cycles"]
        self.assertEqual([(c["cycle"], c["state"]) for c in mine], [(cycle, "paired")])
        self.assertNotIn("region", mine[0], "the associate sees the request's school only")
        self.assertFalse(mine[0]["has_concern"])

        # They message each other.
        self.ok(assoc, "send", "Hana Head", f"Hello, I am your peer supporter {canary}-message")
        self.assertEqual(len(self.ok(head, "inbox")["messages"]), 1)
        self.ok(head, "send", "Asa Sociate", "Thank you, could we meet?")

        # A short meeting a few seconds ahead on the server's clock, accepted, then over its start.
        start = self.server.now().replace(microsecond=0) + datetime.timedelta(seconds=8)
        end = start + datetime.timedelta(seconds=12)
        meeting = self.ok(head, "meetings", "propose", "Asa Sociate", "--start", wire(start), "--end", wire(end),
                          "--kind", "initial", "--details", "Castle Primary, room 4")["meeting"]
        self.assertEqual(meeting.get("cycle", cycle), cycle)
        self.assertEqual(self.ok(assoc, "meetings", "accept", str(meeting["id"]))["meeting"]["state"], "accepted")
        self.fails_with(assoc, "note", "write", str(meeting["id"]), "--text", "too early", code="wrong_state")
        time.sleep(max(0.0, (start - self.server.now()).total_seconds()) + 1.5)

        # The associate's note: theirs to read; the headteacher, online, learns only that it exists.
        follower, lines = self.follow(head)
        time.sleep(1.5)
        written = self.ok(assoc, "note", "write", str(meeting["id"]), stdin=note.encode())
        self.assertEqual(written["meeting"], meeting["id"])
        told = self.programme_notice(lines, "note_notice")
        self.assertEqual(told["programme"]["meeting"], meeting["id"])
        self.assertNotIn(canary, json.dumps(told))
        self.stop_following(follower)
        self.assertEqual([n["text"] for n in self.ok(assoc, "note", "list")["notes"]], [note])
        notices = self.ok(head, "note", "list")["notes"]
        self.assertEqual([(n["meeting"], n["by"]) for n in notices], [(meeting["id"], assoc.user)])
        out, err = self.text_of(head, "note", "list")
        self.assertIn(f"Meeting #{meeting['id']}", out)
        self.assertIn("Asa Sociate", out)
        self.assertNotIn(canary, out + err + json.dumps(notices))

        # The first meeting took place: active. The coordinator closes the cycle; the pair lose access.
        active = self.wait_state(coord, cycle, "active")
        self.assertEqual(active["meetings_held"], 1)
        time.sleep(max(0.0, (end - self.server.now()).total_seconds()) + 1)  # over before the cycle closes
        closed = self.ok(coord, "close", str(cycle))["cycle"]
        self.assertEqual(closed["state"], "closed")
        self.fails_with(head, "send", "Asa Sociate", "still there?", code="not_paired")

        # Feedback: asked, answered (sealed to the coordinator and the headteacher), one item released.
        questions = ["What helped most?", "What would you change?"]
        asked = self.ok(coord, "feedback", "request", str(cycle), "--question", questions[0], "--question",
                        questions[1])["feedback"]
        self.assertEqual(asked["questions"], questions)
        self.assertEqual(self.ok(head, "cycles", "show", str(cycle))["cycle"]["feedback"], "requested")
        nothing = self.ok(assoc, "feedback", "show", str(cycle))["feedback"]
        self.assertEqual((nothing["questions"], nothing["released"]), ([], []))
        self.ok(head, "feedback", "submit", str(cycle), "--answer", answers[0], "--answer", answers[1])
        self.fails_with(head, "feedback", "submit", str(cycle), "--answer", "twice", code="wrong_state")
        for reader in (coord, head):
            items = self.ok(reader, "feedback", "show", str(cycle))["feedback"]["answers"]
            self.assertEqual([i.get("text") for i in items], answers)
        self.fails(head, "release", str(cycle), "3", expect=EXIT_USAGE)
        released = self.ok(head, "release", str(cycle), "1")
        self.assertEqual((released["item"], released["associate"]), (1, assoc.user))
        items = self.ok(head, "feedback", "show", str(cycle))["feedback"]["answers"]
        self.assertIn("released_at", items[0])
        self.assertNotIn("released_at", items[1])

        # The associate reads only the released item, in JSON and for people.
        seen = self.ok(assoc, "feedback", "show", str(cycle))["feedback"]
        self.assertEqual([(i["item"], i["question"], i["text"]) for i in seen["released"]], [(1, questions[0], answers[0])])
        out, err = self.text_of(assoc, "feedback", "show", str(cycle))
        self.assertIn(answers[0], out)
        associate_saw = json.dumps(seen) + out + err + json.dumps(self.ok(assoc, "cycles", "show", str(cycle)))
        for hidden in (answers[1], f"{canary}-kept", f"{canary}-concern", questions[1]):
            self.assertNotIn(hidden, associate_saw)

        # Supervision: the coordinator with the associate, outside any cycle.
        later = self.server.now().replace(microsecond=0) + datetime.timedelta(hours=2)
        supervision = self.ok(coord, "supervision", "Asa Sociate", "--start", wire(later), "--minutes", "30",
                              "--mode", "online")
        self.assertEqual(supervision["meeting"]["kind"], "supervision")
        self.assertNotIn("cycle", supervision)

        # Statistics, and the CSV export (RFC 4180).
        stats_path = os.path.join(self.clients, "stats.csv")
        stats = self.ok(coord, "stats", "--csv", stats_path)["stats"]
        self.assertEqual(stats["cycles_by_state"]["closed"], 1)
        self.assertEqual(stats["time_to_pairing"]["count"], 1)
        self.assertEqual(stats["csv"]["associates"], os.path.join(self.clients, "stats-associates.csv"))
        with open(stats_path, "rb") as f:
            raw = f.read()
        self.assertTrue(raw.endswith(b"\r\n"))
        self.assertNotIn(b"\n", raw.replace(b"\r\n", b""), "CSV lines end with CRLF")
        rows = list(csv.DictReader(io.StringIO(raw.decode(), newline="")))
        self.assertEqual([(r["cycle"], r["state"], r["headteacher"], r["associate"], r["meetings_held"])
                          for r in rows], [(str(cycle), "closed", str(head.user), str(assoc.user), "1")])
        self.assertTrue(rows[0]["paired_at"] and rows[0]["hours_to_pairing"])
        with open(stats["csv"]["associates"], encoding="utf-8", newline="") as f:
            people = list(csv.DictReader(f))
        self.assertEqual([(p["user"], p["display_name"], p["status"], p["capacity"]) for p in people],
                         [(str(assoc.user), "Asa Sociate", "approved", "3")])
        out, _ = self.text_of(coord, "stats")
        self.assertIn("closed 1", out)

        # No concern, answer or note in any server file or log.
        self.assertEqual(self.server.terminate(), 0)
        self.assert_no_canary(self.server.files() + [self.server.stdout_path, self.server.stderr_path], canary)

    def test_direct_pairing_needs_an_approved_associate_with_a_free_place(self):
        coord = self.bootstrap_coordinator()
        heads = [self.invite_and_register(coord, "headteacher", name) for name in ("Hana Head", "Hugo Head")]
        assoc = self.invite_and_register(coord, "associate", "Asa Sociate")
        answer = self.fails_with(coord, "pair", "Hana Head", "Asa Sociate", code="associate_unavailable")
        self.assertIn("error", answer)
        self.approved_associate(coord, assoc, capacity=1)
        first = self.ok(coord, "pair", "Hana Head", "Asa Sociate")
        self.assertTrue(first["created"])
        self.assertFalse(self.ok(coord, "pair", str(heads[0].user), str(assoc.user))["created"])
        self.fails_with(coord, "pair", "Hugo Head", "Asa Sociate", code="associate_unavailable")
        # More places: the second headteacher too.
        self.ok(assoc, "profile", "set", "--capacity", "2")
        self.assertTrue(self.ok(coord, "pair", "Hugo Head", "Asa Sociate")["created"])
        # Usage: --cycle needs exactly the associate.
        self.fails(coord, "pair", "--cycle", "1", expect=EXIT_USAGE)
        self.fails(coord, "pair", "Hana Head", expect=EXIT_USAGE)
        # Ending early: asked by the headteacher, decided by the coordinator with a rematch.
        asked = self.ok(heads[1], "end", str(self.ok(heads[1], "cycles", "list")["cycles"][0]["cycle"]), "--reason",
                        "not_working")["cycle"]
        self.assertEqual(asked["end_request"]["reason"], "not_working")
        self.fails(heads[1], "end", str(asked["cycle"]), "--reason", "other", "--rematch", expect=EXIT_USAGE)
        ended = self.ok(coord, "end", str(asked["cycle"]), "--reason", "not_working", "--rematch")
        self.assertEqual(ended["cycle"]["state"], "ended_early")
        self.assertEqual((ended["rematch"]["state"], ended["rematch"]["headteacher"]), ("requested", heads[1].user))
        self.fails_with(heads[1], "send", str(assoc.user), "hello?", code="not_paired")
        self.ok(coord, "decline", str(ended["rematch"]["cycle"]), "--reason", "no_associate_available")
        self.assertEqual(self.ok(heads[1], "cycles", "list", "--state", "closed")["cycles"][0]["reason"],
                         "no_associate_available")


if __name__ == "__main__":
    test_cli.main()  # --confidantd PATH --confidant PATH, then unittest arguments
