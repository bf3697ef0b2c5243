"""A headless Chromium driven over the DevTools protocol, for the HTML report tests.

No browser-automation dependency: Chromium's ``--remote-debugging-pipe`` speaks the DevTools
protocol (JSON messages ending in a NUL byte) on file descriptors 3 (commands in) and 4 (replies
and events out). One browser serves many pages; each page is a fresh target with its own
session, and every console message, uncaught exception and browser log entry (failed loads,
Content-Security-Policy violations) of that session is recorded so a test can assert there
were none.

The machine's network is closed and a report must need none: Chromium starts with everything
that phones home switched off, in a fresh profile.
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
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = ("Chromium is needed to test the HTML reports but was not found (looked for $CHROMIUM, chromium, "
                "chromium-browser). Install Debian's package: `sudo apt-get install -y chromium` "
                "(.ci/run installs it on CI).")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--no-default-browser-check",
    "--remote-debugging-pipe",
]


def find_chromium() -> str:
    """Path of the Chromium executable, or an AssertionError that says how to install it."""
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    raise AssertionError(INSTALL_HINT)


@dataclass
class Page:
    """One browser tab: evaluate JavaScript, send input, read what the console said."""

    browser: Browser
    session: str
    target: str
    events: list[dict] = field(default_factory=list)

    def send(self, method: str, **params) -> dict:
        return self.browser.send(method, params, session=self.session)

    def evaluate(self, expression: str):
        """Value of a JavaScript expression (JSON-serialisable); page exceptions fail the call."""
        reply = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in reply:
            raise AssertionError(f"JavaScript error in {expression!r}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def open(self, url: str, width: int = 1280, height: int = 900, timeout: float = 30.0) -> None:
        """Navigate and wait for the load event, at the given viewport size (CSS px)."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired", timeout)

    def wait_for(self, method: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event["method"] == method:
                    self.events.remove(event)
                    return event
            self.browser.pump(0.05)
        raise AssertionError(f"no {method} within {timeout:g} s")

    def mouse(self, kind: str, x: float, y: float) -> None:
        """A real pointer event at viewport coordinates (kind: moved, pressed, released)."""
        params = {"type": f"mouse{kind.capitalize()}", "x": x, "y": y}
        if kind in ("pressed", "released"):
            params.update(button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", **params)

    def key(self, key: str) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode={"Escape": 27, "Tab": 9}.get(key, 0))

    def problems(self, settle: float = 0.2) -> list[str]:
        """Console errors and warnings, uncaught exceptions and browser log errors so far
        (after waiting ``settle`` s for late messages)."""
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline:
            self.browser.pump(deadline - time.monotonic())
        out = []
        for event in self.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                out.append(f"console.{params['type']}: {text}")
            elif event["method"] == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                out.append(f"uncaught: {details.get('exception', {}).get('description') or details.get('text')}")
            elif event["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
                entry = params["entry"]
                out.append(f"log {entry['level']} ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
        return out

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})


class Browser:
    """A headless Chromium process with a DevTools pipe."""

    def __init__(self, executable: str | None = None):
        executable = executable or find_chromium()
        self.profile = tempfile.mkdtemp(prefix="optimiser-chromium-")
        commands_r, self._commands_w = os.pipe()
        self._replies_r, replies_w = os.pipe()

        def wire_pipes():  # in the child: commands on fd 3, replies on fd 4
            a = fcntl.fcntl(commands_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(replies_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            close_fds=False, preexec_fn=wire_pipes)
        os.close(commands_r)
        os.close(replies_w)
        self._next_id = 0
        self._messages: queue.Queue = queue.Queue()
        self._replies: dict[int, dict] = {}
        self._pages: dict[str, Page] = {}
        self._stderr: list[str] = []
        threading.Thread(target=self._read_replies, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.version = self.send("Browser.getVersion")["product"]

    def _read_replies(self) -> None:
        buffer = b""
        with os.fdopen(self._replies_r, "rb", buffering=0) as stream:
            while chunk := stream.read(65536):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for message in messages:
                    self._messages.put(json.loads(message))
        self._messages.put(None)

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            self._stderr.append(line.decode(errors="replace").rstrip())

    def pump(self, timeout: float) -> None:
        """Wait up to ``timeout`` s for a message, then route it and every message already
        waiting to the replies and the pages' event lists."""
        try:
            message = self._messages.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return
        while True:
            if message is None:
                raise AssertionError("Chromium exited:\n" + "\n".join(self._stderr[-20:]))
            if "id" in message:
                self._replies[message["id"]] = message
            elif message.get("sessionId") in self._pages:
                self._pages[message["sessionId"]].events.append(message)
            try:
                message = self._messages.get_nowait()
            except queue.Empty:
                return

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30.0) -> dict:
        self._next_id += 1
        ident = self._next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands_w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while ident not in self._replies:
            if time.monotonic() > deadline:
                raise AssertionError(f"Chromium did not answer {method} within {timeout:g} s")
            self.pump(0.05)
        reply = self._replies.pop(ident)
        if "error" in reply:
            raise AssertionError(f"{method} failed: {reply['error']}")
        return reply.get("result", {})

    def new_page(self) -> Page:
        """A fresh tab with console, exception and log reporting switched on."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, target)
        self._pages[session] = page
        for domain in ("Page", "Runtime", "Log"):
            page.send(f"{domain}.enable")
        return page

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except AssertionError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands_w)
        shutil.rmtree(self.profile, ignore_errors=True)


def file_url(path: Path) -> str:
    return Path(path).absolute().as_uri()
