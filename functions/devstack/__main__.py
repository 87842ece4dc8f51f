"""``python -m devstack``: the whole product on one machine.

    dev    the emulators, every function and the web pages, until Ctrl-C (make dev)
    serve  only the two HTTP servers, against the emulator FIRESTORE_EMULATOR_HOST names
    seed   sample data into a running emulator
    backup, restore   the running stack's data to a folder and back (make backup/restore)

Every port and the data folder can be moved with a flag or a HEARTH_DEV_* variable, so
a test (or a second checkout) can run a whole stack beside a developer's own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from devstack import emulators
from devstack.console import fail, say
from devstack.fake_calendar import FakeCalendar
from devstack.fake_smtp import FakeSmtp
from devstack.fake_whatsapp import FakeWhatsApp
from devstack.google_calendar import SyncLoop, connect_fake
from devstack.server import HOST, PortInUseError, Server, log_requests_to, servers

# Writes from another process (make users, make seed) are saved within this many seconds;
# the stack's own writes are saved before they are answered (Saver).
SAVE_FALLBACK_S = 10.0
# How long a write request waits for its save before it is answered anyway.
SAVE_WAIT_S = 10.0
PROGRESS_EVERY_S = 5.0
# The local WhatsApp webhook's app secret and verify token (make dev only; docs/messaging.md).
DEV_WHATSAPP_APP_SECRET = "hearth-local-whatsapp-app-secret"
DEV_WHATSAPP_VERIFY_TOKEN = "hearth-local-verify-token"


def _env_port(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _rel(path: Path) -> str:
    """A path as short as it can be shown: relative to the repository when inside it."""
    try:
        return f"{path.relative_to(emulators.ROOT)}/"
    except ValueError:
        return f"{path}/"


def _booking_links(web_port: int) -> None:
    """Confirmations link to this stack's demo site, in the demo studio's name."""
    os.environ.setdefault("HEARTH_SITE_URL", f"http://127.0.0.1:{web_port}")
    os.environ.setdefault("HEARTH_BUSINESS_NAME", "Studio Lumen")


def _default_origins(web_port: int) -> None:
    """Let the pages this stack serves post to its functions, whatever the web port."""
    if "HEARTH_ALLOWED_ORIGINS" in os.environ:
        return
    from hearth.config import DEFAULT_ORIGINS

    here = (f"http://127.0.0.1:{web_port}", f"http://localhost:{web_port}")
    os.environ["HEARTH_ALLOWED_ORIGINS"] = ",".join(dict.fromkeys((*DEFAULT_ORIGINS, *here)))


@contextmanager
def _signals_raise() -> Iterator[None]:
    """Ctrl-C and SIGTERM both end the stack as a KeyboardInterrupt in the main thread.

    SIGINT is set explicitly: a shell starts background jobs with it ignored, and
    Python keeps an inherited "ignore", which would make the stack unstoppable by it.
    """
    previous = {
        signum: signal.signal(signum, signal.default_int_handler)
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _ignore_signals_while_stopping() -> None:
    """A second Ctrl-C must not cut the shutdown short and leave emulators behind."""

    def patience(_signum: int, _frame: FrameType | None) -> None:
        print("Still stopping: saving data and ending the emulators…", file=sys.stderr)

    signal.signal(signal.SIGINT, patience)
    signal.signal(signal.SIGTERM, patience)


class Saver:
    """Keeps the saved data (.hearth-data/) up to date with what the stack acknowledged.

    A write request to the functions server asks for a save and is answered only once a
    save that began after its write is done (acknowledge): one export serves every
    request waiting, and locally it is cheap (~0.3 s for 20,000 documents). Writes made
    by another process (make users, make seed, make restore) cannot be seen from here:
    an export every FALLBACK_S catches them. Auth is saved only when its users changed.
    """

    def __init__(self, firestore: emulators.Firestore, fallback_s: float = SAVE_FALLBACK_S) -> None:
        self.firestore = firestore
        self.auth: emulators.Auth | None = None  # set once it has started (and imported)
        self.fallback_s = fallback_s
        self._lock = threading.Lock()
        self._state = threading.Condition()
        self._asked = 0
        self._done = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="save", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def watch_auth(self, auth: emulators.Auth) -> None:
        self.auth = auth
        self.changed()

    def changed(self) -> int:
        """Ask for a save; the number to wait for."""
        with self._state:
            self._asked += 1
            self._state.notify_all()
            return self._asked

    def acknowledge(self, timeout: float = SAVE_WAIT_S) -> None:
        """Return once what was written before this call is saved (or timeout passed)."""
        ticket = self.changed()
        with self._state:
            self._state.wait_for(lambda: self._done >= ticket or self._stopped, timeout)

    def _due(self) -> bool:
        return self._asked > self._done or self._stopped

    def _loop(self) -> None:
        while True:
            with self._state:
                self._state.wait_for(self._due, self.fallback_s)
                if self._stopped:
                    return
                target = self._asked
            try:
                self.save()
            except Exception as exc:  # a failed save must not end the stack
                print(f"Could not save the emulators' data: {exc}", file=sys.stderr, flush=True)
            with self._state:
                self._done = max(self._done, target)
                self._state.notify_all()

    def save(self) -> None:
        with self._lock:
            self.firestore.export()
            if self.auth is not None:
                self.auth.export()

    def stop(self) -> None:
        with self._state:
            self._stopped = True
            self._state.notify_all()
        if self._thread.is_alive():
            self._thread.join()


class WebBuild:
    """The admin page's build: `node web/build.mjs` (once) and `--watch` (a child).

    The page is bundled by esbuild from node_modules into web/dist/, which the web server
    serves first. Whatever is missing (node, node_modules, web/build.mjs) is said plainly
    and the stack runs on without the admin page: the demo site and the functions do not
    need it.
    """

    SCRIPT = emulators.ROOT / "web" / "build.mjs"
    NODE_MODULES = emulators.ROOT / "node_modules"

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def missing(self) -> str | None:
        """Why the page cannot be built here, or None when it can."""
        if shutil.which("node") is None:
            return "Admin page not built: node is not installed (Node 20+ is needed)."
        if not (self.NODE_MODULES / "esbuild").is_dir():
            return "Admin page not built: node_modules is missing; run `npm ci` (make dev does)."
        if not self.SCRIPT.is_file():
            return f"Admin page not built: {_rel(self.SCRIPT.parent)}build.mjs is missing."
        return None

    def argv(self, *extra: str) -> list[str]:
        node = shutil.which("node") or "node"
        return [node, str(self.SCRIPT), *extra]

    def build(self, timeout: float = 120) -> bool:
        """Build once; on failure print the build's own words and carry on."""
        why = self.missing()
        if why:
            say(why)
            return False
        began = time.monotonic()
        try:
            done = subprocess.run(
                self.argv(),
                cwd=emulators.ROOT,
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            say(f"Admin page build took over {timeout:.0f} s and was stopped.")
            return False
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            print(
                f"Admin page build failed (node web/build.mjs, exit {done.returncode}):\n{output}",
                file=sys.stderr,
                flush=True,
            )
            return False
        say(f"Admin page built into web/dist/ in {time.monotonic() - began:.1f} s")
        return True

    def watch(self) -> None:
        """`node web/build.mjs --watch` in its own process group, output to the log;
        lines that report an error also go to the terminal."""
        if self.missing():
            return
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self.argv("--watch"),
            cwd=emulators.ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self._reader = threading.Thread(
            target=self._copy, args=(self.process.stdout,), name="web-watch", daemon=True
        )
        self._reader.start()

    def _copy(self, stream: TextIO) -> None:
        with self.log_path.open("a", encoding="utf-8") as log:
            for line in stream:
                log.write(line)
                log.flush()
                if "error" in line.lower() or "✘" in line:
                    print(f"web build: {line.rstrip()}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if self._reader is not None:
            self._reader.join(timeout=2)


@dataclass
class DevStack:
    """What `dev` started, so that whatever happens everything is stopped again."""

    data_dir: Path
    firestore: emulators.Firestore | None = None  # None: an emulator someone else runs
    auth: emulators.Auth | None = None
    http: list[Server] = field(default_factory=list)
    web_build: WebBuild | None = None
    saver: Saver | None = None
    calendar: FakeCalendar | None = None  # None: a real calendar, or none (--no-calendar)
    whatsapp: FakeWhatsApp | None = None  # None: a real WhatsApp account, or none
    smtp: FakeSmtp | None = None  # None: a real SMTP server (HEARTH_SMTP_HOST), or none
    calendar_sync: SyncLoop | None = None
    starting: list[Future[None]] = field(default_factory=list)
    # Saved only once it answered: an emulator cut off while starting (and importing the
    # last save) could otherwise replace good saved data with a partial copy.
    firestore_ready: bool = False
    auth_ready: bool = False
    # What the URL map ends with: who to sign in as, or why there is nobody.
    sign_in: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.web_build:
            self.web_build.stop()
        for http in self.http:
            http.stop()
        if self.calendar_sync:
            self.calendar_sync.stop()
        if self.calendar:
            self.calendar.stop()
        if self.whatsapp:
            self.whatsapp.stop()
        if self.smtp:
            self.smtp.stop()
        if self.saver:
            self.saver.stop()
        self._save()
        self._stop_emulators()
        # An emulator still starting may have spawned after the stop above: wait for
        # its start to end (it fails fast once its process is gone), then stop again.
        wait(self.starting)
        self._stop_emulators()

    def acknowledge(self) -> None:
        """Called by the functions server after each write request, before it answers."""
        if self.saver:
            self.saver.acknowledge()

    def _save(self) -> None:
        """The last save, while both emulators still run (only those that finished starting:
        one cut off while importing the last save would replace it with less)."""
        for name, emulator, ready in (
            ("Firestore", self.firestore, self.firestore_ready),
            ("Auth", self.auth, self.auth_ready),
        ):
            if emulator and ready and emulator.process and emulator.process.alive():
                say(f"Saving {name} data to {_rel(emulator.data_dir or self.data_dir)}…")
                try:
                    emulator.export()
                except Exception as exc:
                    print(f"Could not save {name} data: {exc}", file=sys.stderr, flush=True)

    def _stop_emulators(self) -> None:
        stops: list[Callable[[], None]] = []
        if self.firestore:
            stops.append(self.firestore.stop)
        if self.auth:
            stops.append(self.auth.stop if self.auth_ready else self.auth.abort)
        stoppers = [threading.Thread(target=stop) for stop in stops]
        for thread in stoppers:
            thread.start()
        for thread in stoppers:
            thread.join()

    def dead_emulator(self) -> str | None:
        for name, emulator, log in (
            ("Firestore", self.firestore, "firestore.log"),
            ("Auth", self.auth, "auth.log"),
        ):
            if emulator and emulator.process and not emulator.process.alive():
                return f"The {name} emulator stopped unexpectedly; see {_rel(self.logs)}{log}"
        return None

    @property
    def logs(self) -> Path:
        return self.data_dir / "logs"


def dev(args: argparse.Namespace) -> int:
    data_dir: Path = args.data_dir.resolve()
    outside_firestore = os.environ.get("FIRESTORE_EMULATOR_HOST")
    outside_auth = os.environ.get("FIREBASE_AUTH_EMULATOR_HOST")
    ports = [("web server", args.web_port, "--web-port", "WEB")]
    ports.append(("functions server", args.functions_port, "--functions-port", "FUNCTIONS"))
    if not outside_firestore:
        ports.append(("Firestore emulator", args.firestore_port, "--firestore-port", "FIRESTORE"))
    if not outside_auth and not args.no_auth:
        ports.append(("Auth emulator", args.auth_port, "--auth-port", "AUTH"))
    if not args.no_calendar and not os.environ.get("HEARTH_GOOGLE_CALENDAR_ID"):
        ports.append(("fake Google Calendar", args.calendar_port, "--calendar-port", "CALENDAR"))
    if not args.no_whatsapp and not os.environ.get("HEARTH_WHATSAPP_TOKEN"):
        ports.append(("fake WhatsApp", args.whatsapp_port, "--whatsapp-port", "WHATSAPP"))
    if not args.no_email and not os.environ.get("HEARTH_SMTP_HOST"):
        ports.append(("local SMTP server", args.smtp_port, "--smtp-port", "SMTP"))
    for what, port, flag, env in ports:
        if emulators.port_open(HOST, port):
            return fail(_port_advice(port, what, flag, env))

    if args.fresh:
        for kind in ("firestore", "auth"):
            for suffix in ("", ".new", ".old"):
                shutil.rmtree(data_dir / f"{kind}{suffix}", ignore_errors=True)
        say(f"Starting fresh: removed the saved data in {_rel(data_dir)}")
    firestore_address = outside_firestore or f"{HOST}:{args.firestore_port}"
    os.environ["FIRESTORE_EMULATOR_HOST"] = firestore_address
    # Always the demo project: the emulators save only its data, and a "demo-" project
    # can never reach a real Google Cloud resource, whatever the shell has set.
    os.environ["GOOGLE_CLOUD_PROJECT"] = os.environ["HEARTH_PROJECT"] = emulators.PROJECT
    auth_address = outside_auth or (None if args.no_auth else f"{HOST}:{args.auth_port}")
    if auth_address:
        os.environ["FIREBASE_AUTH_EMULATOR_HOST"] = auth_address
    _default_origins(args.web_port)
    _booking_links(args.web_port)

    stack = DevStack(data_dir=data_dir)
    code = 0
    with _signals_raise():
        try:
            _start(stack, args, outside_firestore, outside_auth)
            _print_map(stack, firestore_address, auth_address)
            while not (dead := stack.dead_emulator()):
                time.sleep(0.5)
            code = fail(dead)
        except KeyboardInterrupt:
            pass
        except PortInUseError as exc:
            flag = f"--{exc.server}-port"
            code = fail(_port_advice(exc.port, f"{exc.server} server", flag, exc.server.upper()))
        except emulators.EmulatorError as exc:
            code = fail(str(exc))
        finally:
            _ignore_signals_while_stopping()
            say("Stopping Hearth…")
            stack.stop()
            say("Stopped.")
    return code


def _port_advice(port: int, what: str, flag: str, env: str) -> str:
    return (
        f"Port {port} ({what}) is already in use: stop what runs there (another "
        f"`make dev`?), or choose another port with {flag} or HEARTH_DEV_{env}_PORT."
    )


def _start(
    stack: DevStack,
    args: argparse.Namespace,
    outside_firestore: str | None,
    outside_auth: str | None,
) -> None:
    """HTTP servers first (a clash shows at once), the admin page built once and then
    watched, then both emulators side by side."""
    log_requests_to(stack.logs / "http.log")
    if not args.no_calendar:
        stack.calendar = connect_fake(args.calendar_port, stack.data_dir)
    if not args.no_whatsapp:
        stack.whatsapp = connect_whatsapp(args.whatsapp_port)
    if not args.no_email and not os.environ.get("HEARTH_SMTP_HOST"):
        stack.smtp = FakeSmtp(port=args.smtp_port, save_to=stack.logs / "mail").start()
        os.environ.update(stack.smtp.dev_env())
    for http in servers(args.functions_port, args.web_port, after_write=stack.acknowledge):
        http.bind()
        stack.http.append(http)
    stack.web_build = WebBuild(stack.logs / "web-build.log")
    stack.web_build.build()
    stack.web_build.watch()
    for http in stack.http:
        http.start()

    jobs: dict[Future[None], tuple[str, float]] = {}
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="emulator")

    def launch(label: str, emulator: Any) -> Any:
        say(f"Starting {label} on {emulator.address}…")
        jobs[executor.submit(emulator.start)] = (label, time.monotonic())
        return emulator

    if not outside_firestore:
        saved = emulators.recover(stack.data_dir / "firestore", _firestore_whole)
        stack.firestore = launch(
            "Firestore emulator",
            emulators.Firestore(
                port=args.firestore_port, data_dir=saved, log_path=stack.logs / "firestore.log"
            ),
        )
    if not outside_auth and not args.no_auth:
        saved = emulators.recover(stack.data_dir / "auth", _auth_whole)
        stack.auth = launch(
            "Auth emulator",
            emulators.Auth(port=args.auth_port, data_dir=saved, log_path=stack.logs / "auth.log"),
        )
    executor.shutdown(wait=False)
    stack.starting = list(jobs)

    if outside_firestore:
        _after_firestore(stack, args)
    pending = set(jobs)
    while pending:
        done, pending = wait(pending, timeout=PROGRESS_EVERY_S, return_when="FIRST_COMPLETED")
        for job in done:
            job.result()  # raises the emulator's error, if it failed
            what, began = jobs[job]
            say(f"  {what} ready in {time.monotonic() - began:.1f} s")
            if what.startswith("Firestore"):
                stack.firestore_ready = True
                _after_firestore(stack, args)
            else:
                stack.auth_ready = True
                if stack.saver and stack.auth:
                    stack.saver.watch_auth(stack.auth)
        if not done:
            for job in pending:
                what, began = jobs[job]
                say(f"  … still starting the {what} ({time.monotonic() - began:.0f} s)")
    _after_auth(stack, args)


def _firestore_whole(directory: Path) -> bool:
    return emulators.firestore_metadata(directory).is_file()


def _auth_whole(directory: Path) -> bool:
    return emulators.auth_metadata(directory).is_file()


def _after_firestore(stack: DevStack, args: argparse.Namespace) -> None:
    """Seeding and periodic saving, as soon as Firestore answers (Auth may still start)."""
    from hearth.store import client as db

    if stack.firestore is None and args.fresh:
        host, _, port = os.environ["FIRESTORE_EMULATOR_HOST"].rpartition(":")
        emulators.Firestore(host=host, port=int(port)).clear()
        say("Starting fresh: cleared the Firestore emulator at FIRESTORE_EMULATOR_HOST.")
    if args.seed:
        from devstack import seed

        db.reset()
        seed.seed(db.client())
    if stack.firestore is not None:
        stack.saver = Saver(stack.firestore)
        if stack.auth_ready and stack.auth:
            stack.saver.auth = stack.auth
        stack.saver.start()
        stack.saver.changed()  # saved right away: the seeding, and the import as it is now
    # Always: with --no-calendar its calendar pass does nothing, but the rollover is due.
    stack.calendar_sync = SyncLoop()
    stack.calendar_sync.start()


def _after_auth(stack: DevStack, args: argparse.Namespace) -> None:
    """The demo users, once both emulators answer (their team/ entries go to Firestore)."""
    if not os.environ.get("FIREBASE_AUTH_EMULATOR_HOST"):
        stack.sign_in = [f"  {'Sign in':<18}nobody: no users without the Auth emulator (--no-auth)"]
        return
    stack.sign_in = _demo_team(sample_staff=args.seed)
    if stack.saver:
        stack.saver.changed()  # the demo team (users and their team/ entries)


def _demo_team(*, sample_staff: bool) -> list[str]:
    """Make the demo users; a failure is reported but does not stop the stack."""
    from devstack import team
    from hearth.access import users

    try:
        return team.sign_in_lines(team.ensure(sample_staff=sample_staff, echo=say))
    except users.UsersError as exc:
        print(f"Could not create the demo users: {exc}", file=sys.stderr, flush=True)
        return [f"  {'Sign in':<18}no demo users (see the error above)"]


def _print_map(stack: DevStack, firestore: str, auth: str | None) -> None:
    functions, web = stack.http
    names = _function_names()
    if stack.firestore is None:
        firestore += "   (FIRESTORE_EMULATOR_HOST: not saved by Hearth)"
    lines = [
        "",
        f"Hearth is running (project {os.environ['GOOGLE_CLOUD_PROJECT']})",
        f"  Admin page        {web.url}/",
        f"  Demo site         {web.url}/site/",
        f"  Functions         {functions.url}/<name>   ({', '.join(names)})",
        f"  API description   {web.url}/openapi.json",
        f"  Firestore         {firestore}",
        f"  Auth emulator     {auth or 'off (--no-auth)'}",
        f"  Google Calendar   {_calendar_line(stack)}",
        f"  WhatsApp          {_whatsapp_line(stack)}",
        f"  E-mail            {_email_line(stack)}",
        f"  Data kept in      {_rel(stack.data_dir)} (delete it, or use --fresh, to start over)",
        f"  Logs              {_rel(stack.logs)}",
        f"  Admin page build  {_watching(stack.web_build)}",
        *stack.sign_in,
        "Press Ctrl-C to stop.",
    ]
    say("\n".join(lines))


def _calendar_line(stack: DevStack) -> str:
    if stack.calendar is not None:
        return f"local fake at {stack.calendar.url} (events: {stack.calendar.url}/_fake/events)"
    calendar_id = os.environ.get("HEARTH_GOOGLE_CALENDAR_ID")
    if calendar_id:
        return f"{calendar_id} (HEARTH_GOOGLE_CALENDAR_ID)"
    return "off (--no-calendar): bookings use the fallback video link"


def _whatsapp_line(stack: DevStack) -> str:
    if stack.whatsapp is not None:
        url = stack.whatsapp.url
        return f"local stand-in at {url} (sends: {url}/_fake/requests)"
    if os.environ.get("HEARTH_WHATSAPP_TOKEN"):
        number = os.environ.get("HEARTH_WHATSAPP_PHONE_NUMBER_ID", "?")
        return f"number {number} (HEARTH_WHATSAPP_TOKEN)"
    return "off (--no-whatsapp)"


def _email_line(stack: DevStack) -> str:
    if stack.smtp is not None:
        where = f"{stack.smtp.host}:{stack.smtp.port}"
        saved = _rel(stack.smtp.save_to) if stack.smtp.save_to else "memory"
        return f"local SMTP server at {where} (e-mails saved in {saved})"
    if os.environ.get("HEARTH_SMTP_HOST"):
        return f"{os.environ['HEARTH_SMTP_HOST']} (HEARTH_SMTP_HOST)"
    return "off (--no-email)"


def connect_whatsapp(port: int) -> FakeWhatsApp | None:
    """Start the stand-in of Meta's Graph API and point the functions at it, with a
    local app secret for the webhook (docs/messaging.md); None when a real account is
    configured."""
    if os.environ.get("HEARTH_WHATSAPP_TOKEN"):
        return None
    fake = FakeWhatsApp(port=port).start()
    os.environ.update(fake.dev_env())
    os.environ.setdefault("HEARTH_WHATSAPP_APP_SECRET", DEV_WHATSAPP_APP_SECRET)
    os.environ.setdefault("HEARTH_WHATSAPP_VERIFY_TOKEN", DEV_WHATSAPP_VERIFY_TOKEN)
    return fake


def _watching(build: WebBuild | None) -> str:
    if build is None or build.process is None:
        return (build.missing() if build else None) or "not watched (see the build error above)"
    return "rebuilt on every change to web/src/ (node web/build.mjs --watch)"


def _function_names() -> list[str]:
    from devstack.server import function_names

    return function_names()


def serve(args: argparse.Namespace) -> int:
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        return fail(
            "serve needs FIRESTORE_EMULATOR_HOST (host:port of a Firestore emulator); "
            "without it the functions would write to a real project."
        )
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", emulators.PROJECT)
    _default_origins(args.web_port)
    _booking_links(args.web_port)
    log_requests_to(args.data_dir.resolve() / "logs" / "http.log")
    functions, web = servers(args.functions_port, args.web_port)
    started: list[Server] = []
    with _signals_raise():
        try:
            for http in (functions, web):
                http.bind()
                started.append(http)
            for http in started:
                http.start()
            say(f"ready functions={functions.url} web={web.url}")
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        except PortInUseError as exc:
            return fail(f"{exc.strerror}: choose another with --{exc.server}-port.")
        finally:
            for http in started:
                http.stop()
    return 0


def seed(args: argparse.Namespace) -> int:
    address = os.environ.get("FIRESTORE_EMULATOR_HOST")
    if not address:
        if not emulators.port_open(HOST, args.firestore_port):
            return fail(
                f"No Firestore emulator on {HOST}:{args.firestore_port}: start the stack "
                "(make dev) or set FIRESTORE_EMULATOR_HOST."
            )
        address = os.environ["FIRESTORE_EMULATOR_HOST"] = f"{HOST}:{args.firestore_port}"
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", emulators.PROJECT)
    from devstack import seed as sample
    from hearth.store import client as db

    if args.fresh:
        host, _, port = address.rpartition(":")
        emulators.Firestore(host=host, port=int(port)).clear()
        say(f"Cleared the Firestore emulator at {address}.")
    sample.seed(db.client())
    # The seeded customers belong to the demo reps: make them too when Auth runs.
    if not os.environ.get("FIREBASE_AUTH_EMULATOR_HOST"):
        if not emulators.port_open(HOST, args.auth_port):
            say(f"Demo users skipped: no Auth emulator on {HOST}:{args.auth_port}.")
            return 0
        os.environ["FIREBASE_AUTH_EMULATOR_HOST"] = f"{HOST}:{args.auth_port}"
    lines = _demo_team(sample_staff=True)
    say("\n".join(lines))
    return 0


def parser() -> argparse.ArgumentParser:
    root = emulators.ROOT / ".hearth-data"
    main = argparse.ArgumentParser(
        prog="python -m devstack",
        description="Hearth on one machine: real emulators, every function, the web pages.",
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="command")

    def ports(command: argparse.ArgumentParser, *names: str) -> None:
        defaults = {
            "firestore": 8080,
            "auth": 9099,
            "functions": 5001,
            "web": 5000,
            "calendar": 5003,
            "whatsapp": 5004,
            "smtp": 5005,
        }
        for name in names:
            env = f"HEARTH_DEV_{name.upper()}_PORT"
            command.add_argument(
                f"--{name}-port",
                type=int,
                default=_env_port(env, defaults[name]),
                metavar="N",
                help=f"default {defaults[name]}, or ${env}",
            )

    def data(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--data-dir",
            type=Path,
            default=Path(os.environ.get("HEARTH_DEV_DATA_DIR") or root),
            help="saved emulator data and logs (default .hearth-data/, or $HEARTH_DEV_DATA_DIR)",
        )

    run = commands.add_parser("dev", help="run everything until Ctrl-C")
    run.add_argument("--seed", action="store_true", help="load sample data if there is none")
    run.add_argument("--fresh", action="store_true", help="discard saved data first")
    run.add_argument(
        "--no-auth", action="store_true", help="skip the Auth emulator (starts ~15 s sooner)"
    )
    run.add_argument(
        "--no-calendar",
        action="store_true",
        help="no Google Calendar (not even the local fake): bookings work without one",
    )
    run.add_argument(
        "--no-whatsapp",
        action="store_true",
        help="no WhatsApp (not even the local stand-in): everything else works without it",
    )
    run.add_argument(
        "--no-email",
        action="store_true",
        help="no outbound e-mail (not even the local SMTP server)",
    )
    ports(run, "firestore", "auth", "functions", "web", "calendar", "whatsapp", "smtp")
    data(run)
    run.set_defaults(run=dev)

    http = commands.add_parser("serve", help="only the HTTP servers (FIRESTORE_EMULATOR_HOST)")
    ports(http, "functions", "web")
    data(http)
    http.set_defaults(run=serve)

    sample = commands.add_parser("seed", help="load sample data into the running emulator")
    sample.add_argument("--fresh", action="store_true", help="clear the emulator first")
    ports(sample, "firestore", "auth")
    sample.set_defaults(run=seed)

    from devstack import backup

    save = commands.add_parser("backup", help="copy the running stack's data to a folder")
    save.add_argument(
        "dir", nargs="?", type=Path, help="where (default backups/<date-time>/); must not exist"
    )
    ports(save, "firestore", "auth")
    save.set_defaults(run=backup.backup)

    load = commands.add_parser("restore", help="replace the running stack's data by a backup")
    load.add_argument("dir", type=Path, help="a folder `backup` wrote")
    ports(load, "firestore", "auth")
    load.set_defaults(run=backup.restore)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except KeyboardInterrupt:  # before anything was started: nothing to stop
        return 0


if __name__ == "__main__":
    sys.exit(main())
