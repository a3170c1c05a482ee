"""Parsing SCIM filters and PATCH paths into the syntax tree of `syntax.py`.

A regex tokenizer plus a recursive-descent parser, memoised per text, since it runs on every
list request. It accepts what Microsoft Entra actually sends besides the RFC grammar:
unquoted values (`externalId eq jyoung`), any casing of names and operators, and
`emails[type eq "work"].value eq "x"`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from sandbox.scim.errors import ScimError, invalid_filter, invalid_path
from sandbox.scim.filter.syntax import (
    COMPARE_OPS,
    And,
    AttrPath,
    Compare,
    Node,
    Not,
    Or,
    PatchPath,
    Present,
    ValuePath,
)
from sandbox.scim.schema import ResourceSchema

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


def parse_attribute_path(text: str) -> PatchPath:
    """Parse an attribute path without a schema to resolve it against: `attr`, `attr.sub`,
    `attr[filter]`, `attr[filter].sub`, each optionally URN-qualified (a client's mapping
    targets, an Entra PATCH path). With no schema to say where its id ends, a URN prefix ends
    at the last `:` before the attribute name, as RFC 7644 §3.10 reads a fully qualified name,
    so a bare schema URN reads as an attribute named by its last segment.

    Raises `invalid_path` (400) for anything malformed, including the filter inside `[...]`.
    """
    if not isinstance(text, str) or not text.strip():
        raise invalid_path("Empty path" if isinstance(text, str) else "Path must be a string")
    text = text.strip()
    # Split the URN off the part before any `[`: the filter may hold colons of its own.
    bracket = text.find("[")
    head = text if bracket < 0 else text[:bracket]
    urn: str | None = None
    rest = head
    if head[:4].lower() == "urn:":
        urn, _, rest = head.rpartition(":")
        if not rest:
            raise invalid_path(f"Path {_quote(text)} names a schema but no attribute after "
                               f"'{urn}'")
    attr, value_filter, sub = _parse_path_rest(text, len(head) - len(rest))
    return PatchPath(urn, attr, value_filter, sub)


@lru_cache(maxsize=1024)
def _parse_path_rest(text: str, start: int) -> tuple[str, Node | None, str | None]:
    return _Parser(text, "path", start).patch_path()
