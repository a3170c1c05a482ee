"""The `scim-sandbox` command: `serve`, `simulate`, `vendors` and `import-tutorial`, one module
each."""

from __future__ import annotations

import click

from sandbox import __version__
from sandbox.cli.import_tutorial import import_tutorial
from sandbox.cli.serve import serve
from sandbox.cli.simulate import simulate
from sandbox.cli.vendors import vendors

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(__version__, prog_name="scim-sandbox")
def main() -> None:
    """A local SCIM 2.0 sandbox emulating real vendors' provisioning endpoints."""


main.add_command(serve)
main.add_command(simulate)
main.add_command(vendors)
main.add_command(import_tutorial)
