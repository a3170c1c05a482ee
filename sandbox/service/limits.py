"""Bounds on what one request may ask, so no client (or fuzzer) can tie up the sandbox.

Each refusal is a SCIM error naming the limit; every limit is a setting of `SandboxConfig`
and listed in the README.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sandbox import config
from sandbox.scim.errors import ScimError, invalid_filter, invalid_syntax, invalid_value
from sandbox.scim.filter import Node, leaves
from sandbox.scim.patch import PatchRequest


@dataclass(frozen=True, slots=True)
class Limits:
    max_filter_length: int = config.MAX_FILTER_LENGTH
    max_filter_terms: int = config.MAX_FILTER_TERMS
    max_patch_operations: int = config.MAX_PATCH_OPERATIONS
    max_json_depth: int = config.MAX_JSON_DEPTH

    def check_filter_text(self, text: str) -> None:
        if len(text) > self.max_filter_length:
            raise invalid_filter(f"The filter is {len(text)} characters long; this sandbox "
                                 f"accepts at most {self.max_filter_length}.")

    def check_filter_terms(self, node: Node) -> None:
        terms = sum(1 for _ in leaves(node, into_value_paths=True))
        if terms > self.max_filter_terms:
            raise invalid_filter(f"The filter has {terms} comparisons; this sandbox accepts at "
                                 f"most {self.max_filter_terms}.")

    def check_patch(self, request: PatchRequest) -> None:
        count = len(request.operations)
        if count > self.max_patch_operations:
            raise invalid_value(f"The PATCH has {count} operations; this sandbox accepts at "
                                f"most {self.max_patch_operations}.")

    def check_json_depth(self, value: Any) -> None:
        if json_depth(value, self.max_json_depth + 1) > self.max_json_depth:
            raise self._too_deep()

    def unparsable_depth(self, raw: bytes) -> ScimError:
        """The error for a body Python's json gave up on for its nesting (past the
        interpreter's recursion limit, about 1,000 levels): the client hears of our limit,
        as for any body nested past it, not of the parser's."""
        depth = raw_json_depth(raw, self.max_json_depth + 1)
        if depth > self.max_json_depth:
            return self._too_deep()
        # Only when max_json_depth is set above what the parser can read at all.
        return invalid_syntax(f"The request body nests {depth} levels deep, more than this "
                              "sandbox's JSON parser reads; send a flatter body.")

    def _too_deep(self) -> ScimError:
        return invalid_syntax(f"The request body nests deeper than {self.max_json_depth} "
                              "levels.")


def body_size_words(size: int) -> str:
    """A byte count as people write a limit: 1048576 → "1 MiB", 524288 → "512 KiB",
    1000 → "1000 bytes" (a unit only where it divides the count exactly)."""
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return "1 byte" if size == 1 else f"{size} bytes"


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


# A JSON string, escapes included. An unterminated one runs to the end, and nothing
# backtracks, so a body of quotes and backslashes costs one pass, never one per quote.
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.?)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENERS = frozenset(b"[{")


def raw_json_depth(raw: bytes, stop_at: int) -> int:
    """How deep the brackets of unparsed JSON nest, outside strings, counting no further
    than `stop_at`. For bodies too deep to parse; a body that is not JSON gets a guess."""
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        if byte in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest >= stop_at:
                    break
        else:
            depth -= 1
    return deepest
