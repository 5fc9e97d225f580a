"""A test-only vendor exercising engine features the real vendors use here and there."""

from __future__ import annotations

from pathlib import Path

from mocks.core.errors import ErrorCase, VendorProblem
from mocks.core.ratelimit import RateRule, laravel_429_headers, laravel_headers
from mocks.core.vendor import Api, Vendor

HERE = Path(__file__).parent


class Sample(Vendor):
    name = "sample"
    title = "Sample"
    apis = [
        Api(spec=str(HERE / "sample.yaml"), base_path="/sample", handlers="tests.core.sample.handlers"),
        Api(
            spec=str(HERE / "sample.yaml"),
            base_path="/sample/strict",
            handlers="tests.core.sample.handlers",
            strict_validation=True,
        ),
    ]
    hosts = [r"api\.sample\.test"]

    def tenant_of(self, headers, query, path):
        return query.get("tenant")

    def seed(self, world) -> None:
        for index in range(1, 4):
            world["items"].insert({"id": index, "name": f"item {index}"})

    def verify(self, request, scheme, scopes):
        if request.headers.get("x-key") != "secret":
            raise VendorProblem(401, {"error": "no key"})
        return {"sub": "tester"}

    def mint_token(self, world, params):
        return {"headers": {"X-Key": "secret"}}

    def rate_rules(self):
        return [RateRule("all", 1000, 60)]

    def rate_headers(self, decisions):
        return laravel_headers(decisions)

    def rate_limited(self, decision):
        return VendorProblem(429, {"error": "slow down"}, headers=laravel_429_headers(decision))

    def render_error(self, case: ErrorCase) -> VendorProblem:
        return VendorProblem(
            case.status if case.kind != "validation" else 400,
            {"kind": case.kind, "failures": [[f.location, f.name, f.rule, f.value] for f in case.failures]},
        )


vendor = Sample()
