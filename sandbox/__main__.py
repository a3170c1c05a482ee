"""`python -m sandbox` is `scim-sandbox`."""

from sandbox.cli import main

main()
