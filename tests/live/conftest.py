"""Live-server tests: `server.py` beside this file starts real `scim-sandbox serve` processes."""
