"""Bounds on what one request may ask, so no client (or fuzzer) can tie up the sandbox.

Each refusal is a SCIM error naming the limit; every limit is a setting of `SandboxConfig`
and listed in the README.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.scim.errors import invalid_filter, invalid_syntax, invalid_value
from sandbox.scim.filter import Node, leaves


@dataclass(frozen=True, slots=True)
class Limits:
    max_filter_length: int = 4096  # characters of one filter
    max_filter_terms: int = 64  # comparisons in one filter
    max_patch_operations: int = 1000  # operations in one PATCH
    max_json_depth: int = 32  # nesting of a request body (SCIM resources need about 5)

    def check_filter_text(self, text: str) -> None:
        if len(text) > self.max_filter_length:
            raise invalid_filter(f"The filter is {len(text)} characters long; this sandbox "
                                 f"accepts at most {self.max_filter_length}.")

    def check_filter_terms(self, node: Node) -> None:
        terms = sum(1 for _ in leaves(node, into_value_paths=True))
        if terms > self.max_filter_terms:
            raise invalid_filter(f"The filter has {terms} comparisons; this sandbox accepts at "
                                 f"most {self.max_filter_terms}.")

    def check_patch(self, body: Any) -> None:
        if not isinstance(body, dict):
            return  # the PATCH engine explains what a body must be
        operations = next((v for k, v in body.items() if k.lower() == "operations"), None)
        if isinstance(operations, list) and len(operations) > self.max_patch_operations:
            raise invalid_value(f"The PATCH has {len(operations)} operations; this sandbox "
                                f"accepts at most {self.max_patch_operations}.")

    def check_json_depth(self, value: Any) -> None:
        if json_depth(value, self.max_json_depth + 1) > self.max_json_depth:
            raise invalid_syntax(f"The request body nests deeper than {self.max_json_depth} "
                                 "levels.")


def json_depth(value: Any, stop_at: int) -> int:
    """How deep `value` nests (a scalar is 0), counting no further than `stop_at`."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if deepest >= stop_at:
                return deepest
            children = current.values() if isinstance(current, dict) else current
            pending.extend((child, depth) for child in children
                           if isinstance(child, dict | list))
    return deepest
