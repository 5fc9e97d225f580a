"""PHP's reading of form fields (after Connexion joined repeated keys with commas)."""

from __future__ import annotations

import pytest

from mocks.eloomi.laravel import php_form


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"a": "1"}, {"a": "1"}),
        ({"a[]": "1,2"}, {"a": ["1", "2"]}),
        ({"a[]": ["1", "2"]}, {"a": ["1", "2"]}),
        ({"a[]": ""}, {"a": []}),
        ({"a[0]": "x", "a[1]": "y"}, {"a": ["x", "y"]}),
        ({"a[1]": "x", "a[2]": "y"}, {"a": {"1": "x", "2": "y"}}),  # not 0..n-1: a map
        ({"a[0]": "x", "a[01]": "y"}, {"a": {"0": "x", "01": "y"}}),
        (
            {"c[12][deadline]": "2031-01-01", "c[12][required]": "1"},
            {"c": {"12": {"deadline": "2031-01-01", "required": "1"}}},
        ),
        ({"c[x][]": "1,2"}, {"c": {"x": ["1", "2"]}}),
        ({"a": "1", "a[b]": "2"}, {"a": {"b": "2"}}),  # the later key wins, as in PHP
        ({"[x]": "1", "b": "2"}, {"b": "2"}),  # no name: dropped
        ({"a[": "1"}, {"a": "1"}),  # an unclosed bracket is no bracket
    ],
)
def test_php_form(fields, expected):
    assert php_form(fields) == expected
