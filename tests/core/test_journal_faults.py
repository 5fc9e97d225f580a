import pytest

from mocks.core.faults import FaultInjector
from mocks.core.journal import Entry, Journal, _size


def entry(journal, n, vendor="v", path="/v/x", method="GET"):
    return Entry(journal.next_seq(), 0.0, vendor, "t", method, path, "", {}, b"", 200, [], b"x" * (n + 2))


def test_journal_is_bounded_and_queryable():
    journal = Journal(capacity=3, body_limit=4)
    for n in range(5):
        journal.add(entry(journal, n, vendor="a" if n % 2 else "b"))
    assert [e.seq for e in journal.query()] == [3, 4, 5]
    assert [e.seq for e in journal.query(vendor="a")] == [4]
    assert [e.seq for e in journal.query(since=3)] == [4, 5]
    assert journal.query(limit=1)[0].seq == 5
    assert journal.query()[-1].response_body == "xxxx…"
    assert journal.query()[0].to_dict()["time"] == "1970-01-01T00:00:00Z"


def test_entries_kept_as_fields_read_as_entries_with_the_limit_of_their_time():
    """The request path keeps an entry's fields as a tuple (Journal.add_fields); readers get Entry objects, cut
    at the body limit in force when the entry was kept, durations rounded when read."""
    journal = Journal(capacity=3, body_limit=4)
    journal.add(entry(journal, 1))
    fields = (journal.next_seq(), 0.0, "v", "t", "POST", "/v/y", "a=1", {"h": "1"}, b"body!", 201, [], b"answer")
    journal.add_fields((*fields, 1.23456789, "request", {}), 300)
    journal.body_limit = 2
    assert journal.bytes == _size(journal.query()[0]) + 300
    first, kept = journal.query()
    assert isinstance(kept, Entry) and (kept.seq, kept.method, kept.status) == (2, "POST", 201)
    assert (kept.request_body, kept.response_body) == ("body…", "answ…")
    assert kept.to_dict()["duration_ms"] == 1.235
    assert [e.seq for e in journal.query(method="post")] == [2]


def test_fault_matching_and_spending():
    faults = FaultInjector()
    once = faults.add({"vendor": "v", "method": "get", "path": "/api/*", "status": 503}, known_vendors={"v"})
    assert faults.take("v", "POST", "/v/api/x", "/api/x") is None
    assert faults.take("w", "GET", "/w/api/x", "/api/x") is None
    assert faults.take("v", "GET", "/v/api/x", "/api/x") is once
    assert faults.take("v", "GET", "/v/api/x", "/api/x") is None
    forever = faults.add({"latency_ms": 5, "times": None}, known_vendors={"v"})
    assert all(faults.take("v", "GET", "/v/a", "/a") is forever for _ in range(5))
    assert faults.remove(forever.id) and not faults.list()


@pytest.mark.parametrize(
    "spec, message",
    [
        ({"status": 503, "vendor": "nope"}, "unknown vendor"),
        ({}, "needs a 'status'"),
        ({"status": 99}, "integer HTTP status"),
        ({"status": 500, "times": 0}, "positive integer"),
        ({"status": 500, "colour": "red"}, "unknown fault fields"),
        ({"latency_ms": -1}, "latency_ms"),
    ],
)
def test_fault_validation(spec, message):
    with pytest.raises(ValueError, match=message):
        FaultInjector().add(spec, known_vendors={"v"})
