#!/usr/bin/python3
"""System tests of protocol.md revision 2, accounts and devices: connection states (7.2),
register (7.4), challenge and login (7.5, 7.6) with throttling, prekeys (7.7, 7.8), devices
(7.9-7.11), the coordinator's requests (7.14) and contacts. An independent client
(confidant_proto.py) against the real confidantd.

    /usr/bin/python3 test_accounts.py --confidantd PATH [unittest arguments, e.g. a class name]
"""

import asyncio
import datetime
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from confidant_proto import ROLES, DeviceKeys, b64d, b64e, check_identity, check_signed_prekey  # noqa: E402
from proto_case import ProtocolCase, main  # noqa: E402

DAY = datetime.timedelta(days=1)


class StateTest(ProtocolCase):
    """7.2: new → greeted → authenticated, and what each state refuses."""

    async def test_hello_required_before_hello(self):
        conn = await self.connect(hello=False)
        for type_, fields in [("challenge", {}), ("devices", {}), ("contacts", {}), ("device_link", {}),
                              ("login", {"user": 1, "device": 1, "signature": b64e(bytes(64))}),
                              ("ack", {"ids": [1]})]:
            with self.subTest(type=type_):
                self.assert_error(await conn.request(type_, **fields), "hello_required")
        await conn.hello()  # the connection is still usable
        self.assert_ok(await conn.request("challenge"))

    async def test_the_state_is_checked_before_the_fields(self):
        conn = await self.connect(hello=False)
        self.assert_error(await conn.request("login", user=1), "hello_required")
        self.assert_error(await conn.request("challenge", extra=1), "hello_required")
        await conn.hello()
        self.assert_error(await conn.request("login", user=1), "missing_field")
        self.assert_error(await conn.request("challenge", extra=1), "unknown_field")

    async def test_not_authenticated_before_login(self):
        conn = await self.connect()
        requests = [("devices", {}), ("contacts", {}), ("device_link", {}), ("device_remove", {"device": 1}),
                    ("bundle", {"user": 1}), ("prekeys_upload", {"one_time_prekeys": [{"id": 1, "key": b64e(os.urandom(32))}]}),
                    ("invite_create", {"role": "headteacher", "display_name": "X"}),
                    ("pair_create", {"headteacher": 1, "associate": 2}), ("account_disable", {"user": 1}),
                    ("ack", {"ids": [1]}),
                    ("send", {"message_id": b64e(os.urandom(16)), "to": 1,
                              "envelopes": [{"user": 1, "device": 1, "body": "AA", "commitment": b64e(bytes(32))}]})]
        for type_, fields in requests:
            with self.subTest(type=type_):
                self.assert_error(await conn.request(type_, **fields), "not_authenticated")

    async def test_already_authenticated(self):
        coord_account, coord = await self.coordinator()
        self.assert_error(await coord.request("challenge"), "already_authenticated")
        self.assert_error(await coord.request("login", user=coord_account.user, device=1,
                                              signature=b64e(bytes(64))), "already_authenticated")
        self.assert_error(await coord.request("register", **DeviceKeys(one_time=1).register_fields(
            "0000-0000-0000-0000-0000-0000-00")), "already_authenticated")
        self.assert_ok(await coord.request("hello", versions=["confidant.v1"]))  # hello stays allowed
        self.assert_ok(await coord.request("devices"))  # and leaves the connection authenticated

    async def test_register_does_not_authenticate(self):
        conn = await self.connect()
        keys = DeviceKeys(one_time=3)
        answer = await conn.request("register", **keys.register_fields(self.bootstrap_code))
        self.assert_ok(answer)
        self.assert_error(await conn.request("devices"), "not_authenticated")
        await conn.login(answer["user"], answer["device"], keys)  # the same connection logs in
        self.assert_ok(await conn.request("devices"))


    async def test_metrics_name_the_new_request_types_and_codes(self):
        conn = await self.connect(hello=False)
        self.assert_error(await conn.request("challenge"), "hello_required")
        await self.coordinator()  # register, challenge, login
        text = await self.metrics()
        for line in ('confidant_requests_total{type="register"} 1', 'confidant_requests_total{type="login"} 1',
                     'confidant_requests_total{type="challenge"} 2', 'confidant_errors_total{code="hello_required"} 1',
                     'confidant_errors_total{code="login_failed"} 0'):
            self.assertIn(line + "\n", text)


class HelloKeyTest(ProtocolCase):
    async def test_server_key_is_stable_across_connections_and_restarts(self):
        first = await self.connect()
        second = await self.connect()
        self.assertEqual(len(first.server_key), 32)
        self.assertEqual(first.server_key, second.server_key)
        await self.stop_server()  # with both connections open
        await self.start_server()
        third = await self.connect()
        self.assertEqual(third.server_key, first.server_key, "server_key is generated at init, not at start")


class RegisterTest(ProtocolCase):
    async def test_register_with_the_host_invite(self):
        answer, keys = await self.register(self.bootstrap_code, one_time=5)
        self.assert_ok(answer, {"user", "device", "role", "display_name"})
        self.assertIs(type(answer["user"]), int)
        self.assertGreaterEqual(answer["user"], 1)
        self.assertEqual(answer["device"], 1, "the first device is 1 (7.2)")
        self.assertEqual(answer["role"], "coordinator")
        self.assertEqual(answer["display_name"], "Coordinator One")

    async def test_invite_code_is_read_leniently(self):
        # 7.4: case, hyphens and spaces are ignored, I/L read as 1 and O as 0.
        digits = self.bootstrap_code.replace("-", "").replace(" ", "")
        self.assertEqual(len(digits), 26, self.bootstrap_code)
        messy = " ".join(digits[i:i + 3] for i in range(0, 26, 3)).lower()
        messy = messy.replace("1", "l").replace("0", "o")
        answer, _ = await self.register(messy)
        self.assert_ok(answer)

    async def test_invite_used(self):
        self.assert_ok((await self.register(self.bootstrap_code))[0])
        self.assert_error((await self.register(self.bootstrap_code))[0], "invite_used")

    async def test_invite_unknown(self):
        # Garbage that does not parse, and a well-formed code that no invite has.
        for code in ["garbage!", "x", "0" * 26, "7F3Q-K9PW-2MXA-T4VB-C8NE-HR5J-DG"]:
            with self.subTest(code=code):
                self.assert_error((await self.register(code))[0], "invite_unknown")
        self.assert_ok((await self.register(self.bootstrap_code))[0])  # nothing consumed the real one

    async def test_identity_in_use_leaves_the_invite_unused(self):
        _, coord = await self.coordinator()
        taken = DeviceKeys(one_time=2)
        code1 = await self.invite(coord, "headteacher", "Ms A Head")
        code2 = await self.invite(coord, "associate", "Mr B Assoc")
        self.assert_ok((await self.register(code1, keys=taken))[0])
        self.assert_error((await self.register(code2, keys=taken))[0], "identity_in_use")
        answer, _ = await self.register(code2)
        self.assert_ok(answer)
        self.assertEqual(answer["role"], "associate")

    async def test_bad_keys_are_invalid_field_and_leave_the_invite_unused(self):
        code = self.bootstrap_code
        keys = DeviceKeys(one_time=2)
        good = keys.register_fields(code)
        bad_identity_sig = bytearray(keys.identity)
        bad_identity_sig[100] ^= 1
        other = DeviceKeys(one_time=1)
        swapped_dh = keys.signing_public + other.dh_public + keys.identity_signature
        bad_spk = dict(keys.spk, signature=b64e(bytes(64)))
        spk_other_id = dict(keys.spk, id=keys.spk["id"] + 1)  # the id is signed
        spk_other_time = dict(keys.spk, created_at=keys.spk["created_at"] + 1)  # so is the time
        zero_otk = [{"id": 99, "key": b64e(bytes(32))}]
        small_order_spk_key = bytes([1]) + bytes(31)  # the point u = 1 has small order
        cases = {
            "identity signature": dict(good, identity=b64e(bytes(bad_identity_sig))),
            "identity DH key not the signed one": dict(good, identity=b64e(swapped_dh)),
            "identity 127 bytes": dict(good, identity=b64e(keys.identity[:127])),
            "identity padded base64": dict(good, identity=b64e(keys.identity) + "="),
            "signed prekey signature": dict(good, signed_prekey=bad_spk),
            "signed prekey id not as signed": dict(good, signed_prekey=spk_other_id),
            "signed prekey created_at not as signed": dict(good, signed_prekey=spk_other_time),
            "small-order signed prekey": dict(good, signed_prekey=dict(keys.spk, key=b64e(small_order_spk_key))),
            "zero one-time prekey": dict(good, one_time_prekeys=good["one_time_prekeys"] + zero_otk),
            "duplicate one-time prekey ids": dict(good, one_time_prekeys=good["one_time_prekeys"] * 2),
            "no one-time prekeys": dict(good, one_time_prekeys=[]),
            "201 one-time prekeys": dict(good, one_time_prekeys=DeviceKeys(one_time=201).initial_one_time),
        }
        conn = await self.connect()
        for name, fields in cases.items():
            with self.subTest(case=name):
                self.assert_error(await conn.request("register", **fields), "invalid_field")
        answer = await conn.request("register", **good)
        self.assert_ok(answer)

    async def test_missing_fields(self):
        keys = DeviceKeys(one_time=1)
        good = keys.register_fields(self.bootstrap_code)
        conn = await self.connect()
        for name in good:
            with self.subTest(missing=name):
                fields = {k: v for k, v in good.items() if k != name}
                self.assert_error(await conn.request("register", **fields), "missing_field")

    async def test_user_ids_are_distinct(self):
        _, coord = await self.coordinator()
        users = set()
        for i, role in enumerate(ROLES):
            account = await self.new_account(coord, role, f"Person {i}")
            self.assertEqual(account.role, role)
            self.assertEqual(account.display_name, f"Person {i}")
            users.add(account.user)
        self.assertEqual(len(users), 4)


class LoginTest(ProtocolCase):
    async def asyncSetUp(self):
        answer, self.keys = await self.register(self.bootstrap_code, one_time=7)
        self.assert_ok(answer)
        self.user = answer["user"]

    async def test_challenge(self):
        conn = await self.connect()
        answer = await conn.call("challenge")
        self.assertEqual(set(answer) - {"type", "rid"}, {"nonce", "expires_at"})
        self.assertEqual(len(b64d(answer["nonce"])), 32)
        self.assert_time_near(answer["expires_at"], self.server.now() + datetime.timedelta(seconds=60))
        again = await conn.call("challenge")
        self.assertNotEqual(again["nonce"], answer["nonce"])

    async def test_login_ok(self):
        conn = await self.connect()
        answer = await conn.login(self.user, 1, self.keys)
        self.assert_ok(answer, {"user", "device", "role", "display_name", "pending", "one_time_prekeys"})
        self.assertEqual((answer["user"], answer["device"]), (self.user, 1))
        self.assertEqual(answer["role"], "coordinator")
        self.assertEqual(answer["display_name"], "Coordinator One")
        self.assertEqual(answer["pending"], 0)
        self.assertEqual(answer["one_time_prekeys"], 7)
        self.assert_ok(await conn.request("devices"))
        # A fresh connection logs in again with a fresh challenge (every connection, 7.2).
        other = await self.connect()
        self.assert_ok(await other.login(self.user, 1, self.keys))

    async def test_every_failure_is_the_same_login_failed(self):
        conn = await self.connect()
        stranger = DeviceKeys(one_time=1)
        attempts = {
            "wrong signature": (self.user, 1, stranger, None),
            "unknown user": (self.user + 1000, 1, self.keys, None),
            "unknown device": (self.user, 2, self.keys, None),
            "signed over another server key": (self.user, 1, self.keys, os.urandom(32)),
        }
        messages = {}
        for name, (user, device, keys, server_key) in attempts.items():
            with self.subTest(case=name):
                answer = await conn.login_request(user, device, keys, server_key=server_key)
                self.assert_error(answer, "login_failed")
                self.assertEqual(set(answer), {"type", "rid", "code", "message"}, answer)
                messages[name] = answer["message"]
        self.assertEqual(len(set(messages.values())), 1, f"login_failed messages differ: {messages}")
        # A signature over the nonce alone (without the label and server key) fails too.
        nonce = await conn.challenge()
        bare = self.keys.signing.sign(nonce)
        answer = await conn.request("login", user=self.user, device=1, signature=b64e(bare))
        self.assert_error(answer, "login_failed")
        self.assertEqual(answer["message"], messages["wrong signature"])
        # After all that the right key still logs in (3 failures < 5 for this pair).
        self.assert_ok(await conn.login(self.user, 1, self.keys))

    async def test_challenge_required_without_a_challenge(self):
        conn = await self.connect()
        sig = self.keys.login_signature(conn.server_key, bytes(32))
        self.assert_error(await conn.request("login", user=self.user, device=1, signature=b64e(sig)),
                          "challenge_required")

    async def test_challenge_is_used_once(self):
        conn = await self.connect()
        nonce = await conn.challenge()
        self.assert_error(await conn.login_request(self.user, 1, DeviceKeys(one_time=1), nonce=nonce), "login_failed")
        # The same nonce, now correctly signed: the challenge was used by the failed attempt.
        self.assert_error(await conn.login_request(self.user, 1, self.keys, nonce=nonce), "challenge_required")
        self.assert_ok(await conn.login(self.user, 1, self.keys))

    async def test_challenge_belongs_to_its_connection(self):
        first = await self.connect()
        second = await self.connect()
        nonce = await first.challenge()
        self.assert_error(await second.login_request(self.user, 1, self.keys, nonce=nonce), "challenge_required")
        self.assert_ok(await first.login_request(self.user, 1, self.keys, nonce=nonce))

    async def test_a_new_challenge_replaces_the_old(self):
        conn = await self.connect()
        old = await conn.challenge()
        await conn.challenge()
        self.assert_error(await conn.login_request(self.user, 1, self.keys, nonce=old), "login_failed")

    async def test_login_field_limits(self):
        conn = await self.connect()
        good = {"user": self.user, "device": 1, "signature": b64e(bytes(64))}
        for fields in [dict(good, user=0), dict(good, user=2 ** 53 + 1), dict(good, device=0),
                       dict(good, device=2 ** 31), dict(good, signature=b64e(bytes(63))),
                       dict(good, user="1"), dict(good, signature=None)]:
            with self.subTest(fields=fields):
                self.assert_error(await conn.request("login", **fields), "invalid_field")

    async def test_second_login_closes_the_first_with_4003(self):
        first = await self.connect()
        await first.login(self.user, 1, self.keys)
        second = await self.connect()
        await second.login(self.user, 1, self.keys)
        await self.assert_closed(first, 4003, "logged in elsewhere")
        self.assert_ok(await second.request("devices"))


class ChallengeExpiryTest(ProtocolCase):
    async def test_an_expired_challenge_is_refused(self):
        # 7.5: the nonce expires 60 s after the challenge (a slow test: it waits 61 s).
        registered, keys = await self.register(self.bootstrap_code)
        conn = await self.connect()
        nonce = await conn.challenge()
        await asyncio.sleep(61)
        self.assert_error(await conn.login_request(registered["user"], 1, keys, nonce=nonce), "challenge_required")
        self.assert_ok(await conn.login(registered["user"], 1, keys))


class LoginThrottleTest(ProtocolCase):
    """7.6 Throttling with the defaults: 5 failures per (user, device) pair, 30 per address."""

    async def test_pair_limit(self):
        answer, keys = await self.register(self.bootstrap_code)
        user = answer["user"]
        conn = await self.connect()
        wrong = DeviceKeys(one_time=1)
        for i in range(5):
            self.assert_error(await conn.login_request(user, 1, wrong), "login_failed")
        limited = await conn.login_request(user, 1, wrong)
        self.assert_error(limited, "rate_limited")
        self.assertLessEqual(limited["retry_after_ms"], 60_000)
        # Checked before the signature: even the right key is refused now.
        self.assert_error(await conn.login_request(user, 1, keys), "rate_limited")
        # Another pair from the same address is not limited (the address allows 30).
        self.assert_error(await conn.login_request(user, 2, wrong), "login_failed")
        self.assert_error(await conn.login_request(user + 7, 1, wrong), "login_failed")

    async def test_pair_limit_counts_for_pairs_that_do_not_exist(self):
        conn = await self.connect()
        wrong = DeviceKeys(one_time=1)
        for i in range(5):
            self.assert_error(await conn.login_request(4242, 3, wrong), "login_failed")
        self.assert_error(await conn.login_request(4242, 3, wrong), "rate_limited")

    async def test_successful_logins_cost_nothing(self):
        answer, keys = await self.register(self.bootstrap_code)
        for i in range(8):
            conn = await self.connect()
            self.assert_ok(await conn.login(answer["user"], 1, keys))
            await conn.close()


class AddressThrottleTest(ProtocolCase):
    server_limits = {"login_failures_per_address": 6, "login_refill_seconds_per_address": 3600}

    async def test_address_limit_covers_every_pair_and_register(self):
        answer, keys = await self.register(self.bootstrap_code)
        user = answer["user"]
        conn = await self.connect()
        wrong = DeviceKeys(one_time=1)
        for i in range(6):  # six different pairs, one failure each
            self.assert_error(await conn.login_request(1000 + i, 1, wrong), "login_failed")
        self.assert_error(await conn.login_request(user, 1, keys), "rate_limited")
        other = await self.connect()  # the address, not the connection
        self.assert_error(await other.login_request(user, 1, keys), "rate_limited")
        self.assert_error(await other.request("register", **DeviceKeys(one_time=1).register_fields("0" * 26)),
                          "rate_limited")

    async def test_failed_registrations_count(self):
        answer, keys = await self.register(self.bootstrap_code)
        conn = await self.connect()
        for i in range(6):
            self.assert_error(await conn.request("register", **DeviceKeys(one_time=1).register_fields("0" * 26)),
                              "invite_unknown")
        self.assert_error(await conn.login_request(answer["user"], 1, keys), "rate_limited")


class ThrottleRefillTest(ProtocolCase):
    server_limits = {"login_failures_per_device": 2, "login_refill_seconds_per_device": 1}

    async def test_retry_after_ms_is_honest(self):
        answer, keys = await self.register(self.bootstrap_code)
        conn = await self.connect()
        wrong = DeviceKeys(one_time=1)
        for i in range(2):
            self.assert_error(await conn.login_request(answer["user"], 1, wrong), "login_failed")
        limited = await conn.login_request(answer["user"], 1, keys)
        self.assert_error(limited, "rate_limited")
        self.assertLessEqual(limited["retry_after_ms"], 1000)
        await asyncio.sleep(limited["retry_after_ms"] / 1000 + 0.2)
        self.assert_ok(await conn.login(answer["user"], 1, keys))


class CoordinatorTest(ProtocolCase):
    async def asyncSetUp(self):
        self.coord_account, self.coord = await self.coordinator()

    async def test_invite_create_for_each_role(self):
        for role in ROLES:
            with self.subTest(role=role):
                answer = await self.coord.call("invite_create", role=role, display_name=f"New {role}")
                self.assertEqual(set(answer) - {"type", "rid"}, {"code", "role", "display_name", "expires_at"})
                self.assertEqual((answer["role"], answer["display_name"]), (role, f"New {role}"))
                self.assertEqual(len(answer["code"].replace("-", "")), 26, answer["code"])
                self.assert_time_near(answer["expires_at"], self.server.now() + 7 * DAY, slack=60)
                registered, _ = await self.register(answer["code"])
                self.assert_ok(registered)
                self.assertEqual((registered["role"], registered["display_name"]), (role, f"New {role}"))
                self.assertEqual(registered["device"], 1)

    async def test_invite_days_and_utf8_names(self):
        answer = await self.coord.call("invite_create", role="headteacher", display_name="Mrs Zoë Ødegård", days=1)
        self.assert_time_near(answer["expires_at"], self.server.now() + DAY, slack=60)
        self.assertEqual(answer["display_name"], "Mrs Zoë Ødegård")
        answer = await self.coord.call("invite_create", role="associate", display_name="x" * 120, days=30)
        self.assert_time_near(answer["expires_at"], self.server.now() + 30 * DAY, slack=60)

    async def test_invite_create_field_errors(self):
        for fields in [{"role": "admin", "display_name": "X"}, {"role": "Headteacher", "display_name": "X"},
                       {"role": "spoc", "display_name": ""}, {"role": "spoc", "display_name": "x" * 121},
                       {"role": "spoc", "display_name": "tab\there"}, {"role": "spoc", "display_name": "nl\n"},
                       {"role": "spoc", "display_name": "X", "days": 0},
                       {"role": "spoc", "display_name": "X", "days": 31}]:
            with self.subTest(fields=fields):
                self.assert_error(await self.coord.request("invite_create", **fields), "invalid_field")
        self.assert_error(await self.coord.request("invite_create", role="spoc"), "missing_field")

    async def test_other_roles_are_forbidden(self):
        for role in ("headteacher", "associate", "spoc"):
            account = await self.new_account(self.coord, role, f"A {role}")
            conn = await self.login(account)
            with self.subTest(role=role):
                self.assert_error(await conn.request("invite_create", role="headteacher", display_name="X"),
                                  "forbidden")
                self.assert_error(await conn.request("pair_create", headteacher=account.user, associate=account.user),
                                  "forbidden")
                self.assert_error(await conn.request("account_disable", user=self.coord_account.user), "forbidden")
                self.assert_ok(await conn.request("contacts"))  # contacts is for every role
        # A second coordinator may do all of it.
        second = await self.new_account(self.coord, "coordinator", "Coordinator Two")
        conn = await self.login(second)
        self.assert_ok(await conn.request("invite_create", role="spoc", display_name="S"))

    async def test_pair_create(self):
        head = await self.new_account(self.coord, "headteacher", "Ms A Head")
        assoc = await self.new_account(self.coord, "associate", "Mr B Assoc")
        first = await self.pair(self.coord, head, assoc)
        self.assertEqual(set(first) - {"type", "rid"}, {"pairing", "cycle", "created"})
        self.assertIs(type(first["pairing"]), int)
        self.assertIs(first["created"], True)
        again = await self.pair(self.coord, head, assoc)
        self.assertIs(again["created"], False)
        self.assertEqual(again["pairing"], first["pairing"])

    async def test_pair_create_errors(self):
        head = await self.new_account(self.coord, "headteacher", "Ms A Head")
        head2 = await self.new_account(self.coord, "headteacher", "Mr C Head")
        assoc = await self.new_account(self.coord, "associate", "Mr B Assoc")
        for h, a in [(assoc, head), (head, head2), (self.coord_account, assoc), (head, self.coord_account)]:
            with self.subTest(headteacher=h.role, associate=a.role):
                self.assert_error(await self.coord.request("pair_create", headteacher=h.user, associate=a.user),
                                  "wrong_role")
        self.assert_error(await self.coord.request("pair_create", headteacher=head.user, associate=99999),
                          "unknown_user")
        self.assert_error(await self.coord.request("pair_create", headteacher=99999, associate=assoc.user),
                          "unknown_user")


class ContactsTest(ProtocolCase):
    async def test_contacts_per_role(self):
        coord_account, coord = await self.coordinator()
        h1 = await self.new_account(coord, "headteacher", "Head One")
        h2 = await self.new_account(coord, "headteacher", "Head Two")
        a1 = await self.new_account(coord, "associate", "Assoc One")
        a2 = await self.new_account(coord, "associate", "Assoc Two")
        spoc = await self.new_account(coord, "spoc", "Spoc One")
        c2 = await self.new_account(coord, "coordinator", "Coordinator Two")
        await self.pair(coord, h1, a1)
        everyone = {a.user: a for a in (coord_account, h1, h2, a1, a2, spoc, c2)}

        async def contacts(account):
            conn = await self.login(account)
            answer = await conn.call("contacts")
            await conn.close()
            users = [c["user"] for c in answer["contacts"]]
            self.assertEqual(users, sorted(users), "ordered by user")
            for c in answer["contacts"]:
                self.assertEqual(set(c), {"user", "display_name", "role", "devices"}, c)
                known = everyone[c["user"]]
                self.assertEqual((c["display_name"], c["role"], c["devices"]), (known.display_name, known.role, [1]))
            return set(users)

        coordinators = {coord_account.user, c2.user}
        self.assertEqual(await contacts(h1), coordinators | {a1.user})
        self.assertEqual(await contacts(a1), coordinators | {h1.user})
        self.assertEqual(await contacts(h2), coordinators)
        self.assertEqual(await contacts(a2), coordinators)
        self.assertEqual(await contacts(spoc), coordinators)
        self.assertEqual(await contacts(c2) - {spoc.user}, {coord_account.user, h1.user, h2.user, a1.user, a2.user})
        # Whether a coordinator's contacts include a SPOC is not decided by 7.12 (see the report):
        # "coordinator → anyone: always" and "anyone → spoc: only flags" conflict.
        self.assertEqual(await contacts(coord_account) - {spoc.user}, {c2.user, h1.user, h2.user, a1.user, a2.user})

    async def test_contacts_show_every_device_and_drop_disabled_users(self):
        coord_account, coord = await self.coordinator()
        head = await self.new_account(coord, "headteacher", "Head One")
        gone = await self.new_account(coord, "associate", "Assoc Gone")
        head_conn = await self.login(head)
        await self.link_device(head_conn, head)
        answer = await coord.call("contacts")
        by_user = {c["user"]: c for c in answer["contacts"]}
        self.assertEqual(by_user[head.user]["devices"], [1, 2])
        self.assertIn(gone.user, by_user)
        await coord.call("account_disable", user=gone.user)
        answer = await coord.call("contacts")
        self.assertNotIn(gone.user, {c["user"] for c in answer["contacts"]})


class PrekeyTest(ProtocolCase):
    async def asyncSetUp(self):
        self.coord_account, self.coord = await self.coordinator()

    async def test_bundle_hands_out_each_one_time_prekey_once(self):
        head = await self.new_account(self.coord, "headteacher", "Head One", one_time=12)
        keys = head.keys()
        seen = []
        for i in range(12):
            answer = await self.coord.call("bundle", user=head.user)
            self.assertEqual(set(answer) - {"type", "rid"}, {"user", "devices"})
            self.assertEqual(answer["user"], head.user)
            self.assertEqual(len(answer["devices"]), 1)
            entry = answer["devices"][0]
            self.assertEqual(entry["device"], 1)
            identity = b64d(entry["identity"])
            self.assertEqual(identity, keys.identity)
            self.assertTrue(check_identity(identity))
            self.assertEqual(entry["signed_prekey"], keys.spk)
            self.assertTrue(check_signed_prekey(identity, entry["signed_prekey"]))
            otk = entry["one_time_prekey"]
            self.assertEqual(b64d(otk["key"]), keys.one_time_public(otk["id"]))
            seen.append(otk["id"])
        self.assertEqual(sorted(seen), list(range(1, 13)), "each one-time prekey exactly once")
        answer = await self.coord.call("bundle", user=head.user)
        self.assertNotIn("one_time_prekey", answer["devices"][0], "none left: the member is absent")
        self.assertEqual(b64d(answer["devices"][0]["identity"]), keys.identity)
        conn = await self.login(head)
        self.assertEqual(conn.login_answer["one_time_prekeys"], 0)

    async def test_concurrent_bundles_never_share_a_prekey(self):
        head = await self.new_account(self.coord, "headteacher", "Head One", one_time=30)
        other = await self.login(await self.new_account(self.coord, "coordinator", "Coordinator Two"))
        answers = await asyncio.gather(*[c.call("bundle", user=head.user)
                                         for _ in range(20) for c in (self.coord, other)])
        ids = [a["devices"][0]["one_time_prekey"]["id"] for a in answers if "one_time_prekey" in a["devices"][0]]
        self.assertEqual(len(ids), 30)
        self.assertEqual(len(set(ids)), 30)

    async def test_prekeys_low_when_connected(self):
        head = await self.new_account(self.coord, "headteacher", "Head One", one_time=11)
        conn = await self.login(head)
        await self.assert_no_event(conn, "prekeys_low", wait=0.5)  # 11 is not low
        await self.coord.call("bundle", user=head.user)  # 10 left: not below 10
        await self.assert_no_event(conn, "prekeys_low", wait=0.5)
        await self.coord.call("bundle", user=head.user)  # 9 left
        event = await conn.next_event("prekeys_low", timeout=3)
        self.assertEqual(event, {"type": "prekeys_low", "one_time_prekeys": 9})
        answer = await conn.call("prekeys_upload", one_time_prekeys=head.keys().new_one_time_prekeys(20))
        self.assertEqual(set(answer) - {"type", "rid"}, {"one_time_prekeys"})
        self.assertEqual(answer["one_time_prekeys"], 29)
        await conn.close()
        conn = await self.login(head)
        self.assertEqual(conn.login_answer["one_time_prekeys"], 29)
        await self.assert_no_event(conn, "prekeys_low", wait=0.5)

    async def test_prekeys_low_at_next_login(self):
        head = await self.new_account(self.coord, "headteacher", "Head One", one_time=12)
        for _ in range(3):
            await self.coord.call("bundle", user=head.user)
        conn = await self.login(head)
        self.assertEqual(conn.login_answer["one_time_prekeys"], 9)
        event = await conn.next_event("prekeys_low", timeout=3)
        self.assertEqual(event["one_time_prekeys"], 9)

    async def test_prekeys_upload_rules(self):
        head = await self.new_account(self.coord, "headteacher", "Head One", one_time=200)
        keys = head.keys()
        conn = await self.login(head)
        self.assert_error(await conn.request("prekeys_upload"), "missing_field")
        held = [{"id": 5, "key": b64e(os.urandom(32))}]
        self.assert_error(await conn.request("prekeys_upload", one_time_prekeys=held), "invalid_field")
        fresh = keys.new_one_time_prekeys(2)
        self.assert_error(await conn.request("prekeys_upload", one_time_prekeys=fresh + fresh[:1]), "invalid_field")
        self.assert_error(await conn.request("prekeys_upload", one_time_prekeys=[]), "invalid_field")
        self.assert_error(await conn.request("prekeys_upload", one_time_prekeys=keys.new_one_time_prekeys(201)),
                          "invalid_field")
        self.assert_error(await conn.request("prekeys_upload", one_time_prekeys=[{"id": 4294967296, "key": fresh[0]["key"]}]),
                          "invalid_field")
        # Up to 1000 held; the request that would pass it is limit_reached and stores nothing.
        total = 200
        for _ in range(4):
            answer = await conn.call("prekeys_upload", one_time_prekeys=keys.new_one_time_prekeys(200))
            total += 200
            self.assertEqual(answer["one_time_prekeys"], total)
        self.assertEqual(total, 1000)
        self.assert_error(await conn.request("prekeys_upload", one_time_prekeys=keys.new_one_time_prekeys(1)),
                          "limit_reached")
        await conn.close()
        conn = await self.login(head)
        self.assertEqual(conn.login_answer["one_time_prekeys"], 1000)

    async def test_signed_prekey_rotation(self):
        head = await self.new_account(self.coord, "headteacher", "Head One", one_time=3)
        keys = head.keys()
        conn = await self.login(head)
        bad = dict(keys.new_signed_prekey(2), signature=b64e(bytes(64)))
        self.assert_error(await conn.request("prekeys_upload", signed_prekey=bad), "invalid_field")
        spk = keys.new_signed_prekey(3)
        answer = await conn.call("prekeys_upload", signed_prekey=spk)
        self.assertEqual(answer["one_time_prekeys"], 3)
        bundle = await self.coord.call("bundle", user=head.user)
        self.assertEqual(bundle["devices"][0]["signed_prekey"], spk)

    async def test_bundle_rules(self):
        head = await self.new_account(self.coord, "headteacher", "Head One")
        assoc = await self.new_account(self.coord, "associate", "Assoc One")
        head2 = await self.new_account(self.coord, "headteacher", "Head Two")
        spoc = await self.new_account(self.coord, "spoc", "Spoc One")
        conn = await self.login(head)
        self.assert_error(await conn.request("bundle", user=assoc.user), "not_paired")
        self.assert_error(await conn.request("bundle", user=head2.user), "not_paired")
        self.assert_error(await conn.request("bundle", user=spoc.user), "not_paired")
        self.assert_error(await conn.request("bundle", user=99999), "unknown_user")
        self.assert_ok(await conn.request("bundle", user=self.coord_account.user))  # anyone → coordinator
        own = await conn.call("bundle", user=head.user)  # own user: allowed
        self.assertEqual(own["user"], head.user)
        await self.pair(self.coord, head, assoc)
        answer = await conn.call("bundle", user=assoc.user)
        self.assertEqual(b64d(answer["devices"][0]["identity"]), assoc.keys().identity)


class DeviceTest(ProtocolCase):
    async def asyncSetUp(self):
        self.coord_account, self.coord = await self.coordinator()
        self.head = await self.new_account(self.coord, "headteacher", "Head One")
        self.conn = await self.login(self.head)

    async def test_devices(self):
        answer = await self.conn.call("devices")
        self.assertEqual(set(answer) - {"type", "rid"}, {"devices"})
        [entry] = answer["devices"]
        self.assertEqual(set(entry), {"device", "identity", "created_at", "current"})
        self.assertEqual(entry["device"], 1)
        self.assertEqual(b64d(entry["identity"]), self.head.keys().identity)
        self.assertIs(entry["current"], True)
        self.assert_time_near(entry["created_at"], slack=60)

    async def test_device_link_adds_a_device_to_the_same_user(self):
        link = await self.conn.call("device_link")
        self.assertEqual(set(link) - {"type", "rid"}, {"code", "expires_at"})
        self.assertEqual(len(link["code"].replace("-", "")), 26)
        self.assert_time_near(link["expires_at"], self.server.now() + datetime.timedelta(minutes=10), slack=30)
        answer, keys = await self.register(link["code"])
        self.assert_ok(answer, {"user", "device", "role", "display_name"})
        self.assertEqual((answer["user"], answer["device"], answer["role"], answer["display_name"]),
                         (self.head.user, 2, "headteacher", "Head One"))
        self.head.devices[2] = keys
        self.assert_error((await self.register(link["code"]))[0], "invite_used")
        second = await self.login(self.head, 2)
        self.assertEqual(second.login_answer["role"], "headteacher")
        listed = (await second.call("devices"))["devices"]
        self.assertEqual([(d["device"], d["current"]) for d in listed], [(1, False), (2, True)])
        self.assertEqual(b64d(listed[1]["identity"]), keys.identity)
        # The bundle of the own user lists the devices (which ones: see the report).
        bundle = await self.conn.call("bundle", user=self.head.user)
        self.assertIn(2, [d["device"] for d in bundle["devices"]])

    async def test_device_remove_closes_4001_and_login_fails(self):
        await self.link_device(self.conn, self.head)
        second = await self.login(self.head, 2)
        answer = await self.conn.call("device_remove", device=2)
        self.assertEqual(set(answer) - {"type", "rid"}, set())
        await self.assert_closed(second, 4001, "device removed", timeout=2)
        again = await self.connect()
        self.assert_error(await again.login_request(self.head.user, 2, self.head.keys(2)), "login_failed")
        self.assert_error(await self.conn.request("device_remove", device=2), "not_found")
        self.assert_error(await self.conn.request("device_remove", device=9), "not_found")
        listed = (await self.conn.call("devices"))["devices"]
        self.assertEqual([d["device"] for d in listed], [1])
        bundle = await self.coord.call("bundle", user=self.head.user)
        self.assertEqual([d["device"] for d in bundle["devices"]], [1])

    async def test_device_ids_are_not_reused(self):
        # 7.2 says only "unique within the user"; reusing a removed device's number would let a
        # new key pose as an old device to peers (see the report).
        await self.link_device(self.conn, self.head)
        await self.conn.call("device_remove", device=2)
        self.assertEqual(await self.link_device(self.conn, self.head), 3)

    async def test_last_device(self):
        self.assert_error(await self.conn.request("device_remove", device=1), "last_device")
        self.assert_ok(await self.conn.request("devices"))  # still logged in

    async def test_removing_the_current_device(self):
        await self.link_device(self.conn, self.head)
        self.assert_ok(await self.conn.request("device_remove", device=1))
        await self.assert_closed(self.conn, 4001, "device removed", timeout=2)
        second = await self.login(self.head, 2)
        self.assertEqual([d["device"] for d in (await second.call("devices"))["devices"]], [2])
        self.assert_error(await second.request("device_remove", device=2), "last_device")


class DisableTest(ProtocolCase):
    async def test_account_disable(self):
        coord_account, coord = await self.coordinator()
        head = await self.new_account(coord, "headteacher", "Head One")
        conn = await self.login(head)
        self.assertEqual(set(await coord.call("account_disable", user=head.user)) - {"type", "rid"}, set())
        await self.assert_closed(conn, 4002, "account disabled", timeout=2)
        again = await self.connect()
        answer = await again.login_request(head.user, 1, head.keys())
        self.assert_error(answer, "login_failed")
        self.assert_error(await coord.request("bundle", user=head.user), "unknown_user")
        self.assert_error(await coord.send_message(head.user, [(head.user, 1)]), "unknown_user")
        self.assert_error(await coord.request("account_disable", user=coord_account.user), "invalid_field")
        self.assert_error(await coord.request("account_disable", user=99999), "unknown_user")

    async def test_disable_closes_every_device(self):
        coord_account, coord = await self.coordinator()
        head = await self.new_account(coord, "headteacher", "Head One")
        first = await self.login(head)
        await self.link_device(first, head)
        second = await self.login(head, 2)
        await coord.call("account_disable", user=head.user)
        await self.assert_closed(first, 4002, "account disabled", timeout=2)
        await self.assert_closed(second, 4002, "account disabled", timeout=2)


if __name__ == "__main__":
    main()
