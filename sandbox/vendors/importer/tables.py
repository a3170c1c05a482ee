"""Attribute tables: Markdown pipe tables read cell by cell into the record's attribute rows.

The tutorials vary the shape: header cells ("Supported for filtering", "Filterable",
"Matching", "Required by <App>", "Mandatory"), marks (`&check;`, a check glyph, "Yes"),
rows with or without the outer pipes, and extra columns (notes, defaults) that we skip.
Names and types are kept exactly as printed, duplicate rows included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_TRUE_MARKS = {"&check;", "&#10003;", "&#x2713;", "✓", "✔", "✔️", "yes", "y", "x", "true",
               "required", "mandatory", "supported"}


@dataclass
class AttributeTable:
    """One attribute table: whose attributes it lists, its rows and which flags it has."""

    of: str  # "user" or "group"
    rows: list[dict]
    has_filter_column: bool
    has_required_column: bool


def split_row(line: str) -> list[str]:
    """A table row's cells; the outer pipes are optional, `\\|` is a pipe inside a cell."""
    body = line.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [c.strip().replace("\\|", "|") for c in cells]


def is_table_line(line: str) -> bool:
    """Whether a line can belong to a pipe table."""
    return "|" in line and not line.strip().startswith(("![", "```"))


def find_tables(lines: list[str]) -> list[tuple[int, list[list[str]]]]:
    """Every table in `lines` as (index of its header line, [header, row, ...])."""
    tables = []
    i = 0
    while i < len(lines) - 1:
        header, separator = lines[i], lines[i + 1].strip()
        if is_table_line(header) and _SEPARATOR.match(separator):
            rows = [split_row(header)]
            j = i + 2
            while j < len(lines) and lines[j].strip() and is_table_line(lines[j]):
                rows.append(split_row(lines[j]))
                j += 1
            tables.append((i, rows))
            i = j
        else:
            i += 1
    return tables


def cell_name(cell: str) -> str:
    """An attribute name as the page renders it: no code or bold marks, no escapes."""
    cell = cell.strip().strip("`").replace("**", "").replace("`", "")
    return re.sub(r"\\(.)", r"\1", cell).strip()


def mark(cell: str) -> bool:
    """Whether a flag cell is ticked; an empty cell or a stray sign is not."""
    return cell.strip().strip("*`").strip().lower() in _TRUE_MARKS


def _column(headers: list[str], *words: str) -> int | None:
    for index, header in enumerate(headers):
        if index and any(word in header for word in words):
            return index
    return None


def read_attribute_table(rows: list[list[str]], of: str) -> AttributeTable | None:
    """The table as attribute rows, or None when it is not an attribute table."""
    headers = [cell_name(h).lower() for h in rows[0]]
    if not headers or not re.search(r"attribute|name|property", headers[0]):
        return None
    type_at = _column(headers, "type")
    filter_at = _column(headers, "filter", "matching")
    required_at = _column(headers, "required", "mandatory")
    if type_at is None and filter_at is None and required_at is None:
        return None

    def cell(row: list[str], at: int | None) -> str:
        return row[at] if at is not None and at < len(row) else ""

    attributes = []
    for row in rows[1:]:
        name = cell_name(cell(row, 0))
        if not name:
            continue
        attributes.append({
            "name": name,
            "type": cell_name(cell(row, type_at)),
            "filterable": mark(cell(row, filter_at)) if filter_at is not None else None,
            "required": mark(cell(row, required_at)) if required_at is not None else None,
        })
    return AttributeTable(of, attributes, filter_at is not None, required_at is not None)
