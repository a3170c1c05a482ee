"""Hypothesis strategies for SCIM inputs: filter texts and PATCH bodies.

Shared by the engine fuzz tests (test_fuzz_filter, test_fuzz_patch) and the whole-request fuzz
test (test_fuzz_requests). Generation speed matters as much as variety here: a Hypothesis
draw costs tens of microseconds, so the common parts come from ready-made pools (one draw
each) and only a share is drawn piece by piece.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

from hardening_support import json_values, weighted
from hypothesis import strategies as st

from sandbox.scim.patch import PATCH_OP_SCHEMA
from sandbox.scim.schema import ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA

ENT = ENTERPRISE_USER_SCHEMA

# -- filters: vocabulary ---------------------------------------------------------------------
# Names, operators and literals a filter is made of: mostly ones that mean something to the
# User or Widget schema (so that many examples get past the parser into the compiler and the
# predicate), and a share of junk.

GOOD_TOP_NAMES = [
    "userName", "name", "name.givenName", "name.familyName", "displayName", "active", "title",
    "emails", "emails.value", "emails.type", "emails.primary", "phoneNumbers.value",
    "addresses.locality", "addresses", "groups", "groups.value", "groups.display", "meta",
    "meta.created", "meta.lastModified", "meta.version", "meta.resourceType", "id",
    "externalId", "x509Certificates.value", "password", "schemas", "roles", "roles.primary",
    f"{USER_SCHEMA}:userName", f"{USER_SCHEMA}:name.givenName", f"{USER_SCHEMA}:emails",
    f"{ENT}:employeeNumber", f"{ENT}:manager", f"{ENT}:manager.value", f"{ENT}:department",
    f"{ENT}:manager.displayName", "count", "price", "tags", "code", "when", "blob", "flag",
    "parts", "parts.value", "parts.at", "parts.primary", "urn:example:Widget:count",
]
JUNK_TOP_NAMES = [
    "urn:unknown:schema:attr", "urn:", "urn:x", "URN:a:b:c.d", "$ref", "not", "and", "or",
    "pr", "eq", "a.b.c", "9abc", "user-name", "_x", "name.", ".value", "emails..value",
    "userName.x", "ünïcode", "x" * 200, "name.givenName.x", "emails.bogus",
]
GOOD_SUB_NAMES = ["value", "type", "primary", "display", "$ref", "locality", "givenName", "at",
                  "country", "familyName", "displayName"]
JUNK_SUB_NAMES = ["bogus", "not", "a.b", "urn:x:y", "9", "value.x", "emails"]
GOOD_OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr", "EQ", "Ne", "cO",
                  "PR", "Gt", "sW", "LE"]
JUNK_OPERATORS = ["eqq", "==", "!", "in", "and", "not", "e q"]
GOOD_LITERALS = [
    "jyoung", "true", "false", "null", "TRUE", "Null", "0", "-0", "12", "-1.5e3", "1e999",
    "9" * 4400, "0x10", "2024-01-01T00:00:00Z", "2024-13-45", "work", "@", "a.b", ".value",
    "-", "+1", "1.", ".5", "NaN", "Infinity", "urn:a:b", '""', '"work"', '"a\\"b"',
    '"\\u00e9"', '"\\\\"', '"tab\\there"', '"2011-05-13T04:42:34Z"', '"12"', '"1.5"',
    '"2011-05-13T04:42:34+25:00"', '"0001-01-01T00:00:00-23:59"', '"true"',
    '"9999-12-31T23:59:59+23:59"', '"2011-05-13"', '"2011-05-13T04:42:34.123456789Z"',
]
JUNK_LITERALS = ['"\\q"', '"\\u12"', '"unterminated', "(", "]", ""]


def _comparison_pool(inside: bool, size: int, junk: float) -> list[tuple[str, ...]]:
    """Ready-made comparisons from the vocabulary, a fraction `junk` of each part from the
    junk lists. Drawing one from a pool is a single Hypothesis draw instead of half a dozen,
    which buys several times the examples per second; `_comparisons` below keeps
    Hypothesis's own text and number generation in the mix."""
    rng = random.Random(7643 + inside)
    good_names, junk_names = ((GOOD_SUB_NAMES, JUNK_SUB_NAMES) if inside
                              else (GOOD_TOP_NAMES, JUNK_TOP_NAMES))
    literals = [*GOOD_LITERALS, *(json.dumps(chr(rng.randrange(32, 0x2FFF)) * rng.randrange(4))
                                  for _ in range(40))]

    def pick(good: list[str], bad: list[str]) -> str:
        return rng.choice(bad if rng.random() < junk else good)

    pool: list[tuple[str, ...]] = []
    for _ in range(size):
        name, op = pick(good_names, junk_names), pick(GOOD_OPERATORS, JUNK_OPERATORS)
        if rng.random() < 0.3:
            name = "".join(c.swapcase() if rng.random() < 0.3 else c for c in name)
        if op.lower() == "pr" and rng.random() < 0.9:
            pool.append((name, op))
        else:
            pool.append((name, op, pick(literals, JUNK_LITERALS)))
    return pool


CASE_SEEDS = st.integers(0, 2**32 - 1)


def _random_case(draw: st.DrawFn, text: str) -> str:
    """`text` with some letters' case flipped (names and operators are case-insensitive)."""
    seed = draw(CASE_SEEDS)
    if not text or seed % 2:
        return text
    flips = random.Random(seed)
    return "".join(c.swapcase() if flips.random() < 0.3 else c for c in text)


NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_-.:$"
WORD_CHARS = NAME_CHARS + "@!#%&*+,/;<=>?^`{|}~é中\\"
JUNK_NAME_TEXTS = st.text(alphabet=NAME_CHARS, min_size=1, max_size=12)
CLEAN_TEXTS = st.one_of(
    st.text(max_size=15).map(json.dumps),
    st.text(max_size=15).map(lambda t: json.dumps(t, ensure_ascii=False)),
    st.integers().map(str),
    st.floats(allow_nan=False).map(repr),
)


JUNK_WORDS = st.text(alphabet=WORD_CHARS, min_size=1, max_size=10)
# Strategies are made once, here: making one inside a draw costs more than drawing from it.
SUB_NAME_STRATEGY = st.sampled_from(GOOD_SUB_NAMES)
TOP_NAME_STRATEGY = st.sampled_from(GOOD_TOP_NAMES)
GOOD_OPERATOR_STRATEGY = st.sampled_from(GOOD_OPERATORS)
JUNK_OPERATOR_STRATEGY = st.sampled_from(JUNK_OPERATORS)
ONE_IN_TEN = st.integers(0, 9)


@st.composite
def _comparisons(draw: st.DrawFn, inside: bool, clean: bool) -> list[str]:
    """One comparison drawn part by part; unless `clean`, a part is sometimes junk."""
    junk = 0 if clean else draw(ONE_IN_TEN)
    names = SUB_NAME_STRATEGY if inside else TOP_NAME_STRATEGY
    attr = draw(JUNK_NAME_TEXTS if junk == 1 else names)
    op = draw(JUNK_OPERATOR_STRATEGY if junk == 2 else GOOD_OPERATOR_STRATEGY)
    if op.lower() == "pr" and draw(ONE_IN_TEN):
        return [_random_case(draw, attr), op]
    literal = draw(JUNK_WORDS if junk == 3 else CLEAN_TEXTS)
    return [_random_case(draw, attr), op, literal]


def _terms(inside: bool, junk: float) -> st.SearchStrategy[list[str]]:
    pool = st.sampled_from(_comparison_pool(inside, 1500 if inside else 4000, junk)).map(list)
    return weighted((3, pool), (1, _comparisons(inside, clean=not junk)))


JOINERS = st.sampled_from(["and", "or", "AND", "Or"])
TERM_COUNTS = {most: st.integers(1, most) for most in range(1, 7)}
WRAPS = st.integers(0, 29)


def _wrapped(draw: st.DrawFn, tokens: list[str]) -> list[str]:
    """Sometimes put `not (...)`, `(...)` or, rarely, a bare `NOT` (an error) around it."""
    wrap = draw(WRAPS)
    if wrap < 3:
        return ["not", "(", *tokens, ")"]
    if wrap < 6:
        return ["(", *tokens, ")"]
    if wrap == 6:
        return ["NOT", *tokens]
    return tokens


@st.composite
def _chains(draw: st.DrawFn, terms: st.SearchStrategy[list[str]], most: int) -> list[str]:
    """Terms joined by and/or, each maybe wrapped, and the whole maybe wrapped again: the
    shapes of a recursive grammar from a flat series of draws (cheaper than st.recursive)."""
    tokens: list[str] = []
    for index in range(draw(TERM_COUNTS[most])):
        if index:
            tokens.append(draw(JOINERS))
        tokens += _wrapped(draw, draw(terms))
        if index and draw(WRAPS) < 3:
            tokens = ["(", *tokens, ")"]
    return _wrapped(draw, tokens)


ENTRA_SUFFIX = st.integers(0, 3)
SUB_NAME_CHOICES = st.sampled_from([*GOOD_SUB_NAMES, *JUNK_SUB_NAMES[:2]])
VALUE_PATH_NAMES = st.sampled_from(["emails", "addresses", "groups", "parts", "manager",
                                    f"{ENT}:manager", "name", "roles", "userName", "x"])


@st.composite
def _value_paths(draw: st.DrawFn, inner: st.SearchStrategy[list[str]],
                 sub_terms: st.SearchStrategy[list[str]]) -> list[str]:
    tokens = [_random_case(draw, draw(VALUE_PATH_NAMES)), "[", *draw(inner), "]"]
    if draw(ENTRA_SUFFIX) == 0:
        # Entra: emails[type eq "work"].value eq "x"
        tokens += ["." + draw(SUB_NAME_CHOICES), *draw(sub_terms)[1:]]
    return tokens


def filter_tokens(most: int, junk: float) -> st.SearchStrategy[list[str]]:
    sub_terms = _terms(True, junk)
    top_terms = _terms(False, junk)
    value_path = _value_paths(_chains(sub_terms, 3), sub_terms)
    return _chains(weighted((2, top_terms), (1, value_path)), most)


FILTER_TOKENS = filter_tokens(6, junk=0.08)
CLEAN_FILTER_TOKENS = filter_tokens(4, junk=0.0)

SEPARATORS = st.sampled_from([" ", " ", " ", " ", " ", " ", "  ", "\t", "\n", "", "\u00a0"])
MUTATION_TOKENS = st.sampled_from(["(", ")", "[", "]", '"', "\\", " ", "and", "or", "not",
                                   "pr", "eq", ".", ":", "urn:", "\x00", "\u2028", "]."])
SEPARATOR_EVERY = st.integers(2, 9)
MUTATIONS = st.one_of(st.just([]), st.lists(st.sampled_from(["drop", "insert", "cut", "repeat"]),
                                            min_size=1, max_size=2))


@st.composite
def near_valid_filters(draw: st.DrawFn) -> str:
    """Grammar-shaped filters, then a few random mutations (drop, insert, cut, repeat)."""
    tokens = draw(FILTER_TOKENS)
    # One separator for most gaps, another for a random few: cheaper than one draw per gap.
    usual, odd, every = draw(SEPARATORS), draw(SEPARATORS), draw(SEPARATOR_EVERY)
    text = "".join(t + (odd if i % every == 0 else usual)
                   for i, t in enumerate(tokens)).strip(" ")
    for kind in draw(MUTATIONS):
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        if kind == "drop":
            text = text[:at] + text[at + 1:]
        elif kind == "insert":
            text = text[:at] + draw(MUTATION_TOKENS) + text[at:]
        elif kind == "cut":
            text = text[:at]
        else:
            end = draw(st.integers(at, len(text)))
            text = text[:end] + text[at:end] + text[end:]
    return text


EXTREME_KINDS = st.sampled_from(["parens", "not", "brackets", "chain", "mixed"])


@st.composite
def extreme_filters(draw: st.DrawFn) -> str:
    """Deep nesting and long chains around the parser's limits."""
    depth = draw(st.integers(0, 120))
    kind = draw(EXTREME_KINDS)
    closing = draw(st.integers(0, depth + 1))
    if kind == "parens":
        return "(" * depth + "userName pr" + ")" * closing
    if kind == "not":
        return "not (" * depth + 'title eq "x"' + ")" * closing
    if kind == "brackets":
        return "emails[" * min(depth, 5) + 'type eq "work"' + "]" * min(closing, 5)
    if kind == "chain":
        return " and ".join(["userName pr"] * (depth + 1))
    return " or ".join(f"(a{i} eq {i} and not (b pr))" for i in range(depth + 1))


ARBITRARY_TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from([*'()[]"\\ .:$-_aeiqnrt0129\t\n', "and ", "or ", "not ", " eq ",
                              " pr", "urn:", "emails"]),
             max_size=40).map("".join),
)

NEAR_VALID = near_valid_filters()
EXTREMES = extreme_filters()


# -- PATCH: vocabulary -----------------------------------------------------------------------

PATHS = [
    "userName", "USERNAME", "name", "name.givenName", "Name.FamilyName", "name.bogus",
    "displayName", "title", "active", "externalId", "password", "nickName", "locale",
    "emails", 'emails[type eq "work"]', 'emails[type eq "work"].value',
    'emails[type eq "home" and value co "@"].primary', "emails.value", "emails.type",
    'emails[value eq "ann@work.example"]', 'emails[primary eq true].value',
    'emails[type eq "work"].bogus', 'emails[bogus eq "x"].value', "emails[not (type pr)]",
    'emails[type eq "work"]].value', 'emails[type eq "work".value', "emails[]",
    'phoneNumbers[type eq "mobile"].value', 'addresses[type eq "work"].locality',
    "addresses.country", "roles", 'roles[value eq "admin"]', "x509Certificates",
    "members", 'members[value eq "id1"]', 'members[value eq "id2"].display', "members.value",
    'members[type eq "User"]', "displayname", "groups", 'groups[value eq "x"]', "id", "meta",
    "meta.version", "schemas", f"{USER_SCHEMA}:userName", f"{USER_SCHEMA}:name.givenName",
    USER_SCHEMA, ENT, f"{ENT}:employeeNumber", f"{ENT}:manager", f"{ENT}:manager.value",
    f"{ENT}:manager.displayName", f"{ENT}:department", f"{ENT}:bogus", f"{ENT.upper()}:DEPARTMENT",
    f'{ENT}:manager[value eq "boss"]', "urn:unknown:schema:attr", "urn:x", "urn:", GROUP_SCHEMA,
    f"{GROUP_SCHEMA}:displayName", "", " ", "  userName  ", ".", "[", "]", "name..givenName",
    "emails[type eq work].value", "emails[type eq \"work\"] .value", "a.b.c", "9", "$ref",
]
VALUE_KEYS = st.sampled_from([
    "value", "Value", "type", "primary", "display", "givenName", "familyName", "formatted",
    "userName", "active", "name.givenName", "name.familyName", "emails", "title", "members",
    "displayName", "schemas", "id", "meta", "locality", "country", "$ref", f"{ENT}:department",
    f"{ENT}:manager", ENT, USER_SCHEMA, "employeeNumber", "manager", "externalId", "groups",
    "password", "emails[type eq \"work\"].value", "bogus", "urn:x:y",
])
OP_NAMES = ["add", "replace", "remove", "Add", "Replace", "Remove", "ADD", "REMOVE", "rePlace"]
JUNK_OP_NAMES = ["merge", "delete", "", " add", "copy", "test", None, 1, True, ["add"]]
SCALARS = [None, True, False, "True", "False", "true", "", "x", "Dr", 0, 7, -1, 1.5, 10**30,
           "2011-05-13T04:42:34Z", "id1", "id3", "ann@work.example", [], {}, [None], [""],
           [{"value": "id1"}], [{"value": "id3"}], [{"value": "x@y", "type": "work"}],
           {"value": "v"}, {"givenName": "G"}, {"value": "mgr"}, [{"value": "a"}, {"value": "b"}],
           [{"value": "x", "primary": True}, {"value": "y", "primary": True}], ["a", "b"],
           {"name.givenName": "G", f"{ENT}:department": "D"}, {ENT: {"costCenter": "C"}},
           {"active": "False"}, {"emails": [{"value": "n@x", "type": "work"}]}]


# Paths with values that suit them, so that most operations succeed and reach deep into the
# engine; `_operation_pool` mixes them with the junk above.
SENSIBLE: list[tuple[str | None, list[Any]]] = [
    ("userName", ["carol", "ANN@example.test"]),
    ("name.givenName", ["G", None]), ("name", [{"givenName": "G", "familyName": "F"}, None]),
    ("displayName", ["D", None]), ("title", ["Dr", None]), ("active", [False, "True", "False"]),
    ("externalId", ["e2", None]), ("nickName", ["nick"]), ("password", ["s3cret!"]),
    ("emails", [[{"value": "n@x", "type": "work", "primary": True}], [], None,
                [{"value": "ann@work.example", "type": "work"}]]),
    ('emails[type eq "work"].value', ["new@work", None]),
    ('emails[type eq "work"]', [{"value": "w@x", "primary": True}, {"display": "W"}]),
    ('emails[type eq "other"].value', ["o@x"]), ("emails.type", ["work", "home"]),
    ('emails[primary eq true].value', ["p@x"]), ("emails.primary", [False, True]),
    ('emails[value eq "ann@home.example"].primary', [True]),
    ('phoneNumbers[type eq "mobile"].value', ["+2"]),
    ('addresses[type eq "work"].locality', ["Paris", None]),
    ("addresses", [[{"type": "home", "locality": "Rome", "primary": True}]]),
    ("roles", [[{"value": "admin"}], [{"value": "user", "primary": True}]]),
    (f"{ENT}:employeeNumber", ["8", None]), (f"{ENT}:department", ["Ops"]),
    (f"{ENT}:manager", [{"value": "boss2"}, "boss3", None]), (f"{ENT}:manager.value", ["b"]),
    (ENT, [{"costCenter": "C", "department": "D"}, None]),
    ("members", [[{"value": "id3"}], [{"value": "id1"}], [], [{"value": "id2", "display": "x"}]]),
    ('members[value eq "id1"]', [None]), ('members[value eq "id2"].display', ["Two"]),
    ("displayName", ["Ops"]),
    (None, [{"active": "False"}, {"name.givenName": "G", f"{ENT}:department": "D"},
            {ENT: {"costCenter": "C"}}, {"emails": [{"value": "n@x", "type": "work"}]},
            {"displayName": "Ops", "members": [{"value": "id3"}]}, {"title": None},
            {"schemas": [USER_SCHEMA], "userName": "z"}, {f"{USER_SCHEMA}:userName": "u"}]),
]


def _operation_pool(size: int) -> list[dict[str, Any]]:
    """Ready-made operations, three in four sensible, the rest any mix of op, path and value:
    a single Hypothesis draw each (see the module's docstring)."""
    rng = random.Random(7644)
    pool = []
    for _ in range(size):
        op: dict[str, Any] = {}
        sensible = rng.random() < 0.75
        if sensible:
            path, values = rng.choice(SENSIBLE)
            value = copy.deepcopy(rng.choice(values))
            name = rng.choice(OP_NAMES if path is not None else OP_NAMES[:2] + OP_NAMES[3:5])
            op[rng.choice(["op", "op", "Op"])] = name
            if path is not None:
                op[rng.choice(["path", "path", "Path"])] = path
            if name.lower() != "remove" or rng.random() < 0.2:
                op[rng.choice(["value", "value", "Value"])] = value
        else:
            if rng.random() < 0.95:
                op[rng.choice(["op", "OP"])] = (rng.choice(OP_NAMES) if rng.random() < 0.9
                                                else rng.choice(JUNK_OP_NAMES))
            if rng.random() < 0.85:
                op["path"] = rng.choice(PATHS) if rng.random() < 0.97 else rng.choice(
                    [None, 1, [], {}])
            if rng.random() < 0.8:
                op["value"] = copy.deepcopy(rng.choice(SCALARS))
        if rng.random() < 0.05:
            op["name"] = "addMember"
        pool.append(op)
    return pool


OPERATION_POOL = st.sampled_from(_operation_pool(5000)).map(copy.deepcopy)
VALUES = st.one_of(json_values(VALUE_KEYS, max_leaves=8), st.sampled_from(SCALARS))
PATH_TEXTS = weighted(
    (6, st.sampled_from(PATHS)),
    (1, st.text(alphabet='abcemnrstuv.[]"= :', max_size=25)),
    (1, st.text(max_size=10)),
)


ONE_IN_FORTY, ONE_IN_TWENTY = st.integers(0, 40), st.integers(0, 20)
ONE_IN_FIVE, ONE_IN_FOUR = st.integers(0, 5), st.integers(0, 4)
SMALL_JSON, TINY_JSON = json_values(max_leaves=4), json_values(max_leaves=3)
OP_TEXTS = weighted((10, st.sampled_from(OP_NAMES)), (1, st.sampled_from(JUNK_OP_NAMES)),
                    (1, st.text(max_size=8)))


@st.composite
def drawn_operations(draw: st.DrawFn) -> Any:
    """An operation drawn part by part, Hypothesis choosing values of any JSON type."""
    if draw(ONE_IN_FORTY) == 0:
        return draw(TINY_JSON)  # not even an object
    op: dict[str, Any] = {}
    if draw(ONE_IN_TWENTY):
        op["op"] = draw(OP_TEXTS)
    if draw(ONE_IN_FIVE):
        op["path"] = draw(PATH_TEXTS)
    if draw(ONE_IN_FOUR):
        op["value"] = draw(VALUES)
    return op


OPERATIONS = weighted((5, OPERATION_POOL), (1, drawn_operations()))
SCHEMAS_FIELDS = weighted(
    (12, st.sampled_from([[PATCH_OP_SCHEMA], None, [PATCH_OP_SCHEMA.upper()]])),
    (1, st.sampled_from([[], [USER_SCHEMA], "x", [1], [PATCH_OP_SCHEMA, USER_SCHEMA]])))


BODY_KINDS = st.integers(0, 30)
OPERATIONS_KEYS = st.sampled_from(["Operations", "Operations", "operations", "OPERATIONS"])
# Mostly one to three operations (each may fail the whole PATCH), sometimes six.
OPERATION_LISTS = weighted(*((1, st.lists(OPERATIONS, min_size=1, max_size=most))
                             for most in (1, 2, 3, 6)))


@st.composite
def patch_bodies(draw: st.DrawFn) -> Any:
    """A PatchOp body: mostly well formed around operations from the pool, sometimes any
    JSON at all, or `Operations` that is not a list."""
    kind = draw(BODY_KINDS)
    if kind == 0:
        return draw(SMALL_JSON)
    body: dict[str, Any] = {}
    schemas = draw(SCHEMAS_FIELDS)
    if schemas is not None:
        body["schemas"] = schemas
    body[draw(OPERATIONS_KEYS)] = draw(TINY_JSON if kind == 1 else OPERATION_LISTS)
    return body
