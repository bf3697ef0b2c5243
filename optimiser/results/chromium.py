"""One headless Chromium process driven over the DevTools protocol, for many pages.

``chromium --remote-debugging-pipe`` speaks the DevTools protocol (JSON messages ending in a NUL
byte) on file descriptors 3 (commands in) and 4 (replies and events out); no browser-automation
dependency and no network port. One browser serves any number of pages: each page is a target
(tab) with its own session, and the events of each session are kept apart
(:attr:`Chromium.events`), so a page never sees another's.

Starting Chromium costs about 2 CPU-seconds (its browser, GPU-less compositor, zygote and utility
processes), far more than rendering a report or a fiche; a printout of a result folder
(``optimiser run --pdf``: the report and one fiche per commune) therefore starts it once, not
once per page. The machine running it may have no network and a report needs none: Chromium
starts with everything that phones home switched off, in a fresh profile removed on close.
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time

#: Headless, no sandbox (containers and CI run as root), nothing that reaches the network or
#: changes the profile behind the page's back.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--no-default-browser-check",
    "--remote-debugging-pipe",
]


def find_chromium() -> str | None:
    """Path of a Chromium executable (``$CHROMIUM``, ``chromium`` or ``chromium-browser`` on the
    PATH), or ``None``."""
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def lift_address_space_cap() -> None:
    """Raise this process's soft address-space limit (``ulimit -S -v``) to its hard limit.

    Chromium reserves terabytes of address space at start (V8's pointer cage, partition
    allocator pools) without using them; under a soft cap it exits at once with no message.
    A soft cap is a process's own choice, such as a test guarding against a runaway read or a
    run limiting its solver, and is inherited by the Chromium it starts: lifting it in the child
    only lets the browser start. A hard cap (set by the administrator) cannot be lifted and
    stays; ``ChromiumError`` then reports the exit."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


class ChromiumError(RuntimeError):
    """Chromium exited, refused a command or did not answer in time."""


class Chromium:
    """A headless Chromium process with a DevTools pipe; a context manager that closes it."""

    def __init__(self, executable: str):
        self.profile = tempfile.mkdtemp(prefix="optimiser-chromium-")
        commands_r, self._commands_w = os.pipe()
        self._replies_r, replies_w = os.pipe()

        def wire_pipes():  # in the child: commands on fd 3, replies on fd 4
            lift_address_space_cap()
            a = fcntl.fcntl(commands_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(replies_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        try:
            self.process = subprocess.Popen(
                [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                close_fds=False, preexec_fn=wire_pipes)
        except BaseException:
            for fd in (commands_r, replies_w, self._commands_w, self._replies_r):
                os.close(fd)
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        os.close(commands_r)
        os.close(replies_w)
        self._next_id = 0
        self._messages: queue.Queue = queue.Queue()
        self._replies: dict[int, dict] = {}
        #: Events by session id, in arrival order, for every session opened by :meth:`open_tab`.
        self.events: dict[str, list[dict]] = {}
        self._stderr: list[str] = []
        threading.Thread(target=self._read_replies, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        try:
            self.version = self.send("Browser.getVersion")["product"]
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read_replies(self) -> None:
        buffer = b""
        with os.fdopen(self._replies_r, "rb", buffering=0) as stream:
            while chunk := stream.read(1 << 20):
                buffer += chunk
                if b"\0" in chunk:
                    *messages, buffer = buffer.split(b"\0")
                    for message in messages:
                        self._messages.put(json.loads(message))
        self._messages.put(None)

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            self._stderr.append(line.decode(errors="replace").rstrip())

    def pump(self, timeout: float) -> None:
        """Wait up to ``timeout`` s for a message, then route it and every message already
        waiting to the replies and the sessions' event lists."""
        try:
            message = self._messages.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return
        while True:
            if message is None:
                self._messages.put(None)  # every later call sees the exit too
                raise ChromiumError("Chromium exited:\n" + "\n".join(self._stderr[-20:]))
            if "id" in message:
                self._replies[message["id"]] = message
            elif message.get("sessionId") in self.events:
                self.events[message["sessionId"]].append(message)
            try:
                message = self._messages.get_nowait()
            except queue.Empty:
                return

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30.0) -> dict:
        """Send a command (to a page's ``session``, or to the browser) and return its result."""
        self._next_id += 1
        ident = self._next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._commands_w, json.dumps(message).encode() + b"\0")
        except OSError as error:
            raise ChromiumError(f"Chromium is gone ({error}):\n" + "\n".join(self._stderr[-20:])) from None
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            if time.monotonic() > deadline:
                raise ChromiumError(f"Chromium did not answer {method} within {timeout:g} s")
            self.pump(0.05)
        reply = self._replies.pop(ident)
        if "error" in reply:
            raise ChromiumError(f"{method} failed: {reply['error']}")
        return reply.get("result", {})

    def open_tab(self, domains: tuple[str, ...] = ("Page",)) -> tuple[str, str]:
        """A fresh blank tab with the events of ``domains`` switched on: ``(target, session)``."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.events[session] = []
        for domain in domains:
            self.send(f"{domain}.enable", session=session)
        if "Page" in domains:  # load events that name their navigation (see navigate)
            self.send("Page.setLifecycleEventsEnabled", {"enabled": True}, session=session)
        return target, session

    def close_tab(self, target: str, session: str | None = None) -> None:
        self.send("Target.closeTarget", {"targetId": target})
        if session is not None:
            self.events.pop(session, None)

    def wait_for(self, session: str, method: str, timeout: float, **params) -> dict:
        """The first event ``method`` of ``session`` whose parameters include ``params`` (removed
        from its list), waiting up to ``timeout`` s for it."""
        events = self.events[session]
        deadline = time.monotonic() + timeout
        while True:
            for event in events:
                if event["method"] == method and all(event["params"].get(k) == v for k, v in params.items()):
                    events.remove(event)
                    return event
            if time.monotonic() > deadline:
                raise ChromiumError(f"no {method} within {timeout:g} s")
            self.pump(min(0.05, max(deadline - time.monotonic(), 0.0)))

    def navigate(self, session: str, url: str, timeout: float = 30.0) -> None:
        """Load ``url`` in the tab of ``session`` (opened by :meth:`open_tab`) and wait for its
        load event: the ``load`` lifecycle event of this navigation's loader, so a late event of
        the blank page the tab opened with is never taken for it."""
        done = self.send("Page.navigate", {"url": url}, session=session)
        if done.get("errorText"):
            raise ChromiumError(f"Chromium could not open {url}: {done['errorText']}")
        self.wait_for(session, "Page.lifecycleEvent", timeout, name="load", loaderId=done["loaderId"])

    def close(self) -> None:
        """Quit Chromium (killed if it does not quit within 10 s) and remove its profile."""
        if self.process.poll() is None:
            try:
                self.send("Browser.close", timeout=5)
            except ChromiumError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        try:
            os.close(self._commands_w)
        except OSError:
            pass
        shutil.rmtree(self.profile, ignore_errors=True)
