"""Checks a record against `record.schema.json` with no third-party validator.

The record schema uses a small part of JSON Schema (type, enum, const, pattern, required,
properties, additionalProperties: false, items, local $ref); this reads exactly that part so
the command line validates what it writes without another dependency. The tests check the
same records with the `jsonschema` library as well.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


@cache
def record_schema() -> dict:
    """The gallery record schema shipped beside this module."""
    text = resources.files(__package__).joinpath("record.schema.json").read_text("utf-8")
    return json.loads(text)


def _is_type(value: object, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[name])


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        node: object = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]  # type: ignore[index]
        schema = node  # type: ignore[assignment]
    return schema


def _check(value: object, schema: dict, root: dict, where: str) -> list[str]:
    schema = _resolve(schema, root)
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(_is_type(value, name) for name in names):
            return [f"{where}: should be {' or '.join(names)}"]
    if "const" in schema and value != schema["const"]:
        return [f"{where}: should be {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        return [f"{where}: {value!r} does not match {schema['pattern']}"]
    errors: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [f"{where}: missing {key!r}" for key in schema.get("required", [])
                   if key not in value]
        for key, item in value.items():
            if key in properties:
                errors += _check(item, properties[key], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unexpected {key!r}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += _check(item, schema["items"], root, f"{where}[{index}]")
    return errors


def schema_errors(record: dict) -> list[str]:
    """What makes `record` invalid against the record schema (empty when it is valid)."""
    schema = record_schema()
    return _check(record, schema, schema, "record")
