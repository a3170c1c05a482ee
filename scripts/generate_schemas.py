"""Write the RFC 7643 schema documents the engine ships, from scim2-models' definitions.

The engine reads these JSON files at run time instead of importing scim2-models, whose import
alone takes most of a second. `tests/scim/test_schema_data.py` fails when the files and the
pinned scim2-models disagree, so the copy cannot drift.

    python scripts/generate_schemas.py
"""

from __future__ import annotations

import json
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "sandbox" / "scim" / "schemas"


def standard_schemas() -> dict[str, dict]:
    """The core User, enterprise User and Group schemas as scim2-models defines them."""
    from scim2_models import EnterpriseUser, Group, User

    return {
        name: model.to_schema().model_dump(exclude_none=True, mode="json")
        for name, model in (("User", User), ("EnterpriseUser", EnterpriseUser), ("Group", Group))
    }


def main() -> None:
    for name, document in standard_schemas().items():
        path = TARGET / f"{name}.json"
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
