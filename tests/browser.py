"""A headless Chromium for the HTML report tests: the product's DevTools client
(:class:`optimiser.results.chromium.Chromium`, the one that prints the PDFs) with pages a test can
drive and listen to.

Each page is a target with its own session, and every console message, uncaught exception and
browser log entry (failed loads, Content-Security-Policy violations) of that session is recorded
so a test can assert there were none. The tests share one tab (:meth:`Browser.page`), reset
between them. The same browser prints PDFs
(:func:`optimiser.results.pdf.print_pages`, ``browser=``), so the print test starts no second one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from optimiser.results.chromium import Chromium, ChromiumError
from optimiser.results.chromium import find_chromium as _find_chromium

INSTALL_HINT = ("Chromium is needed to test the HTML reports but was not found (looked for $CHROMIUM, chromium, "
                "chromium-browser). Install Debian's package: `sudo apt-get install -y chromium` "
                "(.ci/run installs it on CI).")


def find_chromium() -> str:
    """Path of the Chromium executable, or an AssertionError that says how to install it."""
    found = _find_chromium()
    if found is None:
        raise AssertionError(INSTALL_HINT)
    return found


@dataclass
class Page:
    """One browser tab: evaluate JavaScript, send input, read what the console said."""

    browser: Browser
    session: str
    target: str

    @property
    def events(self) -> list[dict]:
        return self.browser.events[self.session]

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
        self.browser.navigate(self.session, url, timeout)

    def wait_for(self, method: str, timeout: float) -> dict:
        return self.browser.wait_for(self.session, method, timeout)

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

    def reset(self) -> None:
        """Back to what a fresh tab is: no emulated media or screen size, a blank document (the
        last test's is unloaded, with its timers and listeners; a new document never hovers
        where the last one's pointer was, even once scrolled), and no event recorded
        (everything the last document said came before its unload, in order on the one pipe)."""
        self.send("Emulation.setEmulatedMedia", media="")
        self.send("Emulation.clearDeviceMetricsOverride")
        self.browser.navigate(self.session, "about:blank")
        self.events.clear()

    def close(self) -> None:
        self.browser.close_tab(self.target, self.session)


class Browser(Chromium):
    """The product's headless Chromium (its errors are :class:`ChromiumError`), with test pages."""

    def __init__(self, executable: str | None = None):
        super().__init__(executable or find_chromium())
        self._reused: Page | None = None

    def new_page(self) -> Page:
        """A fresh tab with console, exception and log reporting switched on."""
        target, session = self.open_tab(domains=("Page", "Runtime", "Log"))
        return Page(self, session, target)

    def page(self) -> Page:
        """The browser's one reused tab, :meth:`Page.reset` for a new test (a new one if the
        reset fails: a crashed or hung tab never passes its trouble on). Each test still loads its
        own document and sees only its console; what is saved is a tab's start and end, its
        renderer process's with it: about 0.7 CPU-s a test, 30-40 % of a short browser test."""
        if self._reused is not None:
            try:
                self._reused.reset()
                return self._reused
            except (ChromiumError, AssertionError):
                try:
                    self._reused.close()
                except ChromiumError:
                    pass
        self._reused = self.new_page()
        return self._reused


def file_url(path: Path) -> str:
    return Path(path).absolute().as_uri()
