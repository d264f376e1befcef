#!/usr/bin/python3
"""System tests of protocol.md revision 2, messaging: send (7.13) under the rules of 7.12,
delivery events, acks and the delivery window (7.15), durability across restarts and crashes,
the send rate limit, franking stamps checked as docs/crypto.md defines them, and a canary that
no content reaches the disk or the logs in the clear.

    /usr/bin/python3 test_messaging.py --confidantd PATH [unittest arguments, e.g. a class name]
"""

import asyncio
import datetime
import os
import secrets
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confidant_proto import Stamp, b64d, b64e, new_message_id, parse_time  # noqa: E402
from proto_case import ProtocolCase, main  # noqa: E402

MESSAGE_FIELDS = {"type", "id", "from", "to", "accepted_at", "body", "commitment", "stamp"}


class MessagingCase(ProtocolCase):
    """A coordinator, a headteacher and an associate who are paired."""

    async def asyncSetUp(self):
        self.coord_account, self.coord = await self.coordinator()
        self.head = await self.new_account(self.coord, "headteacher", "Head One")
        self.assoc = await self.new_account(self.coord, "associate", "Assoc One")
        await self.pair(self.coord, self.head, self.assoc)

    async def send_ok(self, conn, to, targets, **kwargs):
        answer = await conn.send_message(to.user if hasattr(to, "user") else to, targets, **kwargs)
        self.assert_ok(answer, {"id", "accepted_at", "deliver_at", "held"})
        return answer

    def check_message(self, event, answer, sender, sender_device, to, body=None, commitment=None, server_key=None):
        """A `message` event as 7.15 defines it, for the send that got `answer`."""
        self.assertEqual(set(event), MESSAGE_FIELDS, event)
        self.assertEqual(event["id"], answer["id"])
        self.assertEqual(event["from"], {"user": sender.user, "device": sender_device})
        self.assertEqual(event["to"], to.user)
        self.assertEqual(event["accepted_at"], answer["accepted_at"])
        if body is not None:
            self.assertEqual(b64d(event["body"]), body)
        c = b64d(event["commitment"])
        self.assertEqual(len(c), 32)
        if commitment is not None:
            self.assertEqual(c, commitment)
        stamp = Stamp(b64d(event["stamp"]))
        self.assertEqual(stamp.commitment, c, "the stamp is over the commitment delivered with it")
        self.assertEqual(stamp.sender, str(sender.user), "user ids are decimal strings in stamps (7.2)")
        self.assertEqual(stamp.recipient, str(to.user))
        accepted = parse_time(answer["accepted_at"]).timestamp()
        self.assertLessEqual(abs(stamp.time - accepted), 1.0, f"stamp time {stamp.time} vs accepted_at {accepted}")
        if server_key is not None:
            self.assertTrue(stamp.verify(server_key), "the stamp must verify with server_key")
        return stamp


class SendTest(MessagingCase):
    async def test_send_and_online_delivery(self):
        head = await self.login(self.head)
        assoc = await self.login(self.assoc)
        body, commitment = os.urandom(300), os.urandom(32)
        before = self.server.now()
        answer = await self.send_ok(assoc, self.head, [(self.head.user, 1)], body=body, commitment=commitment)
        self.assertIs(type(answer["id"]), int)
        self.assert_time_near(answer["accepted_at"], before, slack=5)
        self.assertEqual(answer["deliver_at"], answer["accepted_at"], "not held inside the window (7.13)")
        self.assertFalse(answer["held"])
        event = await head.next_event("message", timeout=5)
        self.check_message(event, answer, self.assoc, 1, self.head, body, commitment, head.server_key)
        await self.assert_no_event(assoc, "message", wait=0.3)  # no copy: the sender has one device
        # And the other way round.
        answer = await self.send_ok(head, self.assoc, [(self.assoc.user, 1)], body=b"reply")
        event = await assoc.next_event("message", timeout=5)
        self.check_message(event, answer, self.head, 1, self.assoc, b"reply", server_key=assoc.server_key)

    async def test_ids_increase_with_acceptance(self):
        assoc = await self.login(self.assoc)
        ids = [(await self.send_ok(assoc, self.head, [(self.head.user, 1)]))["id"] for _ in range(5)]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(set(ids)), 5)

    async def test_offline_recipient_gets_messages_in_id_order_after_login(self):
        assoc = await self.login(self.assoc)
        bodies = [f"message {i}".encode() for i in range(6)]
        answers = [await self.send_ok(assoc, self.head, [(self.head.user, 1)], body=b) for b in bodies]
        head = await self.login(self.head)
        self.assertEqual(head.login_answer["pending"], 6)
        events = [await head.next_event("message", timeout=5) for _ in bodies]
        self.assertEqual([e["id"] for e in events], [a["id"] for a in answers])
        for event, answer, body in zip(events, answers, bodies):
            self.check_message(event, answer, self.assoc, 1, self.head, body, server_key=head.server_key)

    async def test_events_only_on_the_authenticated_connection(self):
        watcher = await self.connect()  # greeted, not logged in
        assoc = await self.login(self.assoc)
        await self.send_ok(assoc, self.head, [(self.head.user, 1)])
        await self.assert_no_event(watcher, wait=0.5)

    async def test_newer_login_receives_the_events(self):
        assoc = await self.login(self.assoc)
        first = await self.login(self.head)
        early = await self.send_ok(assoc, self.head, [(self.head.user, 1)])
        self.assertEqual((await first.next_event("message", timeout=5))["id"], early["id"])  # not acknowledged
        second = await self.login(self.head)
        await self.assert_closed(first, 4003, "logged in elsewhere")
        self.assertEqual(second.login_answer["pending"], 1)
        self.assertEqual((await second.next_event("message", timeout=5))["id"], early["id"], "sent again")
        answer = await self.send_ok(assoc, self.head, [(self.head.user, 1)])
        self.assertEqual((await second.next_event("message", timeout=5))["id"], answer["id"])

    async def test_coordinator_and_everyone_may_write_to_each_other(self):
        head2 = await self.new_account(self.coord, "headteacher", "Head Two")
        h2 = await self.login(head2)
        await self.send_ok(self.coord, head2, [(head2.user, 1)])  # coordinator → anyone
        await self.send_ok(h2, self.coord_account, [(self.coord_account.user, 1)])  # anyone → coordinator
        event = await h2.next_event("message", timeout=5)
        self.assertEqual(event["from"], {"user": self.coord_account.user, "device": 1})

    async def test_not_paired(self):
        head2 = await self.new_account(self.coord, "headteacher", "Head Two")
        assoc2 = await self.new_account(self.coord, "associate", "Assoc Two")
        spoc = await self.new_account(self.coord, "spoc", "Spoc One")
        h2 = await self.login(head2)
        head = await self.login(self.head)
        sp = await self.login(spoc)
        cases = [(h2, self.assoc), (head, assoc2), (head, head2), (h2, spoc), (head, spoc),
                 (sp, self.head), (sp, self.assoc)]
        for conn, to in cases:
            with self.subTest(sender=conn.user, to=to.user):
                self.assert_error(await conn.send_message(to.user, [(to.user, 1)]), "not_paired")
        assoc2_conn = await self.login(assoc2)
        self.assert_error(await assoc2_conn.send_message(self.head.user, [(self.head.user, 1)]), "not_paired")
        self.assertEqual(head.queued("message"), [], "refused sends stored nothing")

    async def test_send_errors(self):
        assoc = await self.login(self.assoc)
        h = self.head.user
        self.assert_error(await assoc.send_message(self.assoc.user, [(self.assoc.user, 1)]), "invalid_field")
        self.assert_error(await assoc.send_message(h, [(h, 1), (h, 1)]), "invalid_field")
        self.assert_error(await assoc.send_message(99999, [(99999, 1)]), "unknown_user")
        good = {"message_id": b64e(new_message_id()), "to": h,
                "envelopes": [{"user": h, "device": 1, "body": b64e(b"x"), "commitment": b64e(bytes(32))}]}
        env = good["envelopes"][0]
        cases = {
            "message_id of 15 bytes": dict(good, message_id=b64e(bytes(15))),
            "message_id padded": dict(good, message_id=b64e(bytes(16)) + "=="),
            "to 0": dict(good, to=0),
            "to 2^53 + 1": dict(good, to=2 ** 53 + 1),
            "no envelopes": dict(good, envelopes=[]),
            "33 envelopes": dict(good, envelopes=[dict(env, device=i) for i in range(1, 34)]),
            "empty body": dict(good, envelopes=[dict(env, body="")]),
            "commitment of 31 bytes": dict(good, envelopes=[dict(env, commitment=b64e(bytes(31)))]),
            "commitment of 33 bytes": dict(good, envelopes=[dict(env, commitment=b64e(bytes(33)))]),
            "body not base64url": dict(good, envelopes=[dict(env, body="a+b/")]),
        }
        for name, fields in cases.items():
            with self.subTest(case=name):
                self.assert_error(await assoc.request("send", **fields), "invalid_field")
        self.assert_error(await assoc.request("send", **{k: v for k, v in good.items() if k != "to"}), "missing_field")
        self.assert_error(await assoc.request("send", **dict(good, extra=1)), "unknown_field")
        self.assert_ok(await assoc.request("send", **good))


class BodyLimitTest(MessagingCase):
    # A 49152-byte body is 65536 characters of base64url: with the envelope around it, that does
    # not fit the default max_frame_bytes (65536), so this test raises the frame limit.
    server_limits = {"max_frame_bytes": 262144}

    async def test_body_limit(self):
        assoc = await self.login(self.assoc)
        head = await self.login(self.head)
        answer = await self.send_ok(assoc, self.head, [(self.head.user, 1)], body=os.urandom(49152))
        event = await head.next_event("message", timeout=5)
        self.assertEqual(len(b64d(event["body"])), 49152)
        self.assertEqual(event["id"], answer["id"])
        self.assert_error(await assoc.send_message(self.head.user, [(self.head.user, 1)], body=os.urandom(49153)),
                          "invalid_field")


class DeviceMismatchTest(MessagingCase):
    async def test_envelopes_must_match_the_devices(self):
        assoc1 = await self.login(self.assoc)
        head1 = await self.login(self.head)
        await self.link_device(head1, self.head)
        await self.link_device(assoc1, self.assoc)
        head2 = await self.login(self.head, 2)
        assoc2 = await self.login(self.assoc, 2)
        h, a = self.head.user, self.assoc.user

        def pairs(items):
            return sorted((p["user"], p["device"]) for p in items)

        message_id = new_message_id()
        cases = [
            ([(h, 1)], [(a, 2), (h, 2)], []),                          # missing: own other device, recipient's
            ([(h, 1), (h, 2)], [(a, 2)], []),                          # the sender's other device is required
            ([(h, 1), (h, 2), (a, 2), (h, 9)], [], [(h, 9)]),          # no such device
            ([(h, 1), (h, 2), (a, 2), (a, 1)], [], [(a, 1)]),          # the sending device itself
            ([(h, 2), (a, 2), (a, 3)], [(h, 1)], [(a, 3)]),            # both at once
        ]
        for targets, missing, stale in cases:
            with self.subTest(targets=targets):
                answer = await assoc1.send_message(h, targets, message_id=message_id)
                self.assert_error(answer, "device_mismatch")
                self.assertEqual(pairs(answer["missing"]), sorted(missing), answer)
                self.assertEqual(pairs(answer["stale"]), sorted(stale), answer)
                for item in answer["missing"] + answer["stale"]:
                    self.assertEqual(set(item), {"user", "device"})
        # Same message_id after the errors: a refused send stored nothing, so this one is new.
        body = b"to every device"
        answer = await self.send_ok(assoc1, self.head, [(h, 1), (h, 2), (a, 2)], message_id=message_id, body=body)
        for conn in (head1, head2):
            event = await conn.next_event("message", timeout=5)
            self.check_message(event, answer, self.assoc, 1, self.head, body, server_key=conn.server_key)
        # The copy for the sender's other device: `to` is the peer (7.15).
        copy = await assoc2.next_event("message", timeout=5)
        self.check_message(copy, answer, self.assoc, 1, self.head, body, server_key=assoc2.server_key)
        await self.assert_no_event(assoc1, "message", wait=0.3)

    async def test_a_removed_device_is_stale(self):
        head1 = await self.login(self.head)
        await self.link_device(head1, self.head)
        assoc = await self.login(self.assoc)
        await head1.call("device_remove", device=2)
        answer = await assoc.send_message(self.head.user, [(self.head.user, 1), (self.head.user, 2)])
        self.assert_error(answer, "device_mismatch")
        self.assertEqual(answer["stale"], [{"user": self.head.user, "device": 2}])
        self.assertEqual(answer["missing"], [])


class AckTest(MessagingCase):
    async def test_ack_deletes(self):
        assoc = await self.login(self.assoc)
        answers = [await self.send_ok(assoc, self.head, [(self.head.user, 1)]) for _ in range(3)]
        head = await self.login(self.head)
        events = [await head.next_event("message", timeout=5) for _ in answers]
        ack = await head.ack([e["id"] for e in events])
        self.assertEqual(set(ack) - {"type", "rid"}, {"acknowledged"})
        self.assertEqual(ack["acknowledged"], 3)
        self.assertEqual((await head.ack([e["id"] for e in events]))["acknowledged"], 0, "already acknowledged")
        await head.close()
        head = await self.login(self.head)
        self.assertEqual(head.login_answer["pending"], 0)
        await self.assert_no_event(head, "message", wait=1.0)

    async def test_unacked_events_are_sent_again(self):
        assoc = await self.login(self.assoc)
        answers = [await self.send_ok(assoc, self.head, [(self.head.user, 1)], body=f"m{i}".encode())
                   for i in range(3)]
        head = await self.login(self.head)
        first = [await head.next_event("message", timeout=5) for _ in answers]
        await head.ack([first[0]["id"]])  # only the first
        await head.close()
        head = await self.login(self.head)
        self.assertEqual(head.login_answer["pending"], 2)
        again = [await head.next_event("message", timeout=5) for _ in range(2)]
        self.assertEqual(again, first[1:], "the same events, byte for byte, at least once")
        await self.assert_no_event(head, "message", wait=0.5)

    async def test_ack_ignores_ids_that_are_not_waiting(self):
        assoc = await self.login(self.assoc)
        head = await self.login(self.head)
        answer = await self.send_ok(assoc, self.head, [(self.head.user, 1)])
        event = await head.next_event("message", timeout=5)
        # The sender cannot acknowledge the recipient's event.
        self.assertEqual((await assoc.ack([answer["id"]]))["acknowledged"], 0)
        self.assertEqual((await head.ack([event["id"] + 1000, event["id"]]))["acknowledged"], 1)

    async def test_each_device_acknowledges_its_own_copy(self):
        head1 = await self.login(self.head)
        await self.link_device(head1, self.head)
        head2 = await self.login(self.head, 2)
        assoc = await self.login(self.assoc)
        answer = await self.send_ok(assoc, self.head, [(self.head.user, 1), (self.head.user, 2)])
        for conn in (head1, head2):
            self.assertEqual((await conn.next_event("message", timeout=5))["id"], answer["id"])
        self.assertEqual((await head2.ack([answer["id"]]))["acknowledged"], 1)
        await head1.close()
        head1 = await self.login(self.head)
        self.assertEqual(head1.login_answer["pending"], 1, "device 2's ack does not delete device 1's copy")
        self.assertEqual((await head1.next_event("message", timeout=5))["id"], answer["id"])

    async def test_ack_field_limits(self):
        head = await self.login(self.head)
        self.assert_error(await head.request("ack", ids=[]), "invalid_field")
        self.assert_error(await head.request("ack", ids=list(range(1, 258))), "invalid_field")
        self.assert_error(await head.request("ack", ids=["1"]), "invalid_field")
        self.assert_error(await head.request("ack"), "missing_field")
        self.assertEqual((await head.ack(list(range(1, 257))))["acknowledged"], 0)


class IdempotenceTest(MessagingCase):
    async def test_resend_answers_the_first_answer_and_delivers_once(self):
        assoc = await self.login(self.assoc)
        head = await self.login(self.head)
        message_id = new_message_id()
        first = await self.send_ok(assoc, self.head, [(self.head.user, 1)], message_id=message_id, body=b"first")
        await asyncio.sleep(0.01)
        again = await self.send_ok(assoc, self.head, [(self.head.user, 1)], message_id=message_id, body=b"second")
        self.assertEqual({k: v for k, v in again.items() if k != "rid"}, {k: v for k, v in first.items() if k != "rid"})
        event = await head.next_event("message", timeout=5)
        self.assertEqual(b64d(event["body"]), b"first")
        await self.assert_no_event(head, "message", wait=0.7)
        # Still the same answer after the recipient acknowledged it, and on a new connection.
        await head.ack([event["id"]])
        await assoc.close()
        assoc = await self.login(self.assoc)
        third = await self.send_ok(assoc, self.head, [(self.head.user, 1)], message_id=message_id, body=b"third")
        self.assertEqual(third["id"], first["id"])
        self.assertEqual(third["accepted_at"], first["accepted_at"])
        await self.assert_no_event(head, "message", wait=0.7)

    async def test_message_ids_belong_to_the_sending_device(self):
        # "from the same device": another sender's identical message_id is a new message.
        assoc = await self.login(self.assoc)
        message_id = new_message_id()
        first = await self.send_ok(assoc, self.head, [(self.head.user, 1)], message_id=message_id)
        other = await self.send_ok(self.coord, self.head, [(self.head.user, 1)], message_id=message_id)
        self.assertNotEqual(first["id"], other["id"])

    async def test_concurrent_resends(self):
        assoc = await self.login(self.assoc)
        message_id = new_message_id()
        answers = await asyncio.gather(*[assoc.send_message(self.head.user, [(self.head.user, 1)],
                                                            message_id=message_id) for _ in range(8)])
        for a in answers:
            self.assert_ok(a)
        self.assertEqual(len({(a["id"], a["accepted_at"]) for a in answers}), 1, answers)
        head = await self.login(self.head)
        self.assertEqual(head.login_answer["pending"], 1)


class StampTest(MessagingCase):
    async def test_stamps_verify_with_server_key(self):
        head = await self.login(self.head)
        assoc = await self.login(self.assoc)
        # Many concurrent sends from three senders, so batches of more than one are likely.
        head2 = await self.new_account(self.coord, "headteacher", "Head Two")
        h2 = await self.login(head2)
        sends = []
        for i in range(20):
            sends.append(assoc.send_message(self.head.user, [(self.head.user, 1)]))
            sends.append(self.coord.send_message(self.head.user, [(self.head.user, 1)]))
            sends.append(h2.send_message(self.coord_account.user, [(self.coord_account.user, 1)]))
        answers = await asyncio.gather(*sends)
        for a in answers:
            self.assert_ok(a)
        events = [await head.next_event("message", timeout=10) for _ in range(40)]
        events += [await self.coord.next_event("message", timeout=10) for _ in range(20)]
        by_id = {a["id"]: a for a in answers}
        batch_sizes = set()
        users = {self.assoc.user: self.assoc, self.coord_account.user: self.coord_account, head2.user: head2}
        for e in events:
            to = self.head if e["to"] == self.head.user else self.coord_account
            stamp = self.check_message(e, by_id[e["id"]], users[e["from"]["user"]], 1, to, server_key=head.server_key)
            batch_sizes.add(stamp.batch_size)
        # The verifier itself: any change to the stamp breaks it.
        stamp = Stamp(b64d(events[0]["stamp"]))
        for i in range(len(stamp.raw)):
            tampered = bytearray(stamp.raw)
            tampered[i] ^= 0x40
            try:
                ok = Stamp(bytes(tampered)).verify(head.server_key)
            except (ValueError, UnicodeDecodeError):
                ok = False
            self.assertFalse(ok, f"a stamp with byte {i} changed still verifies")
        self.assertFalse(stamp.verify(os.urandom(32)))
        print(f"\n    stamp batch sizes seen: {sorted(batch_sizes)}", file=sys.stderr)

    async def test_stamps_of_a_fan_out(self):
        # Five envelopes in one send (three recipient devices, two own): whether the server signs
        # them as one batch (Merkle paths, an odd node moving up) or one by one, each verifies.
        head1 = await self.login(self.head)
        assoc1 = await self.login(self.assoc)
        for _ in range(2):
            await self.link_device(head1, self.head)
            await self.link_device(assoc1, self.assoc)
        conns = [head1] + [await self.login(self.head, d) for d in (2, 3)] + \
                [await self.login(self.assoc, d) for d in (2, 3)]
        h, a = self.head.user, self.assoc.user
        commitment = os.urandom(32)
        answer = await self.send_ok(assoc1, self.head, [(h, 1), (h, 2), (h, 3), (a, 2), (a, 3)],
                                    body=b"fan-out", commitment=commitment)
        stamps = []
        for conn in conns:
            event = await conn.next_event("message", timeout=5)
            stamps.append(self.check_message(event, answer, self.assoc, 1, self.head, b"fan-out", commitment,
                                             conn.server_key))
        sizes = {s.batch_size for s in stamps}
        print(f"\n    fan-out stamp batch sizes: {sorted(sizes)}", file=sys.stderr)
        if sizes == {5}:  # one batch: five leaves, one signature, distinct positions
            self.assertEqual(sorted(s.index for s in stamps), [0, 1, 2, 3, 4])
            self.assertEqual(len({s.signature for s in stamps}), 1)


class DurabilityTest(MessagingCase):
    async def test_restart_between_send_and_delivery(self):
        assoc = await self.login(self.assoc)
        server_key = assoc.server_key
        answers = [await self.send_ok(assoc, self.head, [(self.head.user, 1)], body=f"m{i}".encode()) for i in range(3)]
        await self.stop_server()
        await self.start_server()
        head = await self.login(self.head)
        self.assertEqual(head.server_key, server_key)
        self.assertEqual(head.login_answer["pending"], 3)
        events = [await head.next_event("message", timeout=5) for _ in answers]
        for i, (event, answer) in enumerate(zip(events, answers)):
            self.check_message(event, answer, self.assoc, 1, self.head, f"m{i}".encode(), server_key=server_key)

    async def test_sigkill_after_ok_loses_nothing(self):
        assoc = await self.login(self.assoc)
        server_key = assoc.server_key
        bodies = [os.urandom(200) for _ in range(20)]
        answers = await asyncio.gather(*[assoc.send_message(self.head.user, [(self.head.user, 1)], body=b)
                                         for b in bodies])
        await self.kill_server()  # SIGKILL as soon as every `ok` is in
        for a in answers:
            self.assert_ok(a)
        await self.start_server()
        head = await self.login(self.head)
        self.assertEqual(head.login_answer["pending"], 20)
        events = [await head.next_event("message", timeout=5) for _ in bodies]
        got = {e["id"]: b64d(e["body"]) for e in events}
        self.assertEqual(got, {a["id"]: b for a, b in zip(answers, bodies)})
        self.assertEqual([e["id"] for e in events], sorted(got))
        for e in events:
            self.assertTrue(Stamp(b64d(e["stamp"])).verify(server_key))
        # Idempotence survives the crash too.
        assoc = await self.login(self.assoc)
        message_id = new_message_id()
        first = await self.send_ok(assoc, self.head, [(self.head.user, 1)], message_id=message_id)
        await self.kill_server()
        await self.start_server()
        assoc = await self.login(self.assoc)
        again = await self.send_ok(assoc, self.head, [(self.head.user, 1)], message_id=message_id)
        self.assertEqual((again["id"], again["accepted_at"]), (first["id"], first["accepted_at"]))


class WindowTest(MessagingCase):
    server_limits = {"send_burst": 1000}

    async def test_at_most_64_unacknowledged_events(self):
        assoc = await self.login(self.assoc)
        answers = await asyncio.gather(*[assoc.send_message(self.head.user, [(self.head.user, 1)],
                                                            body=i.to_bytes(2, "big")) for i in range(100)])
        for a in answers:
            self.assert_ok(a)
        head = await self.login(self.head)
        self.assertEqual(head.login_answer["pending"], 100)
        window = await head.quiet_events("message", quiet=1.5)
        self.assertEqual(len(window), 64, "at most 64 unacknowledged events in flight (7.15)")
        # Acknowledging 10 lets exactly 10 more through.
        await head.ack([e["id"] for e in window[:10]])
        more = await head.quiet_events("message", quiet=1.0)
        self.assertEqual(len(more), 10)
        received = window + more
        await head.ack([e["id"] for e in received[10:]])
        received += await head.quiet_events("message", quiet=1.0)
        ids = [e["id"] for e in received]
        self.assertEqual(len(ids), 100)
        self.assertEqual(ids, sorted(ids), "delivered in increasing id order")
        self.assertEqual(set(ids), {a["id"] for a in answers})
        await head.ack(ids[74:])
        await head.close()
        head = await self.login(self.head)
        self.assertEqual(head.login_answer["pending"], 0)


class SendRateTest(MessagingCase):
    # The default burst (60) with a slow refill, so the count is exact whatever the machine's speed.
    server_limits = {"send_burst": 60, "send_per_second": 1}

    async def test_rate_limited_after_the_burst(self):
        assoc = await self.login(self.assoc)
        loop = asyncio.get_running_loop()
        started = loop.time()
        answers = await asyncio.gather(*[assoc.send_message(self.head.user, [(self.head.user, 1)])
                                         for _ in range(80)])
        elapsed = loop.time() - started
        ok = [a for a in answers if a["type"] == "ok"]
        limited = [a for a in answers if a["type"] == "error"]
        self.assertGreaterEqual(len(ok), 60)
        self.assertLessEqual(len(ok), 60 + int(elapsed) + 1)
        self.assertTrue(limited, "sends beyond the burst are refused")
        for a in limited:
            self.assert_error(a, "rate_limited")
            self.assertLessEqual(a["retry_after_ms"], 1000)
        head = await self.login(self.head)
        self.assertEqual(head.login_answer["pending"], len(ok), "a refused send stores nothing")
        # The limit is per device: another sender is not limited.
        self.assert_ok(await self.coord.send_message(self.head.user, [(self.head.user, 1)]))
        await asyncio.sleep(max(a["retry_after_ms"] for a in limited) / 1000 + 0.1)
        self.assert_ok(await assoc.send_message(self.head.user, [(self.head.user, 1)]))

    async def test_a_resend_while_limited_answers_the_first_answer(self):
        # 7.13: a resend "answers exactly the first answer again and stores nothing new". A client
        # resending after a lost answer must get its `ok` back, even when its bucket is empty.
        assoc = await self.login(self.assoc)
        message_id = new_message_id()
        first = await self.send_ok(assoc, self.head, [(self.head.user, 1)], message_id=message_id)
        answers = await asyncio.gather(*[assoc.send_message(self.head.user, [(self.head.user, 1)])
                                         for _ in range(61)])
        self.assertIn("error", [a["type"] for a in answers], "the bucket is empty now")
        again = await assoc.send_message(self.head.user, [(self.head.user, 1)], message_id=message_id)
        self.assertEqual({k: v for k, v in again.items() if k != "rid"}, {k: v for k, v in first.items() if k != "rid"})


class DefaultSendRateTest(MessagingCase):
    async def test_default_burst_of_60(self):
        # Defaults (section 9): burst 60, refilled 20 per second, so a token every 50 ms.
        assoc = await self.login(self.assoc)
        loop = asyncio.get_running_loop()
        started = loop.time()
        answers = await asyncio.gather(*[assoc.send_message(self.head.user, [(self.head.user, 1)])
                                         for _ in range(100)])
        elapsed = loop.time() - started
        ok = sum(1 for a in answers if a["type"] == "ok")
        self.assertGreaterEqual(ok, 60)
        self.assertLessEqual(ok, 60 + int(20 * elapsed) + 1, f"{ok} accepted in {elapsed:.3f} s")
        limited = [a for a in answers if a["type"] == "error"]
        if elapsed < 1.5:  # otherwise the refill may have covered all 100
            self.assertTrue(limited)
        for a in limited:
            self.assert_error(a, "rate_limited")
            self.assertLessEqual(a["retry_after_ms"], 60, "a token every 50 ms")


class MessageCanaryTest(MessagingCase):
    log_level = "trace"  # the most verbose logging must still carry no content

    async def test_bodies_never_reach_disk_or_logs_in_the_clear(self):
        canary = b"CANARY-BODY-" + secrets.token_hex(16).encode()
        name_canary = "CANARY-Name " + secrets.token_hex(8)
        head = await self.login(self.head)
        assoc = await self.login(self.assoc)
        spoc = await self.new_account(self.coord, "spoc", name_canary)
        bodies = [b"prefix " + canary + b" suffix", canary, canary * 40, os.urandom(7) + canary]
        commitment = canary[:32]
        needles = {canary, canary.hex().encode(), commitment, name_canary.encode()}
        for body in bodies:
            needles.add(b64e(body).encode())
            await self.send_ok(assoc, self.head, [(self.head.user, 1)], body=body, commitment=commitment)
        for _ in bodies:
            await head.next_event("message", timeout=5)
        await head.close()
        # Offline delivery too, and a refused send.
        for body in bodies:
            await self.send_ok(assoc, self.head, [(self.head.user, 1)], body=body)
        self.assert_error(await assoc.send_message(spoc.user, [(spoc.user, 1)], body=canary), "not_paired")

        def check(when):
            for path in self.server.files():
                with open(path, "rb") as f:
                    data = f.read()
                for n in needles:
                    self.assertNotIn(n, data, f"{when}: {path}")
            for name, text in (("stdout", self.server.stdout()), ("stderr", self.server.stderr())):
                for n in needles:
                    self.assertNotIn(n.decode("latin-1"), text, f"{when}: {name}")

        check("while running")  # the WAL is still there
        await self.stop_server()
        check("after shutdown")


if __name__ == "__main__":
    main()
