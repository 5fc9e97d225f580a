"""core/querystring.py gives exactly what parse_qsl(keep_blank_values=True) gives, fast path or not."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl

import pytest

from mocks.core.querystring import query_pairs

ALPHABET = ["a", "b", "1", "=", "&", "&&", "%", "%20", "%zz", "+", ";", " ", "é", "[", "]", ".", "-", "_"]


def _random_query(rnd: random.Random) -> bytes:
    return "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 14))).encode("utf-8")


@pytest.mark.parametrize(
    "raw",
    [b"", b"limit=25", b"a=1&b=", b"flag", b"a=1&&b=2&", b"a==b", b"filter[name]=x&filter[name]=y", b"q=%C3%A9+x"],
)
def test_examples(raw):
    assert query_pairs(raw) == parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


def test_random_query_strings_match_parse_qsl():
    rnd = random.Random(20261205)
    for _ in range(5000):
        raw = _random_query(rnd)
        assert query_pairs(raw) == parse_qsl(raw.decode("latin-1"), keep_blank_values=True), raw
