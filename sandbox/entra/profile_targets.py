"""Where a mapping row can write in a vendor's resource type: an attribute a profile names
(in its table, its required list, a rule) as the target path an Entra mapping uses, and the
SCIM shape of the values that target takes.

Profiles write attributes in several ways (`emails.value`, `emails[type eq "work"].value`,
`roles`, `urn:...:User:emailAliases`); a mapping target is one of Entra's four forms
(`paths.py`). A sub-attribute of a typed multi-valued attribute becomes the entry of its
first canonical type (`phoneNumbers.value` → `phoneNumbers[type eq "work"].value`); a
multi-valued attribute without canonical types (`roles`, a custom one) is written whole, as a
list of one entry. `type`, `primary` and `display` come with the entry, never on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.entra.generated_sources import ValueRules, ValueShape
from sandbox.scim.errors import ScimError
from sandbox.scim.filter import And, Compare, Present, ValuePath
from sandbox.scim.schema import Attribute, AttrRef, ResourceSchema
from sandbox.vendors.rules import parse_attribute_path

_ENTRY_PARTS = {"type", "primary", "display", "$ref"}  # written with an entry, not alone
Key = tuple[str, str, str]  # (extension URN or "", attribute, sub-attribute or ""), lowercase


@dataclass(frozen=True, slots=True)
class Slot:
    """An attribute (or sub-attribute) of a resource type, and the entry type that selects
    it in a multi-valued attribute (`work` in `emails[type eq "work"].value`)."""

    ref: AttrRef
    value_type: str | None = None

    @property
    def key(self) -> Key:
        """What rules name: the attribute and sub-attribute, whatever the entry type."""
        sub = self.ref.sub_attribute
        return ((self.ref.extension or "").lower(), self.ref.attribute.name.lower(),
                sub.name.lower() if sub is not None else "")

    @property
    def place(self) -> tuple[str, str, str, str]:
        """What a mapping row fills: the key and the entry type."""
        return (*self.key, (self.value_type or "").lower())

    @property
    def target(self) -> str:
        """The mapping target: `name.givenName`, `emails[type eq "work"].value`,
        `urn:...:emailAliases`, or a whole attribute (`roles`)."""
        prefix = f"{self.ref.extension}:" if self.ref.extension else ""
        name = prefix + self.ref.attribute.name
        sub = self.ref.sub_attribute
        if sub is None:
            return name
        if self.value_type is not None:
            return f'{name}[type eq "{self.value_type}"].{sub.name}'
        return f"{name}.{sub.name}"


def written_slot(written: str, schema: ResourceSchema) -> Slot | None:
    """The attribute a profile's entry names, as written, or None when the schema lacks it
    or the entry is no attribute path."""
    try:
        node = parse_attribute_path(written)
    except ScimError:
        return None
    value_type = None
    if isinstance(node, Present):
        path, sub = node.path, node.path.sub
    elif isinstance(node, ValuePath) and isinstance(node.filter, And) \
            and isinstance(node.filter.right, Present):
        path, sub = node.path, node.filter.right.path.attr
        test = node.filter.left
        if isinstance(test, Compare) and test.path.attr.lower() == "type" \
                and isinstance(test.value, str):
            value_type = test.value
    else:
        return None
    ref = schema.resolve(path.attr, sub, path.urn)
    return Slot(ref, value_type) if ref is not None else None


def mapping_slot(written: str, schema: ResourceSchema) -> Slot | None:
    """The slot a mapping row fills for what the profile names; None when no row should
    (a read-only attribute, or a part that comes with an entry such as `emails.type`)."""
    slot = written_slot(written, schema)
    if slot is None:
        return None
    attribute, sub = slot.ref.attribute, slot.ref.sub_attribute
    if attribute.mutability == "readOnly" or (sub is not None and sub.mutability == "readOnly"):
        return None
    if not (attribute.is_complex and attribute.multi_valued):
        return slot
    if sub is not None and sub.name.lower() in _ENTRY_PARTS:
        return None
    entry_type = slot.value_type or _first_type(attribute)
    chosen = sub or attribute.sub("value")
    if entry_type is None or chosen is None:
        return Slot(AttrRef(slot.ref.extension, attribute))  # the whole attribute
    return Slot(AttrRef(slot.ref.extension, attribute, chosen), entry_type)


def _first_type(attribute: Attribute) -> str | None:
    kind = attribute.sub("type")
    if kind is None or not kind.canonical_values:
        return None
    return "work" if "work" in kind.canonical_values else kind.canonical_values[0]


def value_shape(slot: Slot, rules_at: dict[Key, ValueRules]) -> ValueShape:
    """The values the slot takes, with the rules that constrain them."""
    attribute, sub = slot.ref.attribute, slot.ref.sub_attribute
    if sub is not None:
        return ValueShape(sub.name, sub.type, sub.multi_valued, rules_for(slot.key, rules_at),
                          hints=_hints(attribute, sub))
    if not attribute.is_complex:
        return ValueShape(attribute.name, attribute.type, attribute.multi_valued,
                          rules_for(slot.key, rules_at))
    return ValueShape(attribute.name, "complex", attribute.multi_valued,
                      subs=_entry_shapes(slot, rules_at))


def _entry_shapes(slot: Slot, rules_at: dict[Key, ValueRules]) -> tuple[ValueShape, ...]:
    """The sub-attributes a whole complex value is written with: for an entry with a
    `value` (a role), the value, type and primary flag (and any required part); for one
    without (an address, a custom contact), all of its writable parts."""
    attribute = slot.ref.attribute
    writable = [s for s in attribute.sub_attributes
                if s.mutability != "readOnly" and s.name != "$ref"]
    chosen = [s for s in writable if s.name.lower() != "display"]
    if attribute.sub("value") is not None:
        chosen = [s for s in chosen
                  if s.required or s.name.lower() in ("value", "type", "primary")]
    shapes = []
    for sub in chosen:
        key = (*slot.key[:2], sub.name.lower())
        if sub.name.lower() == "type":
            if sub.canonical_values:
                shapes.append(ValueShape(sub.name, canonical=_first_type(attribute)))
            continue
        shapes.append(ValueShape(sub.name, sub.type, sub.multi_valued,
                                 rules_for(key, rules_at), hints=_hints(attribute, sub)))
    return tuple(shapes)


def _hints(attribute: Attribute, sub: Attribute) -> tuple[str, ...]:
    """A `value` says what it is by its attribute's name (`phoneNumbers`); another part by
    its own name first (`locality`), then by its attribute's (`addresses`)."""
    if sub.name.lower() == "value":
        return (attribute.name,)
    return (sub.name, attribute.name)


def rules_for(key: Key, rules_at: dict[Key, ValueRules]) -> ValueRules:
    """The rules on a key; a `value` also takes those on its whole attribute (`roles`)."""
    own = rules_at.get(key, ValueRules())
    whole = rules_at.get((*key[:2], ""), ValueRules()) if key[2] == "value" else ValueRules()
    return merge_rules(own, whole)


def merge_rules(first: ValueRules, second: ValueRules) -> ValueRules:
    """Both sets of rules at once (the shorter maximum length, the first allowed list)."""
    lengths = [n for n in (first.max_length, second.max_length) if n is not None]
    return ValueRules(formats=first.formats | second.formats,
                      allowed=first.allowed or second.allowed,
                      max_length=min(lengths) if lengths else None,
                      lowercase=first.lowercase or second.lowercase,
                      unique=first.unique or second.unique,
                      single=first.single or second.single)
