"""The schema caches in core/validation.py are keyed by id(schema): an id freed by one schema and reused by
another must never return the first schema's validator (reproduced before the fix: a string-enum schema's
quick check then answered for an integer schema created at the same address, so `3` was refused)."""

from mocks.core.validation import compiled, quick_check


def test_quick_check_answers_for_the_schema_it_was_given():
    # CPython reuses a freed dict's memory for the next dict of the same size at once: without the fix
    # nearly every round hands `second` the first schema's id.
    for _ in range(200):
        first = {"type": "string", "enum": ["a", "b"]}
        assert quick_check(first)("a") is True
        del first
        second = {"type": "integer", "minimum": 0}
        check = quick_check(second)
        assert check(3) is True
        assert check("a") is False


def test_compiled_validator_is_per_schema_and_class():
    schema = {"type": "integer"}
    validator = compiled(schema)
    assert validator.schema is schema
    assert compiled(schema) is validator
    assert compiled({"type": "integer"}) is not validator
