"""The two local HTTP servers: every function of main.py, and the static web/ folder.

Functions are served at /<name>, the same path shape as a deployed Cloud Function's
URL, each built by functions_framework.create_app exactly as ``functions-framework
--target=<name>`` would build it; so what runs locally is what runs deployed, and a
new function in main.py appears without touching this file.
"""

from __future__ import annotations

import errno
import inspect
import json
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.security import safe_join
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.utils import redirect, send_file
from werkzeug.wrappers import Request, Response

from devstack.emulators import PROJECT

FUNCTIONS_DIR = Path(__file__).resolve().parents[1]
MAIN = FUNCTIONS_DIR / "main.py"
WEB = FUNCTIONS_DIR.parent / "web"
HOST = "127.0.0.1"

# Explicit, because mimetypes depends on the machine's /etc/mime.types and Python's
# version ("application/javascript" before 3.12), and a module script served with a
# wrong type is refused by the browser. Werkzeug adds "; charset=utf-8" to text types.
CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain",
    ".xml": "application/xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


def function_names(source: Path = MAIN) -> list[str]:
    """The HTTP functions of main.py, in the order they are defined.

    Loaded the way the framework loads the file; a function is one of main.py's names
    bound to what ``functions_framework.http`` made (it keeps the handler it wraps). The
    framework's registry cannot tell: it is keyed by the wrapped handler's own name.
    """
    from functions_framework import _function_registry as registry

    module, spec = registry.load_function_module(str(source))
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return [
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value) and hasattr(value, "__wrapped__")
    ]


def functions_app(
    source: Path = MAIN, after_write: Callable[[], None] | None = None
) -> WSGIApplication:
    """Every HTTP function at /<name> (and /<name>/...), an index at /, JSON 404s.

    after_write, when given, runs after each write request and before its answer is
    sent: `dev` saves the emulators' data there, so what was acknowledged is on disk.
    """
    import functions_framework

    names = function_names(source)
    mounts: dict[str, WSGIApplication] = {
        f"/{name}": _Rooted(functions_framework.create_app(target=name, source=str(source)))
        for name in names
    }
    app = DispatcherMiddleware(_FunctionsIndex(names), mounts)
    return _AfterWrite(app, after_write) if after_write else app


@dataclass(frozen=True)
class _AfterWrite:
    """Holds a write request's answer until after_write returned, and runs it again once
    what the function does after answering is done.

    Werkzeug sends the status line and headers with the first chunk of the body, so the
    body is read whole here (an answer of the functions is small), then after_write runs
    (the save: what is acknowledged is on disk), then the answer goes out. What the
    function does after answering (``Reply.after``: the router giving a new lead its
    rep) runs when the server closes the answer, so the visitor never waits for it, and
    after_write runs once more after it, so its writes are saved too. GET, HEAD and
    OPTIONS are answered as they are.
    """

    app: WSGIApplication
    after_write: Callable[[], None]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD", "OPTIONS"):
            return body
        try:
            chunks = list(body)
        except BaseException:
            _close(body)
            raise
        self.after_write()
        return _ThenClose(chunks, body, self.after_write)


class _ThenClose(list[bytes]):
    """The answer's chunks; closing it (the server does, once they are sent) closes the
    function's own answer, then runs after_write."""

    def __init__(
        self, chunks: list[bytes], body: Iterable[bytes], after: Callable[[], None]
    ) -> None:
        super().__init__(chunks)
        self._body = body
        self._after = after

    def close(self) -> None:
        try:
            _close(self._body)
        finally:
            self._after()


def _close(body: Iterable[bytes]) -> None:
    close = getattr(body, "close", None)
    if close is not None:
        close()


@dataclass(frozen=True)
class _Rooted:
    """/intake reaches the function as "/", as a deployed function's bare URL does.

    The dispatcher leaves an empty path there, which Flask would answer with a redirect
    to /intake/: a form post would then be re-sent to another URL, or lost.
    """

    app: WSGIApplication

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not environ.get("PATH_INFO"):
            environ["PATH_INFO"] = "/"
        return self.app(environ, start_response)


@dataclass(frozen=True)
class _FunctionsIndex:
    """What answers outside every function: a list at / and a JSON 404 elsewhere."""

    names: list[str]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        base = request.host_url.rstrip("/")
        if request.path == "/" and request.method in ("GET", "HEAD"):
            body = {"functions": [{"name": name, "url": f"{base}/{name}"} for name in self.names]}
            return _json(body, 200)(environ, start_response)
        listed = ", ".join(f"/{name}" for name in self.names)
        body = {
            "error": "not_found",
            "message": f"No function at {request.path}. Functions: {listed}.",
        }
        return _json(body, 404)(environ, start_response)


def _json(body: Mapping[str, Any], status: int) -> Response:
    response = Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@dataclass(frozen=True)
class StaticSite:
    """web/ as a static site; web/dist/ (the built admin page) wins where it has a file.

    Paths are checked segment by segment before touching the disk, and the final file
    must still lie inside its root once symlinks are resolved, so no URL (encoded or
    not) can reach a file outside web/. Dot-files are never served.
    """

    roots: tuple[Path, ...]
    functions_url: str
    # What /config.json answers while the stack runs on emulators (runtime_config);
    # None in production shape, where the owner's static web/config.json is served.
    runtime_config: Mapping[str, Any] | None = None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        return self.respond(request)(environ, start_response)

    def respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            response = _text(405, "Method not allowed: this server only serves files.")
            response.headers["Allow"] = "GET, HEAD"
            return response
        if request.path == "/openapi.json":
            return self._openapi()
        if request.path == "/config.json" and self.runtime_config is not None:
            return _json(self.runtime_config, 200)
        found = self.find(request.path)
        if found is None and request.path == "/":
            return _text(404, "The admin page is not built yet. The demo site is at /site/.")
        if found is None:
            return _text(404, f"Not found: {request.path}")
        if found.is_dir():
            location = quote(request.script_root + request.path + "/")
            if request.query_string:
                location += "?" + request.query_string.decode("latin-1")
            return redirect(location, 302)
        response = send_file(
            found,
            request.environ,
            mimetype=content_type(found),
            conditional=True,
            etag=True,
            max_age=0,
        )
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    def find(self, path: str) -> Path | None:
        """The file for a URL path, or the directory when the URL lacks its final "/"."""
        segments = [segment for segment in path.split("/") if segment]
        if any(not _safe_segment(segment) for segment in segments):
            return None
        relative = "/".join(segments)
        for root in self.roots:
            if not root.is_dir():
                continue
            joined = safe_join(str(root), relative) if relative else str(root)
            if joined is None:
                return None
            candidate = Path(joined)
            if candidate.is_dir():
                if not path.endswith("/"):
                    return candidate if _inside(candidate, root) else None
                candidate = candidate / "index.html"
            if candidate.is_file() and _inside(candidate, root):
                return candidate
        return None

    def _openapi(self) -> Response:
        from hearth.web import openapi

        response = _json(openapi.document(server_url=self.functions_url), 200)
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response


def _safe_segment(segment: str) -> bool:
    return not (segment.startswith(".") or "\\" in segment or "\x00" in segment)


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _text(status: int, message: str) -> Response:
    response = Response(message + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def content_type(path: Path) -> str:
    import mimetypes

    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


TIME_ZONE = "Europe/Malta"


def runtime_config(
    functions_url: str,
    firestore: str | None = None,
    auth: str | None = None,
    time_zone: str | None = None,
    project: str | None = None,
    site_url: str | None = None,
) -> dict[str, Any] | None:
    """The admin page's Firebase web config for a stack running on the emulators.

    ``firestore`` and ``auth`` are the emulators' host:port as FIRESTORE_EMULATOR_HOST
    and FIREBASE_AUTH_EMULATOR_HOST name them. Without a Firestore emulator there is
    nothing local to describe: None, and /config.json is then the owner's static
    web/config.json (the real project's web config), like any other file. A "demo-"
    project id can never reach a real Firebase project, so nothing here is a secret.
    """
    if not firestore:
        return None
    project = project or PROJECT
    hosts: dict[str, str] = {"firestore": firestore}
    if auth:
        hosts["auth"] = auth if "://" in auth else f"http://{auth}"
    return {
        "projectId": project,
        "apiKey": "demo-api-key",
        "authDomain": f"{project}.firebaseapp.com",
        "emulators": hosts,
        "functionsBase": functions_url.rstrip("/"),
        "businessTimeZone": time_zone or TIME_ZONE,
        # Where booking links point (HEARTH_SITE_URL, as the functions use it).
        **({"siteUrl": site_url.rstrip("/")} if site_url else {}),
    }


def web_app(
    functions_url: str = f"http://{HOST}:5001",
    web_dir: Path = WEB,
    config: Mapping[str, Any] | None = None,
) -> WSGIApplication:
    """The admin page (web/dist/ once built, else web/), the demo site, openapi.json
    and, while the stack runs on emulators, /config.json (see runtime_config)."""
    return StaticSite(
        roots=(web_dir / "dist", web_dir), functions_url=functions_url, runtime_config=config
    )


class PortInUseError(OSError):
    """A server's port is taken; says which, so the caller can say what to do."""

    def __init__(self, port: int, server: str) -> None:
        super().__init__(errno.EADDRINUSE, f"Port {port} ({server} server) is already in use")
        self.port = port
        self.server = server


class RequestHandler(WSGIRequestHandler):
    """Request lines without colour codes (they go to a file); 5xx also to the terminal."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        line = self.requestline.translate(self._control_char_table)
        level = "warning" if str(code).startswith("5") else "info"
        self.log(level, '"%s" %s %s', line, code, size)


def log_requests_to(path: Path) -> None:
    """Request lines to a file, only problems to the terminal, so the URL map stays readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("werkzeug")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(message)s"))
    to_terminal = logging.StreamHandler(sys.stderr)
    to_terminal.setLevel(logging.WARNING)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.addHandler(to_file)
    logger.addHandler(to_terminal)


@dataclass
class Server:
    """One threaded werkzeug server in a background thread of this process."""

    name: str
    port: int
    app: WSGIApplication
    host: str = HOST
    _server: BaseWSGIServer | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def bind(self) -> None:
        """Take the port now, so a clash is known before anything slow is started.

        The socket is bound here rather than by werkzeug, which answers a clash by
        printing its own advice and calling sys.exit.
        """
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise PortInUseError(self.port, self.name) from exc
        try:
            self._server = make_server(
                self.host,
                self.port,
                self.app,
                threaded=True,
                request_handler=RequestHandler,
                fd=sock.fileno(),
            )
        finally:
            sock.close()  # werkzeug holds its own duplicate of the descriptor

    def start(self) -> None:
        if self._server is None:
            self.bind()
        assert self._server is not None
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"http-{self.name}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        self._server = None
        self._thread = None


def servers(
    functions_port: int,
    web_port: int,
    host: str = HOST,
    after_write: Callable[[], None] | None = None,
) -> tuple[Server, Server]:
    """The functions server and the web server, not yet bound (after_write: functions_app).

    The page's /config.json names the emulators this process was given
    (FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST) and this functions server.
    """
    functions = Server("functions", functions_port, functions_app(after_write=after_write), host)
    config = runtime_config(
        functions.url,
        firestore=os.environ.get("FIRESTORE_EMULATOR_HOST"),
        auth=os.environ.get("FIREBASE_AUTH_EMULATOR_HOST"),
        time_zone=os.environ.get("HEARTH_TIME_ZONE"),
        # The project the functions write to: the page must read the same data.
        project=os.environ.get("GOOGLE_CLOUD_PROJECT"),
        site_url=os.environ.get("HEARTH_SITE_URL"),
    )
    web = Server("web", web_port, web_app(functions_url=functions.url, config=config), host)
    return functions, web
