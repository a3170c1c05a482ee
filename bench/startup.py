"""Start-up costs: `import sandbox`, `create_app()` and a fresh tenant, each in a new process;
and what the gallery's apps cost when first used: a first request to one, a first listing.

`create_app()` serves the whole catalog (the core profiles and every Entra gallery app): it
knows every vendor id and builds a gallery app's profile on its first use.

Prints a table and a final JSON line. Figures are medians of several runs, and each is shown
beside a baseline measured in the same run (`import flask` and a bare `Flask()` app), since
absolute times vary several-fold between machines.

    python bench/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

# An app with no demo tenants and a known admin token, and its test client.
_APP = ("from sandbox import create_app; app = create_app({'demo_tenants': False, "
        "'admin_token': 'admin-token'}); c = app.test_client(); ")

SNIPPETS = {
    "import flask (baseline)": ("", "import flask"),
    "import sandbox": ("", "import sandbox"),
    "import sandbox.app (all app code)": ("", "import sandbox.app"),
    "Flask() app (baseline)": ("import flask", "flask.Flask('x')"),
    "create_app()": ("from sandbox import create_app; import sandbox.app",
                     "create_app({'demo_tenants': False})"),
    "create_app() with demo tenants": ("from sandbox import create_app; import sandbox.app",
                                       "create_app()"),
    "create_app() again in the same process": (
        "from sandbox import create_app; create_app({'demo_tenants': False})",
        "create_app({'demo_tenants': False})",
    ),
    "fresh tenant (in process)": (
        "from sandbox import create_app; app = create_app({'demo_tenants': False}); "
        "s = app.extensions['scim_sandbox']",
        "s.create_tenant('generic')",
    ),
    "first request to a gallery vendor": (
        _APP + "s = app.extensions['scim_sandbox']",
        "tenant = s.create_tenant('asana'); "
        "c.get(tenant.path + '/Users', headers={'Authorization': 'Bearer ' + tenant.token})",
    ),
    "GET /_sandbox/vendors, first (every vendor)": (
        _APP, "c.get('/_sandbox/vendors', headers={'Authorization': 'Bearer admin-token'})",
    ),
    "GET /_sandbox/vendors, again": (
        _APP + "c.get('/_sandbox/vendors', headers={'Authorization': 'Bearer admin-token'})",
        "c.get('/_sandbox/vendors', headers={'Authorization': 'Bearer admin-token'})",
    ),
    "GET /_sandbox/vendors?q=git, first": (
        _APP, "c.get('/_sandbox/vendors?q=git', "
              "headers={'Authorization': 'Bearer admin-token'})",
    ),
}

PROGRAM = """
import time
{setup}
t = time.perf_counter()
{stmt}
print(time.perf_counter() - t)
"""


def measure(setup: str, stmt: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PROGRAM.format(setup=setup, stmt=stmt)],
                             check=True, capture_output=True, text=True).stdout
        times.append(float(out.strip().splitlines()[-1]) * 1000)
    return statistics.median(times)


def serve_startup(runs: int) -> float:
    """Median ms from launching `scim-sandbox serve` to its first healthy answer."""
    import socket
    import time
    import urllib.request

    times = []
    for _ in range(runs):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "sandbox", "serve", "--port",
                                    str(port)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/health",
                                                timeout=1):
                        break
                except OSError:
                    time.sleep(0.005)
            times.append((time.perf_counter() - started) * 1000)
        finally:
            process.terminate()
            process.wait(timeout=10)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (median kept)")
    args = parser.parse_args()
    results = {name: measure(setup, stmt, args.runs) for name, (setup, stmt) in SNIPPETS.items()}
    results["scim-sandbox serve to first healthy answer"] = serve_startup(args.runs)
    ratios = {
        "import sandbox / import flask":
            results["import sandbox"] / results["import flask (baseline)"],
        "import app code / import flask":
            results["import sandbox.app (all app code)"] / results["import flask (baseline)"],
        "create_app() / Flask()": results["create_app()"] / results["Flask() app (baseline)"],
        "serve start-up / import flask":
            results["scim-sandbox serve to first healthy answer"]
            / results["import flask (baseline)"],
    }
    print(f"{'measure':<42} {'median ms':>10}")
    for name, value in results.items():
        print(f"{name:<42} {value:>10.2f}")
    for name, value in ratios.items():
        print(f"{name:<42} {value:>9.2f}x")
    print(json.dumps({"ms": {k: round(v, 3) for k, v in results.items()},
                      "ratios": {k: round(v, 3) for k, v in ratios.items()}}))


if __name__ == "__main__":
    main()
