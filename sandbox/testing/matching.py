"""Reading a tenant's journal the way a test asks about it.

"Did my client disable ann?" has to be answered from requests that name ann in different
ways: a POST body carries her userName, a PATCH or DELETE names only her id (resolved here
through earlier answers that showed the resource, or the store), a match query names her in
its filter. Each journal entry becomes an `Exchange`: the facts it states (attribute →
value, looked up case-insensitively, dotted paths into complex attributes) and one readable
line for failure messages. Pure functions over journal entry dicts; no Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from sandbox.scim.errors import ScimError
from sandbox.scim.filter import Compare, Node, ValuePath, leaves, parse_filter, written_path
from sandbox.scim.patch import PatchOperation, PatchRequest

# (resource type, id) → the resource as it is now, or None.
Lookup = Callable[[str, str], dict[str, Any] | None]

MAX_LISTED = 20  # requests shown in a failure message: enough context, still readable
_MAX_TARGET = 110
_ENDPOINTS = {"users": "User", "groups": "Group"}
_NAME_ATTRIBUTES = ("userName", "displayName")


@dataclass(frozen=True, slots=True)
class Exchange:
    """One journal entry with what it says about resources and how to show it."""

    entry: dict[str, Any]
    line: str
    facts: tuple[dict[str, Any], ...]

    @property
    def operation(self) -> str:
        return self.entry["operation"]

    def matches(self, match: Mapping[str, Any]) -> bool:
        return all(any(value_matches(value, expected) for facts in self.facts
                       for value in values_at(facts, key))
                   for key, expected in match.items())


def exchanges(entries: Iterable[dict[str, Any]], tenant_path: str,
              lookup: Lookup) -> list[Exchange]:
    """Every entry (oldest first) as an Exchange; ids resolve to what was known at the time."""
    known: dict[str, dict[str, Any]] = {}  # id → the latest resource an answer showed
    found = []
    for entry in entries:
        found.append(_exchange(entry, tenant_path, known, lookup))
        _remember(known, (entry.get("response") or {}).get("body"))
    return found


def _exchange(entry: dict[str, Any], tenant_path: str, known: dict[str, dict[str, Any]],
              lookup: Lookup) -> Exchange:
    relative = entry["path"]
    if tenant_path and relative.startswith(tenant_path):
        relative = relative[len(tenant_path):] or "/"
    segments = [s for s in relative.split("/") if s]
    kind = _ENDPOINTS.get(segments[0].lower()) if segments else None
    body = (entry.get("request") or {}).get("body")
    answer = (entry.get("response") or {}).get("body")
    facts: list[dict[str, Any]] = []

    sent = patch_facts(body) if entry["method"] == "PATCH" else body
    if isinstance(sent, dict):
        facts.append(sent)
    target = segments[1] if kind and len(segments) > 1 and segments[1] != ".search" else None
    if kind and target:
        # The resource as the client last saw it, as this answer shows it, as it is now:
        # any of them may be all there is (a DELETE answers nothing; a hard delete leaves
        # nothing in the store).
        facts.extend(r for r in (known.get(target), answer if _is_resource(answer, target)
                                 else None, lookup(kind, target)) if r)
    elif _is_resource(answer):
        facts.append(answer)  # a create: the resource as made
    if kind == "Group":
        members = _member_facts(body, known, lookup)
        if members:
            facts.append({"member": members})
    filter_text = _filter_text(entry, body)
    if filter_text:
        facts.append(filter_facts(filter_text))

    hint = _name_hint(facts) if target or entry["method"] in ("POST", "PUT") else None
    return Exchange(entry, _line(entry, relative, hint), tuple(facts))


def _is_resource(body: Any, rid: str | None = None) -> bool:
    return isinstance(body, dict) and isinstance(body.get("id"), str) and (
        rid is None or body["id"] == rid)


def _remember(known: dict[str, dict[str, Any]], body: Any) -> None:
    if _is_resource(body):
        known[body["id"]] = body
    elif isinstance(body, dict) and isinstance(body.get("Resources"), list):
        for resource in body["Resources"]:
            if _is_resource(resource):
                known[resource["id"]] = resource


# Facts ---------------------------------------------------------------------------------------

def _field(item: dict[str, Any], name: str) -> Any:
    return next((v for k, v in item.items() if k.lower() == name), None)


def _operations(body: Any) -> tuple[PatchOperation, ...]:
    request = PatchRequest.read(body)
    return request.operations if request else ()


def patch_facts(body: Any) -> dict[str, Any]:
    """What a PATCH sets: `{path: value}` per operation with a path, and the members of a
    pathless value (dotted keys such as `name.givenName` kept as they are)."""
    facts: dict[str, Any] = {}
    for operation in _operations(body):
        path, value = operation.path, operation.value
        if path is not None:
            if operation.has_value and value is not None:
                facts[path] = value
        elif isinstance(value, dict):
            facts.update(value)
    return facts


def _member_facts(body: Any, known: dict[str, dict[str, Any]], lookup: Lookup) -> list[Any]:
    """The member ids a group request adds, removes or sets, and their userNames or
    displayNames, so a test can ask about `member="ann"`."""
    ids: list[str] = []
    if isinstance(body, dict):
        for operation in _operations(body):
            path, value = operation.path, operation.value
            if path is None and isinstance(value, dict):  # pathless: {"members": [...]}
                ids.extend(_member_ids(_field(value, "members")))
            elif path is not None and path.lower() == "members":
                ids.extend(_member_ids(value))
            elif path is not None and (member := _member_in_path(path)) is not None:
                ids.append(member)
        ids.extend(_member_ids(_field(body, "members")))
    names: list[Any] = []
    for rid in ids:
        resource = known.get(rid) or lookup("User", rid) or lookup("Group", rid)
        name = _name_of(resource) if resource else None
        if name is not None:
            names.append(name[1])
    return [*ids, *names]


def _member_in_path(path: str) -> str | None:
    """The id in Entra's `members[value eq "id"]` removal path, else None."""
    node = _parsed(path)
    if not (isinstance(node, ValuePath) and node.path.attr.lower() == "members"):
        return None
    inner = node.filter
    if (isinstance(inner, Compare) and inner.op == "eq" and inner.path.attr.lower() == "value"
            and isinstance(inner.value, str | int)):
        return _literal(inner)
    return None


def _member_ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [v for item in items if isinstance(item, dict)
            for v in [_field(item, "value")] if isinstance(v, str)]


def _filter_text(entry: dict[str, Any], body: Any) -> str | None:
    for name, value in parse_qsl(entry.get("query") or ""):
        if name.lower() == "filter":
            return value
    found = _field(body, "filter") if isinstance(body, dict) else None  # POST .search
    return found if isinstance(found, str) else None


def filter_facts(text: str) -> dict[str, Any]:
    """The `attribute eq value` comparisons of a filter, e.g. Entra's match query
    `userName eq "ann"` → `{"userName": "ann"}`; inside a value path such as
    `emails[type eq "work"].value eq "x"` each comparison is kept as `emails.<sub>`."""
    node = _parsed(text)
    if node is None:
        return {}
    facts: dict[str, Any] = {}
    for leaf in leaves(node):
        if isinstance(leaf, Compare) and leaf.op == "eq":
            facts[written_path(leaf.path)] = _literal(leaf)
        elif isinstance(leaf, ValuePath):
            prefix = written_path(leaf.path)
            for inner in leaves(leaf.filter):
                if isinstance(inner, Compare) and inner.op == "eq":
                    facts[f"{prefix}.{written_path(inner.path)}"] = _literal(inner)
    return facts


def _parsed(text: str) -> Node | None:
    try:
        return parse_filter(text)
    except ScimError:
        return None


def _literal(comparison: Compare) -> Any:
    """A compared value as a test would write it: quoted strings as strings, and an unquoted
    word (Entra's `externalId eq jyoung`, `active eq true`) as its text."""
    return comparison.value if comparison.raw.startswith('"') else comparison.raw


def values_at(document: Any, key: str) -> list[Any]:
    """The values `key` names in `document`: attribute names in any letter case, `a.b` (or
    `a__b`) into complex and multi-valued attributes, `urn:...:User:attr` into an extension,
    and an extension attribute by its bare name. Empty when absent."""
    if not isinstance(document, dict):
        return []
    key = key.replace("__", ".")
    lowered = key.lower()
    for name, value in document.items():
        if name.lower() == lowered:
            return [value]
    extensions = [(name, value) for name, value in document.items()
                  if name.lower().startswith("urn:") and isinstance(value, dict)]
    if lowered.startswith("urn:"):
        for name, value in extensions:
            if lowered.startswith(name.lower() + ":"):
                return values_at(value, key[len(name) + 1:])
        return []
    head, dot, rest = key.partition(".")
    if dot:
        found = []
        for value in values_at(document, head):
            for item in value if isinstance(value, list) else [value]:
                found.extend(values_at(item, rest))
        if found:
            return found
    return [value for _, extension in extensions for value in values_at(extension, key)]


def value_matches(actual: Any, expected: Any) -> bool:
    """Equality as a test means it: Entra's "True"/"False" strings are booleans, and a
    multi-valued attribute matches when one of its values (or their `value`) does."""
    if isinstance(actual, list) and not isinstance(expected, list):
        return any(value_matches(item, expected) or (isinstance(item, dict)
                                               and value_matches(_field(item, "value"), expected))
                   for item in actual)
    if isinstance(expected, bool):
        if isinstance(actual, str) and actual.lower() in ("true", "false"):
            return (actual.lower() == "true") is expected
        return isinstance(actual, bool) and actual is expected
    return bool(actual == expected)


# Messages ------------------------------------------------------------------------------------

def _name_of(resource: dict[str, Any]) -> tuple[str, Any] | None:
    for attribute in _NAME_ATTRIBUTES:
        values = values_at(resource, attribute)
        if values and isinstance(values[0], str):
            return attribute, values[0]
    return None


def _name_hint(facts: Iterable[dict[str, Any]]) -> str | None:
    for item in facts:
        name = _name_of(item)
        if name is not None:
            return f"{name[0]} {name[1]!r}"
    return None


def _line(entry: dict[str, Any], relative: str, hint: str | None) -> str:
    query = unquote_plus(entry.get("query") or "")
    target = relative + (f"?{query}" if query else "")
    if len(target) > _MAX_TARGET:
        target = target[:_MAX_TARGET - 1] + "…"
    line = f"{entry['method']} {target} ({entry['operation']}) {entry['status']}"
    if hint:
        line += f" [{hint}]"
    if entry.get("fault"):
        line += f" (fault {entry['fault']})"
    return line


def describe(match: Mapping[str, Any]) -> str:
    """`{"userName": "ann", "active": False}` → ` for userName 'ann', active False`."""
    if not match:
        return ""
    return " for " + ", ".join(f"{key} {value!r}" for key, value in match.items())


def listing(found: list[Exchange], limit: int = MAX_LISTED) -> str:
    """The requests as indented lines, the most recent `limit` of them."""
    shown = found[-limit:]
    lines = [f"  ... {len(found) - len(shown)} earlier request(s) not shown"] \
        if len(found) > len(shown) else []
    lines.extend(f"  {exchange.line}" for exchange in shown)
    return "\n".join(lines)


def missing_message(operation: str | None, match: Mapping[str, Any],
                    found: list[Exchange]) -> str:
    what = f"a '{operation}' request" if operation else "a request"
    head = f"expected {what}{describe(match)}; received "
    if not found:
        return head + "no requests at all"
    return f"{head}{len(found)}:\n{listing(found)}"


def unexpected_message(operation: str | None, match: Mapping[str, Any],
                       hits: list[Exchange]) -> str:
    what = f"a '{operation}' request" if operation else "a request"
    return f"expected no {what[2:]}{describe(match)}; received {len(hits)}:\n{listing(hits)}"
