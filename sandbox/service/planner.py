"""Answer the filters Entra sends most from an index instead of scanning every resource.

A plan only narrows the candidates: the compiled filter still runs on each of them, so a plan
can never change a result, only its cost.
"""

from __future__ import annotations

from sandbox.scim.filter import And, AttrPath, Compare, Node, ValuePath
from sandbox.scim.schema import GROUP_SCHEMA, USER_SCHEMA
from sandbox.service import indexes

_CORE = {USER_SCHEMA.lower(), GROUP_SCHEMA.lower()}
_BY_TYPE = {
    "User": {"username": (indexes.USER_NAME, True), "externalid": (indexes.EXTERNAL_ID, False)},
    "Group": {
        "displayname": (indexes.DISPLAY_NAME, True),
        "externalid": (indexes.EXTERNAL_ID, False),
    },
}


def _literal(node: Compare) -> str | None:
    if node.value is None:
        return None
    # Unquoted numbers and booleans compare by their text against string attributes.
    return node.value if isinstance(node.value, str) else node.raw


def _is_core(path: AttrPath) -> bool:
    return path.urn is None or path.urn.lower() in _CORE


def index_lookup(node: Node, rtype: str) -> tuple[str, str] | None:
    """The (index, key) whose rows include every match of `node`, or None to scan."""
    if isinstance(node, Compare):
        if node.op != "eq" or node.path.sub is not None or not _is_core(node.path):
            return None
        entry = _BY_TYPE.get(rtype, {}).get(node.path.attr.lower())
        literal = _literal(node)
        if entry is None or literal is None:
            return None
        name, folded = entry
        return name, literal.casefold() if folded else literal
    if isinstance(node, And):
        return index_lookup(node.left, rtype) or index_lookup(node.right, rtype)
    if isinstance(node, ValuePath) and rtype == "User":
        return _work_email_lookup(node)
    return None


def _work_email_lookup(node: ValuePath) -> tuple[str, str] | None:
    """`emails[type eq "work" and value eq "x"]`, Entra's match on a work email."""
    if node.path.attr.lower() != "emails" or node.path.sub or not _is_core(node.path):
        return None
    inner = node.filter
    if not isinstance(inner, And):
        return None
    terms = [t for t in (inner.left, inner.right) if isinstance(t, Compare) and t.op == "eq"]
    by_name = {t.path.attr.lower(): t for t in terms if t.path.sub is None}
    type_term, value_term = by_name.get("type"), by_name.get("value")
    if type_term is None or value_term is None or len(by_name) != 2:
        return None
    if str(type_term.value).lower() != "work":
        return None
    literal = _literal(value_term)
    return None if literal is None else (indexes.WORK_EMAIL, literal.casefold())
