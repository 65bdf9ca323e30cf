"""Durability: every write the server acknowledged survives a SIGKILL of the node.

8 writer threads write continuously; each records a write as acknowledged only after it has
received the success response. After about 3 s the node is SIGKILLed, restarted on the same
data directory, and everything acknowledged must be there with its exact value.
"""
import threading
import time

import requests

from conftest import BaseClient, fetch_all, get_item, json_of, put_ok, unique

THREADS = 8
RUN_SECONDS = 3.0


class CrashRun:
    """Runs `step(client, tid, seq) -> bool` in THREADS threads until the node is killed."""

    def __init__(self, node, collection, base_name, step):
        self.node, self.collection, self.base_name, self.step = node, collection, base_name, step
        self.attempted = [[] for _ in range(THREADS)]
        self.acked = [[] for _ in range(THREADS)]
        self.unexpected: list[str] = []
        self.stop = threading.Event()

    def _loop(self, tid):
        client = BaseClient(self.node.url, self.collection.project_id, self.collection.data_key, self.base_name)
        seq = 0
        while not self.stop.is_set():
            self.attempted[tid].append(seq)
            try:
                ok, detail = self.step(client, tid, seq)
            except requests.exceptions.JSONDecodeError as error:
                ok, detail = False, f"non-JSON success body: {error}"
            except requests.RequestException:
                return  # the node is gone
            except Exception as error:  # noqa: BLE001 - any other surprise is a finding
                ok, detail = False, repr(error)
            if ok:
                self.acked[tid].append(seq)
            else:
                self.unexpected.append(detail)
                return
            seq += 1

    def run(self):
        threads = [threading.Thread(target=self._loop, args=(t,), daemon=True) for t in range(THREADS)]
        for t in threads:
            t.start()
        started = time.monotonic()
        # Wait (not an assertion) for the run time, and for at least some acknowledged writes.
        while time.monotonic() - started < 30:
            if time.monotonic() - started >= RUN_SECONDS and sum(map(len, self.acked)) >= THREADS:
                break
            if self.unexpected:
                break
            time.sleep(0.05)
        self.node.kill()
        self.stop.set()
        for t in threads:
            t.join(timeout=60)
            assert not t.is_alive(), "writer thread hung after the node was killed"
        assert not self.unexpected, f"unexpected responses while the node was up: {self.unexpected[:3]}"
        assert sum(map(len, self.acked)) > 0, "no write was acknowledged before the kill"
        print(f"[crash] acknowledged {sum(map(len, self.acked))} of {sum(map(len, self.attempted))} attempted writes")
        self.node.start()
        return BaseClient(self.node.url, self.collection.project_id, self.collection.data_key, self.base_name)


def value_for(tid, seq, i=0):
    return {"tid": tid, "seq": seq, "i": i, "payload": f"{tid}:{seq}:{i}:" + "p" * 200, "nested": {"l": [seq, i]}}


def check_survivors(base, expected: dict, attempted_keys: set):
    stored = {item["key"]: item for item in fetch_all(base, limit=500)}
    missing = [k for k in expected if k not in stored]
    assert not missing, f"{len(missing)} of {len(expected)} acknowledged items lost after SIGKILL, e.g. {missing[:5]}"
    wrong = [k for k, v in expected.items() if stored[k] != v]
    assert not wrong, f"acknowledged items changed after SIGKILL, e.g. {stored[wrong[0]]!r} != {expected[wrong[0]]!r}"
    phantom = set(stored) - attempted_keys
    assert not phantom, f"items that were never written: {sorted(phantom)[:5]}"
    return stored


def test_acknowledged_single_puts_survive_sigkill(node_factory):
    node = node_factory()
    collection = node.create_collection()

    def step(client, tid, seq):
        key = f"w{tid}-{seq:07d}"
        resp = client.put({"key": key, **value_for(tid, seq)})
        if resp.status_code != 207:
            return False, f"PUT {key} -> {resp.status_code} {resp.text[:200]}"
        return resp.json()["processed"]["items"][0]["key"] == key, resp.text[:200]

    run = CrashRun(node, collection, unique("crash"), step)
    base = run.run()
    expected = {f"w{t}-{s:07d}": {"key": f"w{t}-{s:07d}", **value_for(t, s)}
                for t in range(THREADS) for s in run.acked[t]}
    attempted = {f"w{t}-{s:07d}" for t in range(THREADS) for s in run.attempted[t]}
    stored = check_survivors(base, expected, attempted)
    for key in attempted & set(stored):  # unacknowledged writes that made it must be intact too
        t, s = key[1:].split("-")
        assert stored[key] == {"key": key, **value_for(int(t), int(s))}
    # The restarted node still takes writes.
    put_ok(base, {"key": "after-restart"})
    assert get_item(base, "after-restart") == {"key": "after-restart"}


def test_acknowledged_25_item_batches_survive_sigkill(node_factory):
    node = node_factory()
    collection = node.create_collection()

    def batch_keys(tid, seq):
        return [f"b{tid}-{seq:06d}-{i:02d}" for i in range(25)]

    def step(client, tid, seq):
        items = [{"key": k, **value_for(tid, seq, i)} for i, k in enumerate(batch_keys(tid, seq))]
        resp = client.put(*items)
        if resp.status_code != 207:
            return False, f"PUT batch {tid}/{seq} -> {resp.status_code} {resp.text[:200]}"
        body = resp.json()
        return body["processed"]["items"] == items and body["failed"]["items"] == [], resp.text[:200]

    run = CrashRun(node, collection, unique("crashb"), step)
    base = run.run()
    expected = {}
    for t in range(THREADS):
        for s in run.acked[t]:
            for i, k in enumerate(batch_keys(t, s)):
                expected[k] = {"key": k, **value_for(t, s, i)}
    attempted = {k for t in range(THREADS) for s in run.attempted[t] for k in batch_keys(t, s)}
    check_survivors(base, expected, attempted)


def test_acknowledged_increments_survive_sigkill(node_factory):
    node = node_factory()
    collection = node.create_collection()
    base_name = unique("crashc")
    setup = BaseClient(node.url, collection.project_id, collection.data_key, base_name)
    put_ok(setup, {"key": "counter", "total": 0, **{f"t{t}": 0 for t in range(THREADS)}})

    def step(client, tid, seq):
        resp = client.update("counter", {"increment": {"total": 1, f"t{tid}": 1}})
        return resp.status_code == 200, f"PATCH counter -> {resp.status_code} {resp.text[:200]}"

    run = CrashRun(node, collection, base_name, step)
    base = run.run()
    counter = json_of(base.get("counter"), 200)
    acked = [len(a) for a in run.acked]
    attempted = [len(a) for a in run.attempted]
    for t in range(THREADS):
        assert acked[t] <= counter[f"t{t}"] <= attempted[t], (t, acked[t], counter[f"t{t}"], attempted[t])
    assert sum(acked) <= counter["total"] <= sum(attempted), (sum(acked), counter["total"], sum(attempted))
    # Each PATCH changes both fields at once: a crash must not leave half an update.
    assert counter["total"] == sum(counter[f"t{t}"] for t in range(THREADS)), counter
