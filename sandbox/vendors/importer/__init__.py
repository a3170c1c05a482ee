"""Reading a Microsoft Entra provisioning tutorial (Markdown) into a gallery record.

`import_tutorial(text, record_id)` returns the record and what could not be read;
`schema_errors(record)` checks it against the shipped copy of the record schema.
"""

from sandbox.vendors.importer.record import (
    ImportResult,
    NotATutorial,
    import_tutorial,
    record_id_for,
)
from sandbox.vendors.importer.schema_check import record_schema, schema_errors

__all__ = [
    "ImportResult",
    "NotATutorial",
    "import_tutorial",
    "record_id_for",
    "record_schema",
    "schema_errors",
]
