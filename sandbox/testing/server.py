"""A waitress server for one app on a free loopback port, in a daemon thread.

For clients under test that need a real URL (a subprocess, a library that opens its own
sockets). The OS picks the port (port 0), so parallel sessions, e.g. pytest-xdist workers,
never collide, and only 127.0.0.1 listens: nothing is reachable from another machine.
"""

from __future__ import annotations

import threading
from typing import Any

_THREADS = 4  # a test client rarely sends more requests at once
_STOP_TIMEOUT_SECONDS = 5.0


class LiveServer:
    """`LiveServer(app)` listens at once; `.url` is `http://127.0.0.1:<port>`; `.stop()`."""

    def __init__(self, app: Any, host: str = "127.0.0.1") -> None:
        from waitress.server import create_server  # only live sessions pay for waitress

        self._server: Any = create_server(app, host=host, port=0, threads=_THREADS,
                                     ident="scim-sandbox")
        self.host = host
        self.port: int = self._server.effective_port
        self._thread = threading.Thread(target=self._server.run, name="scim-sandbox-live",
                                        daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        """Close every socket and wait for the loop and worker threads to end.

        `server.close()` alone closes only the listening socket and the trigger; an open
        keep-alive connection would keep the loop running. So the sockets are closed inside
        the loop's own thread (a trigger callback, which waitress runs there), where that
        cannot race the `select` call. The trigger's pipe is closed last, from here, once no
        thread can pull it any more: a pull (ours, or a worker's after its last answer) on
        an already closed pipe would fail, or write into whatever reused its descriptor.
        """
        if not self._thread.is_alive():
            return
        from waitress import wasyncore

        server: Any = self._server
        trigger = server.trigger

        def close_sockets() -> None:
            try:
                for item in list(server._map.values()):
                    if item is server:
                        wasyncore.dispatcher.close(server)  # its close() shuts the trigger too
                    elif item is not trigger:
                        item.handle_close()  # also wakes a worker waiting to write to it
            finally:
                trigger.del_channel()  # nothing left to watch: the loop returns

        trigger.pull_trigger(close_sockets)
        self._thread.join(_STOP_TIMEOUT_SECONDS)
        server.task_dispatcher.shutdown(timeout=_STOP_TIMEOUT_SECONDS)
        trigger.close()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<LiveServer {self.url} {state}>"
