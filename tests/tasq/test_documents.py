"""The mock against Tasq's own documents: the README's examples give the README's answers, and the spec
serves exactly the README's operations plus the gateway's users/tasqs/tickets routes."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import yaml

from mocks.core.paths import data_dir
from mocks.core.specs import load_yaml

from .conftest import ok

REFERENCE = Path(__file__).parents[1] / "reference" / "tasq"
README = (REFERENCE / "README.md").read_text()
GATEWAY = REFERENCE / "backend-api-gateway" / "api_gateway.2020-07-17.yml"
SPEC = load_yaml((data_dir("specs") / "tasq.yaml").read_text())
ROUTED_RESOURCES = ("/users", "/tasqs", "/tickets")  # the scope of the gateway's routes


def readme_example(operation: str, kind: str) -> str:
    """The code block after "Example <kind>" of the first README section titled `operation`."""
    section = README.split(f"*{operation}*", 1)[1]
    return section.split(f"Example {kind}", 1)[1].split("```", 2)[1]


def python_literal(text: str, **placeholders: str):
    """The README prints answers as Python literals with {placeholders} and bare words: fill them in."""
    for name, value in placeholders.items():
        text = text.replace(name, repr(value))
    return ast.literal_eval(text)


# (the copies under tests/reference/ are checked against recorded sums: tests/test_reference_copies.py)


# -- README examples ------------------------------------------------------------------------------------
def test_get_profile_example(tasq):
    request = readme_example("GET /v1/profile/{user_email}", "request").strip()
    assert request == "api.tasqinc.com/v1/profile/{user_email}"
    documented = json.loads(readme_example("GET /v1/profile/{user_email}", "response"))
    response = tasq.get(f"/profile/{documented['username']}")
    assert response.content == json.dumps(documented, separators=(",", ":")).encode()  # same keys, same order


def test_put_profile_example(tasq):
    body = json.loads(readme_example("PUT /v1/profile", "request"))
    documented = python_literal(readme_example("PUT /v1/profile", "response"), **{"{username}": body["username"]})
    assert ok(tasq.put("/profile", body)) == documented
    assert list(documented) == ["Username", "Error", "Success"]
    assert tasq.put("/profile", body).content == b'{"Username":"john@tasqinc.com","Error":false,"Success":true}'
    profile = ok(tasq.get(f"/profile/{body['username']}"))
    assert (profile["user_phone_number"], profile["accepting_tasqs"], profile["teams"]) == (
        body["PhoneNumber"],
        body["AcceptingTasqs"],
        body["Team"],
    )


def test_post_tickets_example(tasq):
    template = readme_example("POST /v1/tickets", "request")
    values = {
        "username": "tasq@tasqinc.com",
        "description": "The map does not load",
        "ticket_title": "Ticket Name",
        "issue_type": "BUG",
        "page": "OPS",
        "operator": "tasq",
    }
    body = json.loads(re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template))
    documented = python_literal(readme_example("POST /v1/tickets", "response"), **{"Ticket Name": "Ticket Name"})
    response = tasq.post("/tickets", body)
    assert ok(response) == documented == {"Error": False, "Success": True, "TicketName": "Ticket Name", "TicketId": 40}
    assert list(response.json()) == list(documented)


# -- routes ---------------------------------------------------------------------------------------------
class _CloudFormation(yaml.SafeLoader):
    """Reads CloudFormation YAML; short-form intrinsic functions (!GetAtt, !ImportValue...) become None."""


_CloudFormation.add_multi_constructor("!", lambda loader, suffix, node: None)


def gateway_routes() -> set[tuple[str, str]]:
    resources = yaml.load(GATEWAY.read_text(), Loader=_CloudFormation)["Resources"]
    parts = {k: v["Properties"] for k, v in resources.items() if v and v["Type"] == "AWS::ApiGateway::Resource"}

    def path(resource: str) -> str:
        parent = parts[resource]["ParentId"]
        prefix = "" if "Fn::GetAtt" in parent else path(parent["Ref"])
        return f"{prefix}/{parts[resource]['PathPart']}"

    return {
        (v["Properties"]["HttpMethod"], path(v["Properties"]["ResourceId"]["Ref"]))
        for v in resources.values()
        if v and v["Type"] == "AWS::ApiGateway::Method"
    }


def readme_operations() -> set[tuple[str, str]]:
    return {(m, p.removeprefix("/v1")) for m, p in re.findall(r"^\*(GET|PUT|POST|DELETE) (/v1/\S+)\*$", README, re.M)}


def spec_operations() -> set[tuple[str, str]]:
    return {
        (method.upper(), path.replace("{username}", "{user}"))  # the variable's name is not on the wire
        for path, item in SPEC["paths"].items()
        for method in item
    }


def test_the_readme_documents_three_operations():
    assert readme_operations() == {("GET", "/profile/{user_email}"), ("PUT", "/profile"), ("POST", "/tickets")}


def test_spec_serves_the_readme_and_the_gateways_routes_and_nothing_else():
    routed = {(m, p) for m, p in gateway_routes() if p.startswith(ROUTED_RESOURCES)}
    assert len(routed) == 13  # POST /tickets is documented too
    assert spec_operations() == readme_operations() | routed


def test_undocumented_operations_are_marked_inferred():
    documented = readme_operations()
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            expected = None if (method.upper(), path) in documented else True
            assert operation.get("x-inferred") is expected, (method, path)
