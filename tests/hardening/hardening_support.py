"""What the hardening tests share: example counting for the fuzz targets, SCIM error checks
and JSON strategies.

Each fuzz target runs a Hypothesis test through `run_counted`, which counts the examples the
test body really saw, fails when there were fewer than the target's minimum, and keeps the
count so the terminal summary (see conftest.py) can report it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from scim_client import valid_user

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
VENDORS = ("generic", "velpic", "visitly", "vaultplatform", "olfeo", "veritas")

# target name -> examples run, filled in as the fuzz tests run (read by conftest.py).
EXAMPLES: dict[str, int] = {}
_current: list[str] = []


def fuzz_settings(max_examples: int) -> settings:
    """Reproducible in CI: a seed fixed per test, no example database, no per-example deadline.

    The same command on the same code draws the same examples. (Hypothesis also mixes in
    constants it finds in the project's loaded modules, so `pytest tests/hardening` and a
    whole `pytest` run draw different ones; each is repeatable.)"""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
            HealthCheck.function_scoped_fixture,
        ],
    )


def count_example() -> None:
    """Call once per example, first thing in a fuzz test's body."""
    if _current:
        EXAMPLES[_current[-1]] = EXAMPLES.get(_current[-1], 0) + 1


def run_counted(name: str, minimum: int, test: Callable[[], None]) -> int:
    """Run the Hypothesis test `test` as target `name` and check it saw `minimum` examples."""
    EXAMPLES[name] = 0
    _current.append(name)
    try:
        test()
    finally:
        _current.pop()
    seen = EXAMPLES[name]
    assert seen >= minimum, f"{name}: only {seen} examples ran, {minimum} wanted"
    return seen


def vendor_user(vendor: str, user_name: str) -> dict[str, Any]:
    """A user body with every attribute the vendor requires (its doc's attribute table)."""
    local = user_name.split("@")[0]
    email = user_name if "@" in user_name else f"{user_name}@example.test"
    if vendor in ("vaultplatform", "veritas"):
        return valid_user(vendor, user_name,
                          emails=[{"type": "work", "value": email, "primary": True}])
    return {
        "schemas": [USER_SCHEMA],
        "userName": user_name,
        "displayName": local.title(),
        "active": True,
        "name": {"givenName": "Ann", "familyName": "Lee"},
        "emails": [{"type": "work", "value": email, "primary": True}],
        "externalId": f"ext-{local}",
    }


def check_scim_error(status: int, body: Any, *, content_type: str | None = None,
                     raw: str = "", server_error: bool = False) -> None:
    """A 4xx answer (or a 5xx with `server_error`) is an RFC 7644 §3.12 error body in the
    SCIM media type."""
    assert 400 <= status < (600 if server_error else 500), (status, raw[:500])
    if content_type is not None:
        assert content_type.split(";")[0].strip() == SCIM_JSON, (status, content_type, raw[:500])
    assert isinstance(body, dict), (status, raw[:500])
    assert body.get("schemas") == [ERROR_SCHEMA], body
    assert body.get("status") == str(status), body
    assert isinstance(body.get("detail"), str) and body["detail"].strip(), body


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


# -- JSON values ------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["", "True", "False", "true", "null", "2024-01-01T00:00:00Z", "work",
                     "@", "x" * 300, "é ü 中", "\u0000", "\ud7ff"]),
)


def json_values(keys: st.SearchStrategy[str] | None = None,
                max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value; object keys drawn from `keys` (plus junk) when given."""
    key_strategy = st.text(max_size=12) if keys is None else st.one_of(keys, st.text(max_size=8))
    return st.recursive(
        json_scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(key_strategy, children, max_size=5),
        ),
        max_leaves=max_leaves,
    )


def weighted(*choices: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Draw from one of `choices`, each `(weight, strategy)`. (`st.one_of` merges repeated
    branches, so listing a strategy twice does not weight it.) Hypothesis shrinks toward the
    first choice, so put the plainest first."""
    total = sum(weight for weight, _ in choices)
    index = st.integers(0, total - 1)

    @st.composite
    def pick(draw: st.DrawFn) -> Any:
        at = draw(index)
        for weight, strategy in choices:
            if at < weight:
                return draw(strategy)
            at -= weight
        raise AssertionError("unreachable")

    return pick()
