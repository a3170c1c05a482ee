"""Counted and ordered verification of a tenant's journal, as WireMock's `verify` counts calls.

`SandboxTenant.assert_received(op, times=2)` and `assert_received_in_order([...])` match
requests with `matching.Exchange`; this module decides whether the count or the order holds
and, when not, writes the message: which requests matched, and every request received with
the matching ones marked, so a failure shows what the client really sent. Pure functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.testing.matching import MAX_LISTED, Exchange, describe

_MATCHED = "> "  # marks a matching request in a listing
_OTHER = "  "


@dataclass(frozen=True, slots=True)
class Count:
    """How many matching requests a test expects: `low` to `high` (None: no upper bound)."""

    low: int
    high: int | None

    def allows(self, found: int) -> bool:
        return found >= self.low and (self.high is None or found <= self.high)

    def __str__(self) -> str:
        if self.high == self.low:
            return f"exactly {self.low}"
        if self.high is None:
            return f"at least {self.low}"
        if self.low == 0:
            return f"at most {self.high}"
        return f"{self.low} to {self.high}"


def expected_count(times: int | None, at_least: int | None, at_most: int | None) -> Count:
    """The count `assert_received`'s keywords ask for (none of them: at least one); a
    ValueError for a contradiction, so a mistyped assertion never passes by accident."""
    for name, value in (("times", times), ("at_least", at_least), ("at_most", at_most)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 0):
            raise ValueError(f"{name} must be a whole number, 0 or more; got {value!r}")
    if times is not None:
        if at_least is not None or at_most is not None:
            raise ValueError("give times= alone, or at_least= and/or at_most=")
        return Count(times, times)
    if at_least is None and at_most is None:
        return Count(1, None)
    low = at_least or 0
    if at_most is not None and at_most < low:
        raise ValueError(f"at_least={low} is more than at_most={at_most}")
    return Count(low, at_most)


def count_message(operation: str | None, match: Mapping[str, Any], count: Count,
                  everything: Sequence[Exchange], hits: Sequence[Exchange]) -> str:
    """Why the number of matching requests is not the one expected."""
    what = f"'{operation}' request(s)" if operation else "request(s)"
    head = f"expected {count} {what}{describe(match)}; {len(hits)} matched"
    if not everything:
        return head + ", and no requests were received at all"
    return (f"{head}, of {len(everything)} received (matching ones marked >):\n"
            + marked(everything, {id(x) for x in hits}))


def marked(found: Sequence[Exchange], marks: set[int], limit: int = MAX_LISTED) -> str:
    """The requests as numbered lines (#1 is the oldest), those whose `id()` is in `marks`
    with a `>`; the most recent `limit` of them."""
    start = max(0, len(found) - limit)
    lines = [f"  ... {start} earlier request(s) not shown"] if start else []
    lines.extend(f"{_MATCHED if id(x) in marks else _OTHER}#{number} {x.line}"
                 for number, x in enumerate(found[start:], start + 1))
    return "\n".join(lines)


# In order ------------------------------------------------------------------------------------

Step = tuple[str | None, dict[str, Any]]


def steps_of(expected: Sequence[Any], check_label: Callable[[str], None]) -> list[Step]:
    """`["create user", ("disable user", {"userName": "ann"})]` as (label, attributes)
    pairs; a ValueError for an item of another shape or an unknown label."""
    if isinstance(expected, str | bytes) or not isinstance(expected, Sequence):
        raise ValueError("give a list of operation labels or (label, {attribute: value}) "
                         f"pairs; got {expected!r}")
    steps: list[Step] = []
    for item in expected:
        if isinstance(item, str):
            label, attributes = item, {}
        elif (isinstance(item, tuple | list) and len(item) == 2
              and (item[0] is None or isinstance(item[0], str))
              and isinstance(item[1], Mapping)):
            label, attributes = item[0], dict(item[1])
        else:
            raise ValueError("each item is an operation label or a (label, {attribute: "
                             f"value}}) pair; got {item!r}")
        if label is not None:
            check_label(label)
        steps.append((label, attributes))
    if not steps:
        raise ValueError("give at least one expected request")
    return steps


def step_matches(step: Step, exchange: Exchange) -> bool:
    label, attributes = step
    return (label is None or exchange.operation == label.lower()) and exchange.matches(attributes)


def in_order(steps: Sequence[Step], everything: Sequence[Exchange],
             ) -> tuple[list[Exchange], str | None]:
    """The first requests that match the steps one after another (others may come between),
    and None; or those matched so far and the message saying which step is missing where.
    Taking the earliest match for each step finds the order whenever it exists."""
    found: list[Exchange] = []
    position = 0
    for number, step in enumerate(steps, 1):
        hit = next((i for i in range(position, len(everything))
                    if step_matches(step, everything[i])), None)
        if hit is None:
            return found, _order_message(steps, number, found, everything)
        found.append(everything[hit])
        position = hit + 1
    return found, None


def _step_text(step: Step) -> str:
    label, attributes = step
    return (f"'{label}'" if label else "any request") + describe(attributes)


def _order_message(steps: Sequence[Step], number: int, found: Sequence[Exchange],
                   everything: Sequence[Exchange]) -> str:
    step = steps[number - 1]
    head = (f"expected {len(steps)} request(s) in order; step {number}, "
            f"{_step_text(step)}, ")
    numbers = {id(x): n for n, x in enumerate(everything, 1)}
    if found:
        head += f"was not received after step {number - 1} (request #{numbers[id(found[-1])]})"
        earlier = [numbers[id(x)] for x in everything if step_matches(step, x)]
        if earlier:
            head += f"; it matched only earlier, request(s) {_numbers(earlier)}"
    else:
        head += "was never received"
    steps_text = "\n".join(f"  {n}. {_step_text(s)}" + (f"  (request #{numbers[id(found[n - 1])]})"
                                                      if n <= len(found) else "")
                           for n, s in enumerate(steps, 1))
    if not everything:
        return f"{head}; no requests were received at all.\nExpected:\n{steps_text}"
    return (f"{head}.\nExpected:\n{steps_text}\nReceived {len(everything)} (those matched "
            f"so far marked >):\n" + marked(everything, {id(x) for x in found}))


def _numbers(numbers: Sequence[int]) -> str:
    shown = ", ".join(f"#{n}" for n in numbers[:MAX_LISTED])
    return shown + (f" and {len(numbers) - MAX_LISTED} more" if len(numbers) > MAX_LISTED else "")
