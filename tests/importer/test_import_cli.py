"""`scim-sandbox import-tutorial TUTORIAL -o DIR`: writes DIR/<id>.json, prints what it found
and what it could not read; a problem is one `Error:` line and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from importer_support import FIXTURES, SEED_TUTORIALS, need_shared

from sandbox.cli import main

BRIGHTDESK = FIXTURES / "brightdesk-provisioning-tutorial.md"


def _run(*args: str):
    result = CliRunner().invoke(main, ["import-tutorial", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _one_error(result, *words: str) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    for word in words:
        assert word in errors[0]
    return errors[0]


def test_it_writes_the_record_named_by_the_file_and_says_what_it_found(tmp_path: Path):
    result = _run(str(BRIGHTDESK), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "brightdesk.json").read_text("utf-8"))
    assert record["id"] == "brightdesk" and record["app_name"] == "BrightDesk"
    out = result.stdout
    assert "user attributes   8 (table: parsed; filterable 2, required 4)" in out
    assert "groups            yes" in out
    assert "auth              bearer" in out and '"API Key"' in out
    assert "Tenant URL        fixed (https://api.brightdesk.example/scim/v2)" in out
    assert "rate_limit 1" in out and "other 1" in out
    assert "Could not read:" in out and "limitation 5 of 'Connector limitations'" in out


def test_a_screenshot_table_is_reported(tmp_path: Path):
    result = _run(str(FIXTURES / "lumenpay-provisioning-tutorial.md"), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "user attribute table: shown only as a screenshot" in result.stdout


def test_a_seed_copy_is_named_by_id_and_commit(tmp_path: Path):
    """Velpic tutorial (seed copy 000)."""
    seed = need_shared(SEED_TUTORIALS / "000_b26008139e5c4a80.txt")
    commit = "bdc671de841501632e3c36f31054146a866ea4ac"
    result = _run(str(seed), "--id", "velpic", "--commit", commit, "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "velpic.json").read_text("utf-8"))
    assert record["source"]["commit"] == commit
    assert record["source"]["path"] == "docs/identity/saas-apps/velpic-provisioning-tutorial.md"
    assert record["setup"]["menu_path"] == ["Manage", "Integration", "Plugin", "SCIM"]
    assert "source commit" not in result.stdout


def test_a_copy_without_an_id_asks_for_one(tmp_path: Path):
    copy = tmp_path / "007_0123456789abcdef.txt"
    copy.write_text(BRIGHTDESK.read_text("utf-8"), encoding="utf-8")
    _one_error(_run(str(copy), "-o", str(tmp_path)), "--id")
    assert not list(tmp_path.glob("*.json"))


@pytest.mark.parametrize("problem", ["missing", "not a tutorial", "not text", "bad commit",
                                     "output is a file"])
def test_a_problem_is_one_error_line_and_nothing_written(tmp_path: Path, problem: str):
    tutorial, out, extra = str(BRIGHTDESK), tmp_path / "out", []
    if problem == "missing":
        tutorial = str(tmp_path / "nowhere-provisioning-tutorial.md")
    elif problem == "not a tutorial":
        other = tmp_path / "notes.md"
        other.write_text("# Notes\n\nNothing about any app.\n", encoding="utf-8")
        tutorial = str(other)
    elif problem == "not text":
        binary = tmp_path / "blob.md"
        binary.write_bytes(b"\xff\xfe\x00\x81" * 50)
        tutorial = str(binary)
    elif problem == "bad commit":
        extra = ["--commit", "main"]
    else:
        out = tmp_path / "taken"
        out.write_text("a file", encoding="utf-8")
    _one_error(_run(tutorial, "-o", str(out), *extra))
    assert not list(tmp_path.rglob("*.json"))


def test_help_explains_the_command():
    result = CliRunner().invoke(main, ["import-tutorial", "--help"])
    assert result.exit_code == 0
    for words in ("<id>.json", "--id", "--commit", "screenshot", "other"):
        assert words in result.output
