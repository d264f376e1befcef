"""Contact windows on the real server (protocol 7.13, DESIGN.md 2): a message between a
headteacher and an associate sent outside the recipient's window is held and delivered when the
window opens, also across a server restart. The server runs on a chosen instant through
`[testing] clock_start`: a few seconds before 08:00 on a term-time Monday (GMT).

    /usr/bin/python3 tests/system/test_windows.py --confidantd PATH [TestClass]
"""

import asyncio

from proto_case import ProtocolCase, main, parse_time

OPENS = "2026-11-23T08:00:00.000Z"


class WindowCase(ProtocolCase):
    clock_start = "2026-11-23T07:59:52.000Z"  # Monday, 8 s before the window opens

    async def asyncSetUp(self):
        self.coord_account, self.coord = await self.coordinator()
        self.head = await self.new_account(self.coord, "headteacher", "Head One")
        self.assoc = await self.new_account(self.coord, "associate", "Assoc One")
        await self.pair(self.coord, self.head, self.assoc)

    async def seconds_until_open(self):
        return (parse_time(OPENS) - self.server.now()).total_seconds()


class HeldTest(WindowCase):
    async def test_held_until_the_window_opens_then_pushed(self):
        head = await self.login(self.head)
        assoc = await self.login(self.assoc)
        answer = await head.send_message(self.assoc.user, [(self.assoc.user, 1)])
        self.assert_ok(answer, {"id", "accepted_at", "deliver_at", "held", "reason"})
        self.assertTrue(answer["held"])
        self.assertEqual(answer["reason"], "outside_contact_window")
        self.assertEqual(answer["deliver_at"], OPENS)
        # A coordinator's notice is not held.
        notice = await self.coord.send_message(self.assoc.user, [(self.assoc.user, 1)])
        self.assertFalse(notice["held"])
        self.assertEqual((await assoc.next_event("message", timeout=5))["id"], notice["id"])
        await self.assert_no_event(assoc, "message", wait=max(0.0, await self.seconds_until_open() - 2))
        event = await assoc.next_event("message", timeout=15)
        self.assertEqual(event["id"], answer["id"])
        self.assertGreaterEqual(self.server.now(), parse_time(OPENS))


class RestartTest(WindowCase):
    async def test_held_messages_survive_a_restart_and_arrive_after_the_opening(self):
        head = await self.login(self.head)
        answer = await head.send_message(self.assoc.user, [(self.assoc.user, 1)])
        self.assertTrue(answer["held"])
        await head.close()
        await self.coord.close()
        await self.stop_server()
        await self.start_server()
        await asyncio.sleep(max(0.0, await self.seconds_until_open()) + 0.5)
        assoc = await self.login(self.assoc)
        event = await assoc.next_event("message", timeout=10)
        self.assertEqual(event["id"], answer["id"])


class RejectPolicyTest(WindowCase):
    clock_start = "2026-11-21T20:00:00.000Z"  # Saturday evening

    async def test_saturday_message_waits_for_monday(self):
        head = await self.login(self.head)
        answer = await head.send_message(self.assoc.user, [(self.assoc.user, 1)])
        self.assertTrue(answer["held"])
        self.assertEqual(answer["deliver_at"], OPENS)


if __name__ == "__main__":
    main()
