"""Every vendor package uses the fixed file roles of docs/ENGINE.md ("A vendor package: fixed file roles"): a
module whose name fits no role, or that does not say what it holds, fails here."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from mocks.registry import VENDORS

ROLE = re.compile(r"^(__init__|auth|seed|(domain|wire|errors|handlers)(_\w+)?)\.py$")
# modules named after one vendor idea (a format or a framework's behaviour), listed in ENGINE.md
IDEAS = {"laravel.py", "jsonapi.py", "dates.py", "png.py", "xmlfeed.py", "specgen.py"}


def package_dir(name: str) -> Path:
    module = importlib.import_module(VENDORS[name].partition(":")[0])
    return Path(module.__file__).parent


@pytest.mark.parametrize("name", list(VENDORS))
def test_every_module_of_a_vendor_has_a_role(name):
    misfits = [p.name for p in package_dir(name).glob("*.py") if not ROLE.match(p.name) and p.name not in IDEAS]
    assert misfits == [], f"{name}: modules fit no role of docs/ENGINE.md: {misfits}"


@pytest.mark.parametrize("name", list(VENDORS))
def test_every_module_of_a_vendor_says_what_it_holds(name):
    silent = [p.name for p in package_dir(name).glob("*.py") if not ast.get_docstring(ast.parse(p.read_text()))]
    assert silent == [], f"{name}: modules without a docstring: {silent}"


def test_the_roles_reject_what_engine_md_retired():
    assert not ROLE.match("models.py") and "models.py" not in IDEAS
    assert not ROLE.match("rules.py") and "rules.py" not in IDEAS
    assert ROLE.match("domain_apps.py") and ROLE.match("handlers_v1_absences.py") and ROLE.match("wire.py")


# What only a domain module does: open a write, look up or write a world collection.
NOT_A_HANDLERS_JOB = re.compile(r"transaction\(|world\[|world\.existing\(|\.(insert|update|delete|upsert)\(")


@pytest.mark.parametrize("name", list(VENDORS))
def test_handlers_only_read_call_and_render(name):
    """ENGINE.md: a handler reads its parameters, calls the domain, renders through wire; writes, transactions
    and collection lookups live in domain*.py."""
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(package_dir(name).glob("handlers*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if NOT_A_HANDLERS_JOB.search(line)
    ]
    assert found == [], f"{name}: domain work in handlers:\n" + "\n".join(found)


def test_the_handler_scan_sees_domain_work():
    assert NOT_A_HANDLERS_JOB.search("with ctx.world.transaction():")
    assert NOT_A_HANDLERS_JOB.search('row = world["employees"].get(id)')
    assert NOT_A_HANDLERS_JOB.search("users.insert(row)")
    assert not NOT_A_HANDLERS_JOB.search("return w.listing(domain.users(ctx), page)")
