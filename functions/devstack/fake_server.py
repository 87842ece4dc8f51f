"""What every local stand-in for an outside service shares: a real HTTP server on
loopback, started and stopped with the stack or a test.

Hearth's real client code talks to a stand-in unchanged (its base URL is configuration),
so what is tested is the code that runs against the real service; only the far end is
local. A subclass answers requests (``respond``); this class binds, serves and stops.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable
from typing import Self
from wsgiref.types import StartResponse, WSGIEnvironment

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from devstack.server import HOST, PortInUseError, RequestHandler


class FakeServer:
    """``Fake(port=0).start()`` (or ``with Fake() as fake``), then point the client at
    ``.url``. ``label`` names the service in errors and thread names."""

    label = "fake service"

    def __init__(self, port: int = 0, host: str = HOST) -> None:
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        """Bind (port 0 picks a free one, then ``.port`` tells which) and serve.

        The socket is bound here, as devstack.server does, because werkzeug answers a
        taken port with sys.exit; PortInUseError names the port instead.
        """
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
            sock.listen(128)
            self._server = make_server(
                self.host,
                self.port,
                self,
                threaded=True,
                request_handler=RequestHandler,
                fd=sock.fileno(),
            )
        except OSError as exc:
            raise PortInUseError(self.port, self.label) from exc
        finally:
            sock.close()  # werkzeug holds its own duplicate of the descriptor
        self.port = self._server.port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"http-{self.label}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server.server_close()
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.respond(Request(environ))(environ, start_response)

    def respond(self, request: Request) -> Response:
        raise NotImplementedError
