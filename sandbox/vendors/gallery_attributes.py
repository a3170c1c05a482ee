"""A gallery record's attribute table, read as a resource type of a profile.

Each row of a table names an attribute the way the tutorial prints it. A row is read so:

- Spelling: curly quotes become straight ones, and a value filter is written `[type eq
  "work"]` whatever its quotes (a missing closing quote is supplied). A value path without a
  sub-attribute (`emails[type eq "work"]`) means that value's `value`.
- A row with no URN, or the resource type's core URN, names a core attribute (or `externalId`
  / `id`, which every resource has), matched in any letter case and then written as RFC 7643
  spells it: `Username` → `userName`. The enterprise User URN names its RFC attributes.
  Either way the attribute keeps its RFC type, whatever the Type column says: Entra sends
  those attributes in their RFC shapes.
- A row with any other URN (`urn:…:vendor:2.0:User:site`) is a custom extension attribute:
  its schema is generated from the table, with the table's type (String, Boolean, Integer,
  DateTime, Reference, Binary, Decimal; an empty or unknown type is a string). A dotted row
  (`urn:…:User:licenses.chart`) makes a complex attribute with that sub-attribute; a value
  path (`urn:…:User:ids[authority eq "x"].value`) a multi-valued complex one whose
  sub-attributes are the filter's and the named one.
- A row naming something that is neither (a typo, a word of the vendor's own, a sub-attribute
  the RFC attribute lacks, a row that cannot be parsed) is left out, and listed in `dropped`
  so the profile can say so.
- Duplicate rows are one attribute; it is required, or filterable, when any of its rows says
  so. An empty (`null`) Required or Filtering column means "no". A row `id` or `members`
  marked required is not: the app assigns the id (RFC 7643 §3.1), and Entra creates a group
  before it adds members by PATCH (a group may have none).
- A value path keeps the sub-attribute it names, the filter's sub-attribute, and `primary`
  when the attribute has one: what Entra sends in such a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.constants import ENTERPRISE_USER_SCHEMA, USER_SCHEMA
from sandbox.scim.errors import ScimError
from sandbox.scim.filter import And, AttrPath, Compare, Present, ValuePath
from sandbox.scim.schema import (
    COMMON_ATTRIBUTES,
    STANDARD_SCHEMA_FILES,
    Schema,
    standard_schema,
)
from sandbox.vendors.rules import parse_attribute_path

TYPES = {"string": "string", "boolean": "boolean", "integer": "integer",
         "datetime": "dateTime", "reference": "reference", "binary": "binary",
         "decimal": "decimal"}
_QUOTES = str.maketrans({"\u2018": '"', "\u2019": '"', "\u201c": '"', "\u201d": '"'})
_FILTER = re.compile(r'\[\s*(\w+)\s+eq\s+"?([^"\]]*?)"?\s*\]')
_COMMON = {a.name.lower(): a.name for a in COMMON_ATTRIBUTES}
# Rows a Required column cannot make required: the app assigns `id`; Entra creates a group
# first and adds its `members` afterwards by PATCH (and a group may have none).
NEVER_REQUIRED = {"id", "members"}


@dataclass(frozen=True, slots=True)
class Row:
    """One table row, understood: how to write it, what it keeps, and its flags."""

    written: str  # as the profile writes it in `required` / `filterable`
    keep: tuple[str, ...]  # entries of the resource type's `attributes`
    extension: tuple[str, dict[str, Any]] | None = None  # (URN, generated attribute)


@dataclass
class Table:
    """A resource type's attributes as the profile's TOML keys hold them."""

    rows: list[str] = field(default_factory=list)  # each understood row once, as written
    keep: list[str] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    filterable: list[str] = field(default_factory=list)
    extensions: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)

    def add_keep(self, *entries: str) -> None:
        for entry in entries:
            if entry.lower() not in {kept.lower() for kept in self.keep}:
                self.keep.append(entry)

    def add_extension(self, urn: str, attribute: dict[str, Any]) -> None:
        """Add a generated attribute, merging the sub-attributes of one already there."""
        attributes = self.extensions.setdefault(urn, {})
        known = attributes.get(attribute["name"].lower())
        if known is None:
            attributes[attribute["name"].lower()] = attribute
            return
        subs = {s["name"].lower(): s for s in known.get("subAttributes", [])}
        for sub in attribute.get("subAttributes", []):
            subs.setdefault(sub["name"].lower(), sub)
        if subs:
            known.update(type="complex", subAttributes=list(subs.values()))
            known["multiValued"] = known.get("multiValued", False) or attribute["multiValued"]


def read_table(rows: list[dict[str, Any]], core_urn: str) -> Table:
    """The table's kept, required and filterable attributes and generated extensions."""
    table = Table()
    core = standard_schema(core_urn)
    for row in rows:
        name = str(row.get("name", ""))
        understood = read_row(name, str(row.get("type") or ""), core)
        if understood is None:
            if name.strip() and name.strip() not in table.dropped:
                table.dropped.append(name.strip())
            continue
        if understood.written.lower() not in {r.lower() for r in table.rows}:
            table.rows.append(understood.written)
        table.add_keep(*understood.keep)
        if understood.extension is not None:
            table.add_extension(*understood.extension)
        for flag, entries in (("required", table.required),
                              ("filterable", table.filterable)):
            if flag == "required" and understood.written in NEVER_REQUIRED:
                continue
            if row.get(flag) is True and understood.written.lower() not in {
                    e.lower() for e in entries}:
                entries.append(understood.written)
    return table


def read_row(name: str, type_: str, core: Schema) -> Row | None:
    """One row's meaning, or None when it names no attribute the sandbox can have."""
    text = _FILTER.sub(r'[\1 eq "\2"]', name.strip().translate(_QUOTES))
    if text.endswith("]"):
        text += ".value"
    try:
        node = parse_attribute_path(text)
    except ScimError:
        return None
    path, value_filter = _path_and_filter(node)
    if path is None:
        return None
    urn = path.urn
    if urn is None or urn.lower() == core.id.lower():
        return _standard_row(path, value_filter, core, None)
    if urn.lower() == ENTERPRISE_USER_SCHEMA.lower():
        if core.id != USER_SCHEMA:
            return None
        return _standard_row(path, value_filter, standard_schema(ENTERPRISE_USER_SCHEMA),
                             ENTERPRISE_USER_SCHEMA)
    if urn.lower() in {known.lower() for known in STANDARD_SCHEMA_FILES}:
        return None  # another resource type's core schema
    return _extension_row(path, value_filter, type_)


def _path_and_filter(node: Any) -> tuple[AttrPath | None, Compare | None]:
    """`x.y pr` → (x.y, None); `x[f eq "v"].y pr` → (x.y, the comparison)."""
    if isinstance(node, Present):
        return node.path, None
    if (isinstance(node, ValuePath) and isinstance(node.filter, And)
            and isinstance(node.filter.left, Compare) and node.filter.left.op == "eq"
            and node.filter.left.path.sub is None and node.filter.left.path.urn is None
            and isinstance(node.filter.right, Present)):
        leaf = node.filter.right.path
        path = AttrPath(urn=node.path.urn, attr=node.path.attr, sub=leaf.attr)
        return path, node.filter.left
    return None, None


def _standard_row(path: AttrPath, value_filter: Compare | None, schema: Schema,
                  urn: str | None) -> Row | None:
    prefix = f"{urn}:" if urn else ""
    attribute = schema.attribute(path.attr)
    if attribute is None:
        common = _COMMON.get(path.attr.lower())
        if urn is None and common is not None and path.sub is None:
            return Row(written=common, keep=(common,))
        return None
    if path.sub is None:
        return Row(written=prefix + attribute.name, keep=(prefix + attribute.name,))
    sub = attribute.sub(path.sub)
    if sub is None:
        return None
    base = prefix + attribute.name
    if value_filter is None:
        return Row(written=f"{base}.{sub.name}", keep=(f"{base}.{sub.name}",))
    by = attribute.sub(value_filter.path.attr)
    if by is None or not attribute.multi_valued:
        return None
    keep = [f"{base}.{sub.name}", f"{base}.{by.name}"]
    if attribute.sub("primary") is not None:
        keep.append(f"{base}.primary")
    written = f'{base}[{by.name} eq "{value_filter.value}"].{sub.name}'
    return Row(written=written, keep=tuple(dict.fromkeys(keep)))


def _extension_row(path: AttrPath, value_filter: Compare | None, type_: str) -> Row:
    urn = path.urn or ""
    scim_type = TYPES.get(type_.strip().lower(), "string")
    if path.sub is None:
        attribute = _attribute(path.attr, scim_type)
        written = f"{urn}:{path.attr}"
    elif value_filter is None:
        attribute = _attribute(path.attr, "complex", subs=[_attribute(path.sub, scim_type)])
        written = f"{urn}:{path.attr}.{path.sub}"
    else:
        by = value_filter.path.attr
        attribute = _attribute(path.attr, "complex", multi_valued=True,
                               subs=[_attribute(by, "string"), _attribute(path.sub, scim_type)])
        written = f'{urn}:{path.attr}[{by} eq "{value_filter.value}"].{path.sub}'
    return Row(written=written, keep=(f"{urn}:{path.attr}",), extension=(urn, attribute))


def _attribute(name: str, scim_type: str, multi_valued: bool = False,
               subs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An RFC 7643 §7 attribute definition, as a profile's `schemas` table holds one."""
    attribute: dict[str, Any] = {
        "name": name, "type": scim_type, "multiValued": multi_valued, "required": False,
        "caseExact": False, "mutability": "readWrite", "returned": "default",
        "uniqueness": "none", "description": "From the tutorial's attribute table.",
    }
    if scim_type == "reference":
        attribute["referenceTypes"] = ["external"]
    if subs:
        attribute["subAttributes"] = subs
    return attribute


