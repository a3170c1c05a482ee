"""SCIM filters and PATCH paths: one grammar for the engine, the Entra client and test helpers.

`syntax` holds the tree, `parser` reads text into it, `compiler` turns a tree into a predicate
against a schema. Callers import from here.
"""

from sandbox.scim.filter.compiler import Predicate, compile_filter, values_at
from sandbox.scim.filter.parser import MAX_DEPTH, parse_attribute_path, parse_filter, parse_path
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
    leaves,
    referenced_attributes,
    written_path,
)

__all__ = [
    "COMPARE_OPS",
    "MAX_DEPTH",
    "And",
    "AttrPath",
    "Compare",
    "Node",
    "Not",
    "Or",
    "PatchPath",
    "Predicate",
    "Present",
    "ValuePath",
    "compile_filter",
    "leaves",
    "parse_attribute_path",
    "parse_filter",
    "parse_path",
    "referenced_attributes",
    "values_at",
    "written_path",
]
