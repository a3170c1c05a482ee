"""8 client threads x 2,000 mixed operations on a live threaded server, on one tenant and
across tenants: no duplicate userName, no lost update, memberships consistent, totals right."""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
from live_server import Client, ServerProcess

THREADS = 8
OPERATIONS = 2000
SHARED_NAMES = 300  # creates draw from a small pool of userNames, so they collide on purpose
TOKEN = "concurrency-token"
ADMIN = "concurrency-admin"


@dataclass
class Tally:
    """What one thread was told by the server (only acknowledged answers count)."""

    created: Counter = field(default_factory=Counter)  # tenant -> users created (201)
    deleted: Counter = field(default_factory=Counter)  # tenant -> users deleted (204)
    conflicts: int = 0
    last_title: dict = field(default_factory=dict)  # user id -> last acknowledged title
    members: dict = field(default_factory=dict)  # user id -> in the shared group? (acked)
    live_users: dict = field(default_factory=dict)  # user id -> tenant path (own users)
    statuses: Counter = field(default_factory=Counter)


@pytest.fixture(scope="module")
def server():
    process = ServerProcess("--threads", "8", token=TOKEN, admin_token=ADMIN)
    yield process
    assert process.stop() == 0


def make_tenants(server: ServerProcess) -> list[tuple[str, str]]:
    admin = Client(server.port, ADMIN)
    tenants = []
    for _ in range(3):
        status, body = admin.request("POST", "/_sandbox/tenants", {"vendor": "generic"})
        assert status == 201
        tenants.append((body["tenant_url"].split(str(server.port), 1)[1], body["token"]))
    admin.close()
    return tenants


def worker(server: ServerProcess, tenants: list[tuple[str, str]], group: tuple[str, str],
           number: int, tally: Tally) -> None:
    rng = random.Random(number)
    clients = {base: Client(server.port, token) for base, token in tenants}
    group_base, group_id = group
    own: list[tuple[str, str]] = []  # (tenant base, user id) this thread created
    try:
        for step in range(OPERATIONS):
            base, _ = tenants[0] if rng.random() < 0.6 else rng.choice(tenants[1:])
            client = clients[base]
            roll = rng.random()
            if roll < 0.35 or not own:
                name = f"user-{rng.randrange(SHARED_NAMES)}"
                status, body = client.request("POST", f"{base}/Users", {"userName": name})
                tally.statuses[status] += 1
                if status == 201:
                    tally.created[base] += 1
                    own.append((base, body["id"]))
                    tally.live_users[body["id"]] = base
                elif status == 409:
                    tally.conflicts += 1
                continue
            user_base, uid = rng.choice(own)
            user_client = clients[user_base]
            if roll < 0.65:
                title = f"t{number}-{step}"
                status, _ = user_client.request("PATCH", f"{user_base}/Users/{uid}", {
                    "Operations": [{"op": "replace", "path": "title", "value": title}]})
                if status == 200:
                    tally.last_title[uid] = title
            elif roll < 0.85 and user_base == group_base:
                joining = not tally.members.get(uid, False)
                op = ({"op": "add", "path": "members", "value": [{"value": uid}]} if joining
                      else {"op": "remove", "path": f'members[value eq "{uid}"]'})
                status, _ = clients[group_base].request(
                    "PATCH", f"{group_base}/Groups/{group_id}", {"Operations": [op]})
                if status == 200:
                    tally.members[uid] = joining
            elif roll < 0.92:
                status, _ = user_client.request("DELETE", f"{user_base}/Users/{uid}")
                if status == 204:
                    tally.deleted[user_base] += 1
                    own.remove((user_base, uid))
                    tally.live_users.pop(uid)
                    tally.last_title.pop(uid, None)
                    tally.members.pop(uid, None)
            else:
                status, _ = user_client.request("GET", f"{user_base}/Users/{uid}")
                assert status == 200, "a user this thread created and did not delete is gone"
            tally.statuses[status] += 1
    finally:
        for client in clients.values():
            client.close()


def all_users(client: Client, base: str) -> list[dict]:
    users, start = [], 1
    while True:
        status, page = client.request("GET", f"{base}/Users?startIndex={start}&count=200")
        assert status == 200
        users.extend(page.get("Resources", []))
        if start + page["itemsPerPage"] > page["totalResults"] or not page["itemsPerPage"]:
            return users
        start += page["itemsPerPage"]


def test_concurrent_mixed_operations_keep_every_invariant(server):
    tenants = make_tenants(server)
    setup = Client(server.port, tenants[0][1])
    status, group = setup.request("POST", f"{tenants[0][0]}/Groups", {"displayName": "shared"})
    assert status == 201
    tallies = [Tally() for _ in range(THREADS)]
    threads = [threading.Thread(target=worker,
                                args=(server, tenants, (tenants[0][0], group["id"]), n,
                                      tallies[n]))
               for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads)
    operations = sum(sum(t.statuses.values()) for t in tallies)
    assert operations == THREADS * OPERATIONS
    assert all(s < 500 for t in tallies for s in t.statuses), \
        sum((t.statuses for t in tallies), Counter())

    for base, token in tenants:
        client = Client(server.port, token)
        users = all_users(client, base)
        names = [u["userName"].casefold() for u in users]
        assert len(names) == len(set(names)), "a userName exists twice"
        created = sum(t.created[base] for t in tallies)
        deleted = sum(t.deleted[base] for t in tallies)
        assert len(users) == created - deleted, (base, len(users), created, deleted)
        by_id = {u["id"]: u for u in users}
        for tally in tallies:
            for uid, title in tally.last_title.items():
                if tally.live_users.get(uid) == base:
                    assert by_id[uid].get("title") == title, "an acknowledged update was lost"
        client.close()

    status, shared = setup.request("GET", f"{tenants[0][0]}/Groups/{group['id']}")
    members = {m["value"] for m in shared.get("members", [])}
    expected = {uid for t in tallies for uid, inside in t.members.items() if inside}
    assert members == expected, "group memberships diverged from the acknowledged PATCHes"
    live = {uid for t in tallies for uid in t.live_users}
    assert members <= live, "a deleted user is still a member"
    conflicts = sum(t.conflicts for t in tallies)
    assert conflicts > 0, "the load never hit the uniqueness check"
    print(f"{operations} operations from {THREADS} threads; {conflicts} userName conflicts "
          f"refused; {len(members)} members in the shared group; every invariant held")
    setup.close()
