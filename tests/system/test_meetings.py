#!/usr/bin/python3
"""System tests of meetings (docs/protocol.md 7.16-7.22) with the `confidant` command-line client
against the real `confidantd`: windows, propose with end-to-end details, list and accept on the
other side, ICS export before and after a change, refusals (a weekend, double-booking), cancel.
Times are chosen from the server's own `windows` answer, so the tests do not depend on the date.

    /usr/bin/python3 test_meetings.py --confidantd PATH --confidant PATH [unittest arguments]
"""

import datetime
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cli  # noqa: E402
from test_cli import EXIT_ERROR_ANSWER, CliCase  # noqa: E402

WIRE = "%Y-%m-%dT%H:%M:%S.000Z"


def parse(t):
    return datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ")


def wire(d):
    return d.strftime(WIRE)


class MeetingsTest(CliCase):
    def a_slot(self, person, other_name, nth=2):
        """A one-hour slot inside the other person's `nth` open window from now (a later day, so
        it is in the future for the server's clock and this machine's)."""
        windows = self.ok(person, "windows", "show", other_name, "--days", "21")["windows"]
        self.assertGreater(len(windows), nth, windows)
        for w in windows[1:-1]:  # whole school days, 08:00-18:00 London (the range clips the ends)
            self.assertEqual(parse(w["end"]) - parse(w["start"]), datetime.timedelta(hours=10), w)
        start = parse(windows[nth]["start"]) + datetime.timedelta(hours=2)
        return start, start + datetime.timedelta(hours=1)

    def test_propose_accept_list_ics_cancel(self):
        coord, head, assoc = self.paired_people()
        start, end = self.a_slot(head, "Asa Sociate")
        canary = "Room 4 CANARY-" + os.urandom(6).hex()
        proposed = self.ok(head, "meetings", "propose", "Asa Sociate", "--start", wire(start), "--end", wire(end),
                           "--mode", "in_person", "--details", canary)
        m = proposed["meeting"]
        self.assertEqual((m["state"], m["sequence"], m["mode"], m["kind"]), ("proposed", 0, "in_person", "support"))
        self.assertEqual(m["participants"], [assoc.user, head.user])
        self.assertEqual(m["details"], canary)  # the proposer reads its own copy
        self.assertEqual((proposed["cycle"]["meetings_used"], proposed["cycle"]["cap"]), (1, 6))
        self.assertFalse(proposed["cycle"]["review_due"])

        # The associate sees it, with the details decrypted on their device, and accepts.
        listed = self.ok(assoc, "meetings", "list")
        self.assertEqual([x["id"] for x in listed["meetings"]], [m["id"]])
        self.assertEqual(listed["meetings"][0]["details"], canary)
        self.assertEqual(listed["cycles"][0]["with"], head.user)
        accepted = self.ok(assoc, "meetings", "accept", str(m["id"]))["meeting"]
        self.assertEqual((accepted["state"], accepted["sequence"]), ("accepted", 1))
        self.fails(assoc, "meetings", "accept", str(m["id"]), expect=EXIT_ERROR_ANSWER)

        # The calendar file: a confirmed request, nothing confidential in it.
        ics_path = os.path.join(self.clients, "meeting.ics")
        self.ok(head, "meetings", "ics", str(m["id"]), "--output", ics_path)
        with open(ics_path, "rb") as f:
            ics = f.read()
        self.assertTrue(ics.startswith(b"BEGIN:VCALENDAR\r\n"), ics[:40])
        self.assertTrue(ics.endswith(b"END:VCALENDAR\r\n"))
        self.assertNotIn(b"\n", ics.replace(b"\r\n", b""), "bare line feed")
        lines = ics.decode().split("\r\n")
        for want in ("METHOD:REQUEST", "STATUS:CONFIRMED", "SEQUENCE:1", "CLASS:PRIVATE",
                     "DTSTART:" + start.strftime("%Y%m%dT%H%M%SZ"), "DTEND:" + end.strftime("%Y%m%dT%H%M%SZ")):
            self.assertIn(want, lines, ics)
        uid = [line for line in lines if line.startswith("UID:")]
        self.assertEqual(len(uid), 1)
        self.assertTrue(all(len(line.encode()) <= 75 for line in lines), lines)
        for secret in (canary, "Hana", "Asa", "support"):
            self.assertNotIn(secret.encode(), ics)

        # Refusals: a Saturday, and the headteacher's own diary (double-booking).
        saturday = start + datetime.timedelta(days=(5 - start.weekday()) % 7 or 7)
        out, err = self.fails(head, "meetings", "propose", "Asa Sociate", "--start", wire(saturday), "--minutes", "60",
                              expect=EXIT_ERROR_ANSWER)
        refusal = test_cli.json.loads(out.strip().splitlines()[-1])
        self.assertEqual(refusal["code"], "contact_window_closed")
        self.assertIn("Saturday", refusal["error"])
        out, _ = self.fails(head, "meetings", "propose", "Asa Sociate", "--start", wire(start + datetime.timedelta(minutes=30)),
                            "--minutes", "60", "--mode", "online", expect=EXIT_ERROR_ANSWER)
        self.assertEqual(test_cli.json.loads(out.strip().splitlines()[-1])["code"], "meeting_conflict")

        # Cancel: the same UID, a higher SEQUENCE, METHOD:CANCEL.
        cancelled = self.ok(head, "meetings", "cancel", str(m["id"]), "--reason", "diary_clash")["meeting"]
        self.assertEqual((cancelled["state"], cancelled["cancel_reason"], cancelled["sequence"]),
                         ("cancelled", "diary_clash", 2))
        again = self.ok(assoc, "meetings", "ics", str(m["id"]))["ics"]
        self.assertIn("METHOD:CANCEL\r\n", again)
        self.assertIn("STATUS:CANCELLED\r\n", again)
        self.assertIn("SEQUENCE:2\r\n", again)
        self.assertIn(uid[0] + "\r\n", again)

        # The details never reach a server file in the clear.
        self.assertEqual(self.server.terminate(), 0)
        self.assert_no_canary(self.all_files(self.server.tmp, self.clients), canary)

    def test_reschedule_and_supervision(self):
        coord, head, assoc = self.paired_people()
        start, end = self.a_slot(assoc, "Hana Head", nth=3)
        m = self.ok(assoc, "meetings", "propose", "Hana Head", "--start", wire(start), "--end", wire(end),
                    "--mode", "online", "--kind", "initial")["meeting"]
        # The headteacher moves it a day later: proposed again, by them.
        later, _ = self.a_slot(assoc, "Hana Head", nth=4)
        moved = self.ok(head, "meetings", "reschedule", str(m["id"]), "--start", wire(later), "--minutes", "45")["meeting"]
        self.assertEqual((moved["state"], moved["proposer"], moved["sequence"]), ("proposed", head.user, 1))
        self.assertEqual(parse(moved["end"]) - parse(moved["start"]), datetime.timedelta(minutes=45))
        # An initial meeting is at most an hour.
        out, _ = self.fails(head, "meetings", "reschedule", str(m["id"]), "--start", wire(later), "--minutes", "90",
                            expect=EXIT_ERROR_ANSWER)
        self.assertEqual(test_cli.json.loads(out.strip().splitlines()[-1])["code"], "meeting_too_long")
        # Supervision: the coordinator with the associate, outside the pairing's cycle.
        sup = self.ok(coord, "meetings", "propose", "Asa Sociate", "--start", wire(start), "--end", wire(end),
                      "--kind", "supervision")
        self.assertNotIn("cycle", sup)
        self.assertEqual(self.ok(assoc, "meetings", "accept", str(sup["meeting"]["id"]))["meeting"]["state"], "accepted")
        # The headteacher sees only their own meeting.
        self.assertEqual([x["id"] for x in self.ok(head, "meetings", "list")["meetings"]], [m["id"]])
        # People read windows in their local time.
        code, text, err = self.run_cli(head, "windows", "show", json_out=False, env={"TZ": "Europe/London"})
        self.assertEqual(code, 0, err)
        self.assertIn("Contact windows of Hana Head", text)
        self.assertIn("08:00", text)

    def test_personal_window_narrows_what_others_see(self):
        coord, head, assoc = self.paired_people()
        # The associate keeps Monday to Wednesday, 09:00-15:00 (London).
        narrowed = self.ok(assoc, "windows", "set", "--days", "mon-wed", "--start", "09:00", "--end", "15:00")
        self.assertEqual(narrowed["window"], {"days": [1, 2, 3], "start": "09:00", "end": "15:00"})
        _, err = self.fails(assoc, "windows", "set", "--days", "mon-fri", "--start", "07:00", expect=EXIT_ERROR_ANSWER)
        self.assertIn("never widen", err)
        _, err = self.fails(assoc, "windows", "set", "--days", "someday", expect=test_cli.EXIT_USAGE)
        # The headteacher now sees only those days and hours (the server's clock is a Monday in term).
        windows = self.ok(head, "windows", "show", "Asa Sociate", "--days", "7")["windows"]
        self.assertTrue(windows)
        for w in windows:
            start, end = parse(w["start"]), parse(w["end"])
            self.assertIn(start.weekday(), (0, 1, 2), w)
            self.assertGreaterEqual((start.hour, start.minute), (9, 0), w)  # winter: London is UTC
            self.assertLessEqual((end.hour, end.minute), (15, 0), w)
        # Back to the programme's window: Thursday and Friday again.
        self.assertEqual(self.ok(assoc, "windows", "clear")["window"]["days"], [1, 2, 3, 4, 5])
        days = {parse(w["start"]).weekday() for w in self.ok(head, "windows", "show", "Asa Sociate", "--days", "7")["windows"]}
        self.assertIn(3, days)


if __name__ == "__main__":
    test_cli.main()  # --confidantd PATH --confidant PATH, then unittest arguments
