"""SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2): parse, then compile against a schema.

Parsing is a regex tokenizer plus a recursive-descent parser, memoised per filter text, since
it runs on every list request. It accepts what Microsoft Entra actually sends besides the RFC
grammar: unquoted values (`externalId eq jyoung`), any casing of names and operators, and
`emails[type eq "work"].value eq "x"`. Compiling resolves every attribute once and builds
closures, so a predicate call does plain dict reads and no schema lookups.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sandbox.scim.errors import ScimError, invalid_filter, invalid_path
from sandbox.scim.schema import Attribute, AttrRef, ResourceSchema


@dataclass(frozen=True, slots=True)
class AttrPath:
    """An attribute path as the client spelled it: `[urn:]attr[.sub]`, not yet resolved."""

    urn: str | None
    attr: str
    sub: str | None = None


@dataclass(frozen=True, slots=True)
class Compare:
    path: AttrPath
    op: str  # lower case: eq ne co sw ew gt ge lt le
    value: Any  # str, int, float, bool or None
    raw: str  # the literal as written, e.g. '"jyoung"', 'jyoung', '12', 'true'


@dataclass(frozen=True, slots=True)
class Present:
    path: AttrPath


@dataclass(frozen=True, slots=True)
class And:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Or:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class ValuePath:
    """`attr[filter]`: true when one value of the multi-valued `attr` matches `filter`,
    whose paths are relative to that value (sub-attribute names)."""

    path: AttrPath
    filter: Node


Node = Compare | Present | And | Or | Not | ValuePath


@dataclass(frozen=True, slots=True)
class PatchPath:
    """A PATCH `path`: `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, each optionally
    URN-qualified; or a bare extension URN (then `attr` is None and `urn` is the schema id)."""

    urn: str | None
    attr: str | None
    value_filter: Node | None = None
    sub: str | None = None


# ---------------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------------

COMPARE_OPS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})
MAX_DEPTH = 50  # nesting of (), not() and []; far beyond real filters, far below the C stack

# One alternative per token kind, after skipping whitespace. A word is any run without
# whitespace, quotes, parentheses or brackets: attribute paths, operators, keywords, numbers and
# Entra's unquoted values alike; the parser decides what a word means from where it stands.
# Group 4 catches a lone `"` (an unterminated string); `$` absorbs trailing whitespace, which
# also keeps the scan linear (no retrying at every trailing blank).
_TOKEN_RE = re.compile(
    r'\s*(?:([()\[\]])|("(?:[^"\\]|\\.)*")|([^\s()\[\]"]+)|(.)|$)', re.DOTALL
)
_TOKEN_KINDS = (None, "punct", "str", "word", "bad")
_NAME = r"\$?[A-Za-z][A-Za-z0-9_-]*"  # RFC 7643 ATTRNAME, plus `$ref`
_NAME_RE = re.compile(_NAME)
_PATH_RE = re.compile(rf"({_NAME})(?:\.({_NAME}))?")
_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_KEYWORDS: dict[str, bool | None] = {"true": True, "false": False, "null": None}
_QUOTE_LIMIT = 120

# A token is (kind, text, position): kind is "(", ")", "[", "]", "str" or "word".
Token = tuple[str, str, int]


def _quote(text: str) -> str:
    """The filter or path for an error message, shortened so a huge input stays readable."""
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 3] + "..."
    return f"'{text}'"


class _Parser:
    """Recursive descent over the token list; `noun` is "filter" or "path" for messages."""

    __slots__ = ("depth", "error", "i", "noun", "text", "tokens")

    def __init__(self, text: str, noun: str, start: int = 0) -> None:
        self.text = text
        self.noun = noun
        # PATCH paths report every syntax problem, even inside `[...]`, as invalidPath.
        self.error = invalid_filter if noun == "filter" else invalid_path
        self.i = 0
        self.depth = 0
        self.tokens = self._tokenize(start)

    # -- plumbing ------------------------------------------------------------------------------

    def _tokenize(self, start: int) -> list[Token]:
        tokens: list[Token] = []
        for m in _TOKEN_RE.finditer(self.text, start):
            group = m.lastindex
            if group is None:  # trailing whitespace
                continue
            text = m.group(group)
            if group == 4:
                raise self.fail(f"Unterminated string starting at position {m.start(group)}")
            # Punctuation is its own kind, so the parser compares kinds only.
            tokens.append((text if group == 1 else _TOKEN_KINDS[group], text, m.start(group)))
        return tokens

    def fail(self, message: str) -> ScimError:
        return self.error(f"{message} in {self.noun} {_quote(self.text)}")

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        """The next token; running out here means the input stopped mid-expression."""
        if self.i >= len(self.tokens):
            last = self.tokens[-1][1] if self.tokens else ""
            raise self.error(f"Unexpected end of {self.noun} after '{last}' in {_quote(self.text)}")
        token = self.tokens[self.i]
        self.i += 1
        return token

    def enter(self, position: int) -> None:
        # Bounding the depth keeps hostile input from reaching Python's recursion limit.
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"Nesting deeper than {MAX_DEPTH} levels at position {position}")

    def unexpected(self, token: Token, wanted: str) -> ScimError:
        kind, text, pos = token
        if kind == ")":
            return self.fail(f"Unbalanced parentheses: ')' at position {pos} has no matching '('")
        if kind == "]":
            return self.fail(f"Unbalanced brackets: ']' at position {pos} has no matching '['")
        return self.fail(f"Unexpected '{text}' at position {pos}; expected 'and', 'or' or {wanted}")

    def next_is_keyword(self, keyword: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() == keyword

    def next_is_operator(self) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and (
            token[1].lower() in COMPARE_OPS or token[1].lower() == "pr"
        )

    # -- grammar -------------------------------------------------------------------------------

    def filter(self) -> Node:
        """A whole filter: `or_expr` and nothing after it."""
        if not self.tokens:
            raise self.error(f"Empty {self.noun}")
        node = self.or_expr(in_brackets=False)
        token = self.peek()
        if token is not None:
            raise self.unexpected(token, "the end")
        return node

    def or_expr(self, in_brackets: bool) -> Node:
        node = self.and_expr(in_brackets)
        while self.next_is_keyword("or"):
            self.i += 1
            node = Or(node, self.and_expr(in_brackets))
        return node

    def and_expr(self, in_brackets: bool) -> Node:
        node = self.unary(in_brackets)
        while self.next_is_keyword("and"):
            self.i += 1
            node = And(node, self.unary(in_brackets))
        return node

    def unary(self, in_brackets: bool) -> Node:
        kind, text, pos = self.take()
        if kind == "(":
            return self.group(pos, in_brackets)
        if kind != "word":
            raise self.fail(
                f"Expected an attribute name, '(' or 'not' at position {pos} but found '{text}'"
            )
        # `not` is a keyword unless an operator follows it (then it names an attribute).
        if text.lower() == "not" and not self.next_is_operator():
            kind, found, paren = self.take()
            if kind != "(":
                raise self.fail(f"Expected '(' after 'not' at position {paren} but found '{found}'")
            return Not(self.group(paren, in_brackets))
        return self.attr_expr(text, pos, in_brackets)

    def group(self, open_pos: int, in_brackets: bool) -> Node:
        """After `(`: a filter, then the matching `)`."""
        self.enter(open_pos)
        node = self.or_expr(in_brackets)
        token = self.peek()
        if token is None:
            raise self.fail(f"Unbalanced parentheses: '(' at position {open_pos} is never closed")
        if token[0] != ")":
            raise self.unexpected(token, "')'")
        self.i += 1
        self.depth -= 1
        return node

    def bracket_filter(self, open_pos: int) -> Node:
        """After `attr[`: a value filter, then the matching `]`."""
        self.enter(open_pos)
        node = self.or_expr(in_brackets=True)
        token = self.peek()
        if token is None:
            raise self.fail(f"Unbalanced brackets: '[' at position {open_pos} is never closed")
        if token[0] != "]":
            raise self.unexpected(token, "']'")
        self.i += 1
        self.depth -= 1
        return node

    def attr_expr(self, text: str, pos: int, in_brackets: bool) -> Node:
        """`path op value`, `path pr`, `path[filter]` or Entra's `path[filter].sub op value`."""
        path = self.attr_path(text, pos, in_brackets)
        token = self.peek()
        if token is None or token[0] != "[":
            return self.comparison(path, text)
        if in_brackets:
            raise self.fail(
                f"Nested value path '{text}[' at position {token[2]}: "
                "a '[...]' filter cannot contain another"
            )
        if path.sub is not None:
            raise self.fail(f"'[' at position {token[2]} follows the sub-attribute path '{text}'")
        self.i += 1
        inner = self.bracket_filter(token[2])
        after = self.peek()
        if after is not None and after[0] == "word" and after[1].startswith("."):
            # Entra: `emails[type eq "work"].value eq "x"` means one email matching both.
            self.i += 1
            sub = after[1][1:]
            if not _NAME_RE.fullmatch(sub):
                raise self.fail(f"Invalid sub-attribute '{after[1]}' at position {after[2]}")
            inner = And(inner, self.comparison(AttrPath(None, sub), after[1]))
        return ValuePath(path, inner)

    def attr_path(self, text: str, pos: int, in_brackets: bool) -> AttrPath:
        if in_brackets:
            if not _NAME_RE.fullmatch(text):
                raise self.fail(
                    f"Invalid attribute name '{text}' at position {pos} "
                    "(inside '[...]' only sub-attribute names are allowed)"
                )
            return AttrPath(None, text)
        urn: str | None = None
        rest = text
        if text[:4].lower() == "urn:":
            urn, _, rest = text.rpartition(":")
        match = _PATH_RE.fullmatch(rest)
        if match is None:
            raise self.fail(f"Invalid attribute path '{text}' at position {pos}")
        return AttrPath(urn, match[1], match[2])

    def comparison(self, path: AttrPath, path_text: str) -> Compare | Present:
        kind, text, pos = self.take()
        if kind != "word":
            raise self.fail(
                f"Expected an operator after '{path_text}' at position {pos} but found '{text}'"
            )
        op = text.lower()
        if op == "pr":
            return Present(path)
        if op not in COMPARE_OPS:
            raise self.fail(f"Unknown operator '{text}' at position {pos}")
        value, raw = self.literal(text)
        return Compare(path, op, value, raw)

    def literal(self, op_text: str) -> tuple[Any, str]:
        """The value after an operator, and its text as written."""
        kind, text, pos = self.take()
        if kind == "str":
            body = text[1:-1]
            if "\\" not in body:
                return body, text
            try:
                return json.loads(text, strict=False), text
            except ValueError:
                raise self.fail(f"Invalid escape in string {text} at position {pos}") from None
        if kind != "word":
            raise self.fail(
                f"Expected a value after '{op_text}' at position {pos} but found '{text}'"
            )
        return _word_value(text), text

    def patch_path(self) -> tuple[str, Node | None, str | None]:
        """`attr[.sub]` or `attr[filter][.sub]` (the URN prefix is already split off)."""
        kind, text, pos = self.take()
        match = _PATH_RE.fullmatch(text) if kind == "word" else None
        if match is None:
            raise self.fail(f"Invalid attribute path '{text}' at position {pos}")
        attr, sub = match[1], match[2]
        token = self.peek()
        if token is None:
            return attr, None, sub
        if token[0] != "[":
            raise self.fail(f"Unexpected '{token[1]}' at position {token[2]} after '{text}'")
        if sub is not None:
            raise self.fail(f"'[' at position {token[2]} follows the sub-attribute path '{text}'")
        self.i += 1
        value_filter = self.bracket_filter(token[2])
        token = self.peek()
        if token is not None:
            match = _NAME_RE.fullmatch(token[1][1:]) if token[1].startswith(".") else None
            if token[0] != "word" or match is None:
                raise self.fail(f"Unexpected '{token[1]}' at position {token[2]} after ']'")
            sub = token[1][1:]
            self.i += 1
            if (extra := self.peek()) is not None:
                raise self.fail(f"Unexpected '{extra[1]}' at position {extra[2]} after '{sub}'")
        return attr, value_filter, sub


def _word_value(text: str) -> Any:
    """An unquoted literal: a keyword, a JSON number, or else (Entra) a bare string."""
    keyword = text.lower()
    if keyword in _KEYWORDS:
        return _KEYWORDS[keyword]
    match = _NUMBER_RE.fullmatch(text)
    if match is None:
        return text
    try:
        return float(text) if match[1] or match[2] else int(text)
    except ValueError:  # beyond int()'s digit limit: keep the text rather than fail
        return text


# ---------------------------------------------------------------------------------------------
# Parsing entry points
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def parse_filter(text: str) -> Node:
    """Parse a SCIM filter into an immutable AST (memoised: clients repeat the same filters).

    Raises `invalid_filter` (400) with a detail naming the position and offending text.
    """
    if not isinstance(text, str):
        raise invalid_filter(f"Filter must be a string, not {type(text).__name__}")
    return _Parser(text, "filter").filter()


def parse_path(text: str, schema: ResourceSchema) -> PatchPath:
    """Parse a PATCH operation's `path` (RFC 7644 §3.5.2); attributes are not resolved here.

    Raises `invalid_path` (400) for anything malformed, including the filter inside `[...]`.
    """
    if not isinstance(text, str) or not text.strip():
        raise invalid_path("Empty path" if isinstance(text, str) else "Path must be a string")
    text = text.strip()
    lowered = text.lower()
    for schema_id in schema.schema_ids:
        if lowered == schema_id.lower():
            return PatchPath(schema_id, None)
    # Split the URN off the part before any `[`: the filter may hold colons of its own.
    bracket = text.find("[")
    head = text if bracket < 0 else text[:bracket]
    urn, rest = schema.split_urn(head)
    if urn is not None and not rest:
        raise invalid_path(f"Path {_quote(text)} names a schema but no attribute after '{urn}'")
    attr, value_filter, sub = _parse_path_rest(text, len(head) - len(rest))
    return PatchPath(urn, attr, value_filter, sub)


@lru_cache(maxsize=1024)
def _parse_path_rest(text: str, start: int) -> tuple[str, Node | None, str | None]:
    return _Parser(text, "path", start).patch_path()


# ---------------------------------------------------------------------------------------------
# Compiling
# ---------------------------------------------------------------------------------------------

Predicate = Callable[[dict], bool]
Test = Callable[[Any], bool]

_ORDER_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le,
}
_STRING_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "co": operator.contains, "sw": str.startswith, "ew": str.endswith,
    **_ORDER_OPS,
}
_NUMBER_OPS: dict[str, Callable[[Any, Any], bool]] = {"eq": operator.eq, **_ORDER_OPS}
_NUMBER_TYPES = frozenset({int, float})  # by exact type, so that bool (an int) is excluded
_INT_TEXT_RE = re.compile(r"[+-]?[0-9]+")
_DECIMAL_TEXT_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class _Scope:
    """Inside `attr[...]`: the resolved `attr`, and how the client wrote it (for messages)."""

    ref: AttrRef
    written: str


def compile_filter(node: Node, schema: ResourceSchema) -> Callable[[dict], bool]:
    """Compile a parsed filter into a predicate over resources keyed by canonical names.

    Attributes are resolved once, here; an unknown attribute or an operator the attribute's
    type does not support raises `invalid_filter`. The predicate never raises on odd data.
    """
    return _compile(node, schema, None)


def leaves(node: Node, *, into_value_paths: bool = False) -> Iterator[Node]:
    """The comparisons of a filter (a `ValuePath` counts as one unless `into_value_paths`).

    Iterative, since long and/or chains make deep trees."""
    pending: list[Node] = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, And | Or):
            pending.extend((current.right, current.left))
        elif isinstance(current, Not):
            pending.append(current.node)
        elif into_value_paths and isinstance(current, ValuePath):
            pending.append(current.filter)
        else:
            yield current


def referenced_attributes(node: Node) -> set[str]:
    """The top-level attribute names a filter reads, lower-cased (URN prefixes dropped)."""
    return {leaf.path.attr.lower() for leaf in leaves(node)}


def values_at(resource: dict, ref: AttrRef) -> list:
    """The values at `ref` as a flat list: empty when absent, a list attribute's items, or
    with a sub-attribute that sub-attribute of each (complex) value; None values are skipped."""
    container = resource if ref.extension is None else resource.get(ref.extension)
    if not isinstance(container, dict):
        return []
    values = _as_list(container.get(ref.attribute.name))
    if ref.sub_attribute is None:
        return values
    name = ref.sub_attribute.name
    found: list = []
    for item in values:
        if isinstance(item, dict):
            found.extend(_as_list(item.get(name)))
    return found


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if v is not None]
    return [value]


def _compile(node: Node, schema: ResourceSchema, scope: _Scope | None) -> Predicate:
    if isinstance(node, Compare):
        return _compile_compare(node, schema, scope)
    if isinstance(node, Present):
        ref, _ = _resolve(node.path, schema, scope)
        return _any_value(ref, scope, _is_present)
    if isinstance(node, And | Or):
        # Chains are flattened so a filter of many terms neither recurses here nor when called.
        preds = [_compile(n, schema, scope) for n in _operands(node, type(node))]
        return _all_of(preds) if isinstance(node, And) else _any_of(preds)
    if isinstance(node, Not):
        inner = _compile(node.node, schema, scope)
        return lambda resource: not inner(resource)
    if isinstance(node, ValuePath):
        return _compile_value_path(node, schema, scope)
    raise invalid_filter(f"Not a filter expression: {node!r}")


def _operands(node: And | Or, kind: type) -> list[Node]:
    """The operands of a chain of `kind` nodes, left to right, without recursion."""
    operands: list[Node] = []
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, kind):
            stack.append(current.right)  # type: ignore[union-attr]
            stack.append(current.left)  # type: ignore[union-attr]
        else:
            operands.append(current)
    return operands


def _all_of(preds: list[Predicate]) -> Predicate:
    if len(preds) == 2:
        first, second = preds
        return lambda resource: first(resource) and second(resource)

    def all_of(resource: dict) -> bool:
        return all(pred(resource) for pred in preds)

    return all_of


def _any_of(preds: list[Predicate]) -> Predicate:
    if len(preds) == 2:
        first, second = preds
        return lambda resource: first(resource) or second(resource)

    def any_of(resource: dict) -> bool:
        return any(pred(resource) for pred in preds)

    return any_of


def written_path(path: AttrPath) -> str:
    """An attribute path spelled back as written: `[urn:]attr[.sub]`."""
    text = f"{path.attr}.{path.sub}" if path.sub else path.attr
    return f"{path.urn}:{text}" if path.urn else text


def _resolve(path: AttrPath, schema: ResourceSchema, scope: _Scope | None) -> tuple[AttrRef, str]:
    """The attribute `path` means, and how the client wrote it; unknown ones are an error."""
    if scope is None:
        written = written_path(path)
        ref = schema.resolve(path.attr, path.sub, path.urn)
    else:
        written = f"{scope.written}.{written_path(path)}"
        ref = None
        if path.urn is None and path.sub is None:
            outer = scope.ref
            ref = schema.resolve(outer.attribute.name, path.attr, outer.extension)
    if ref is None:
        raise invalid_filter(f"Unknown attribute '{written}' in filter")
    return ref, written


def _getter(ref: AttrRef, scope: _Scope | None) -> Callable[[dict], Any] | None:
    """How to read the raw stored value (a scalar, a list or None) at `ref`; None means the
    caller should inline `resource.get(name)` (a core attribute, or a sub-attribute read
    from one value inside `attr[...]`), which is the hot path."""
    if scope is not None:
        return None
    if ref.sub_attribute is None:
        if ref.extension is None:
            return None
        extension, name = ref.extension, ref.attribute.name

        def extension_value(resource: dict) -> Any:
            container = resource.get(extension)
            return container.get(name) if isinstance(container, dict) else None

        return extension_value
    return lambda resource: values_at(resource, ref)


def _any_value(ref: AttrRef, scope: _Scope | None, test: Test) -> Predicate:
    """True when `test` holds for one of the values at `ref` (RFC 7644: any value matches)."""
    getter = _getter(ref, scope)
    if getter is None:
        name = ref.target.name if scope is not None else ref.attribute.name

        def match_direct(resource: dict) -> bool:
            value = resource.get(name)
            if value.__class__ is list:
                return any(map(test, value))
            return value is not None and test(value)

        return match_direct

    def match(resource: dict) -> bool:
        value = getter(resource)
        if value.__class__ is list:
            return any(map(test, value))
        return value is not None and test(value)

    return match


def _is_present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def _not_none(value: Any) -> bool:
    return value is not None


def _compile_compare(node: Compare, schema: ResourceSchema, scope: _Scope | None) -> Predicate:
    ref, written = _resolve(node.path, schema, scope)
    op = node.op
    if op not in COMPARE_OPS:
        raise invalid_filter(f"Unknown operator '{op}' for '{written}'")
    if node.value is None:
        if op not in ("eq", "ne"):
            raise invalid_filter(f"Operator '{op}' cannot compare '{written}' with null")
        present = _any_value(ref, scope, _not_none)
        return present if op == "ne" else (lambda resource: not present(resource))
    target = ref.target
    if target.is_complex:
        ref = _complex_value_ref(ref, op, written)
        target = ref.target
    # `ne` is exactly `not eq`, so an absent attribute is `ne` anything.
    test = _value_test(target, "eq" if op == "ne" else op, node.value, node.raw, written)
    match = _any_value(ref, scope, test)
    return (lambda resource: not match(resource)) if op == "ne" else match


def _complex_value_ref(ref: AttrRef, op: str, written: str) -> AttrRef:
    """`emails co "@x"` compares each email's `value`; other complex comparisons are errors."""
    value_sub = ref.attribute.sub("value")
    if op in _ORDER_OPS or not ref.attribute.multi_valued or value_sub is None:
        example = ref.attribute.sub_attributes[0].name if ref.attribute.sub_attributes else "sub"
        raise invalid_filter(
            f"Cannot compare the complex attribute '{written}' with '{op}'; "
            f"name one of its sub-attributes, e.g. '{written}.{example}'"
        )
    return AttrRef(ref.extension, ref.attribute, value_sub)


def _value_test(attr: Attribute, op: str, value: Any, raw: str, written: str) -> Test:
    """A test of one stored value against the literal, coerced to the attribute's type."""
    kind = attr.type
    if kind == "boolean":
        return _boolean_test(op, value, raw, written)
    if kind in ("integer", "decimal"):
        return _number_test(kind, op, value, raw, written)
    if kind == "dateTime" and op in _NUMBER_OPS:
        return _datetime_test(op, value, raw, written)
    if kind == "binary" and op in _ORDER_OPS:
        raise invalid_filter(f"Operator '{op}' is not supported for binary attribute '{written}'")
    # Strings, references, and dateTime substring tests. Entra sends `externalId eq 12345`
    # for a string attribute: a number or boolean literal compares as the text written.
    text = value if isinstance(value, str) else raw
    return _string_test(op, text, attr.case_exact)


def _string_test(op: str, literal: str, case_exact: bool) -> Test:
    compare = _STRING_OPS[op]
    if case_exact:
        if compare is operator.eq:
            return lambda value: value.__class__ is str and value == literal
        return lambda value: isinstance(value, str) and compare(value, literal)
    folded = literal.casefold()
    if compare is operator.eq:
        return lambda value: isinstance(value, str) and value.casefold() == folded
    return lambda value: isinstance(value, str) and compare(value.casefold(), folded)


def _boolean_test(op: str, value: Any, raw: str, written: str) -> Test:
    if op != "eq":
        raise invalid_filter(
            f"Operator '{op}' is not supported for boolean attribute '{written}'; use eq or ne"
        )
    if isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"
    if not isinstance(value, bool):
        raise invalid_filter(f"'{written}' is boolean and cannot be compared with {raw}")
    literal: bool = value
    return lambda stored: stored is literal


def _number_test(kind: str, op: str, value: Any, raw: str, written: str) -> Test:
    compare = _NUMBER_OPS.get(op)
    if compare is None:
        raise invalid_filter(f"Operator '{op}' is not supported for {kind} attribute '{written}'")
    literal = _as_number(value, kind)
    if literal is None:
        raise invalid_filter(f"'{written}' is {kind} and cannot be compared with {raw}")
    return lambda stored: stored.__class__ in _NUMBER_TYPES and compare(stored, literal)


def _as_number(value: Any, kind: str) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _INT_TEXT_RE.fullmatch(text):
            try:
                return int(text)
            except ValueError:  # beyond int()'s digit limit
                return None
        if kind == "decimal" and _DECIMAL_TEXT_RE.fullmatch(text):
            return float(text)
    return None


def _datetime_test(op: str, value: Any, raw: str, written: str) -> Test:
    literal = _parse_datetime(value) if isinstance(value, str) else None
    if literal is None:
        raise invalid_filter(f"'{written}' is a dateTime and cannot be compared with {raw}")
    compare = _NUMBER_OPS[op]

    def test(stored: Any) -> bool:
        if isinstance(stored, str):
            stored = _parse_datetime(stored)
        elif isinstance(stored, datetime):
            stored = _aware(stored)
        else:
            return False
        return stored is not None and compare(stored, literal)

    return test


@lru_cache(maxsize=4096)
def _parse_datetime(text: str) -> datetime | None:
    """An RFC 3339 timestamp (trailing Z accepted) as an aware datetime, or None."""
    try:
        return _aware(datetime.fromisoformat(text.strip()))
    except ValueError:
        return None


def _aware(moment: datetime) -> datetime:
    # Naive timestamps are taken as UTC so they compare with aware ones instead of raising.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _compile_value_path(node: ValuePath, schema: ResourceSchema, scope: _Scope | None) -> Predicate:
    written = written_path(node.path)
    if scope is not None:
        raise invalid_filter(f"Nested value path '{scope.written}[{written}[...]]' is not allowed")
    if node.path.sub is not None:
        raise invalid_filter(f"A '[...]' filter cannot follow the sub-attribute path '{written}'")
    ref, written = _resolve(node.path, schema, None)
    if not ref.attribute.is_complex:
        raise invalid_filter(
            f"'{written}[...]' needs a complex attribute, but '{written}' is {ref.attribute.type}"
        )
    inner = _compile(node.filter, schema, _Scope(ref, written))
    getter = _getter(ref, None)
    name = ref.attribute.name

    def match(resource: dict) -> bool:
        value = resource.get(name) if getter is None else getter(resource)
        if value.__class__ is list:
            return any(isinstance(item, dict) and inner(item) for item in value)
        return isinstance(value, dict) and inner(value)

    return match
