"""PDF copies of ``report.html`` and the fiches, printed by headless Chromium.

The HTML pages are the reports; a PDF is their printout, for the bureau's papers. Printing needs
a Chromium (``$CHROMIUM``, ``chromium`` or ``chromium-browser`` on the PATH; Debian's package
``chromium``), so PDFs are made only when asked for (``optimiser run --pdf``, or
:func:`print_result` on a result folder), and a machine without Chromium still gets its reports.

Every page of a folder is printed by ONE headless Chromium (:mod:`.chromium`), each in a fresh
tab: starting the browser costs about 2 CPU-seconds and printing a fiche under one, so the 66
pages of a 65-commune EPCI no longer start 66 browsers. A page is printed once its load event
has fired, with ``Page.printToPDF`` and the settings of ``chromium --headless --print-to-pdf``
(backgrounds printed, the page's own ``@page`` size and margins — A4 — and no header or footer
line): the PDFs are those that command writes, byte for byte except their creation date.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, Problem
from .chromium import Chromium, ChromiumError, find_chromium

__all__ = ["INSTALL_HINT", "find_chromium", "print_pages", "print_pdf", "print_result"]

INSTALL_HINT = "install Chromium (Debian: sudo apt-get install -y chromium) or set $CHROMIUM to its path"

#: ``chromium --headless --print-to-pdf --no-pdf-header-footer``'s settings.
PRINT_SETTINGS = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False}


def _executable(chromium: str | None) -> str:
    chromium = chromium or find_chromium()
    if chromium is None:
        raise InputError([Problem("--pdf", "", "needs Chromium to print the reports, and none was found",
                                  show_value=False, hint=INSTALL_HINT)])
    return chromium


def print_pages(pages: Iterable[tuple[Path, Path]], chromium: str | None = None, browser: Chromium | None = None,
                timeout_s: float = 60.0) -> list[Path]:
    """Print each HTML file ``page`` of ``pages`` (pairs ``(page, pdf)``) to its ``pdf``; return the
    PDFs' paths. One Chromium prints them all: ``browser`` if given (left running), else one
    started from the executable ``chromium`` (default: :func:`find_chromium`) and closed at the
    end. ``timeout_s`` bounds each page (load and print)."""
    pages = [(Path(page), Path(pdf)) for page, pdf in pages]
    if browser is None:
        executable = _executable(chromium)
        try:
            own = Chromium(executable)
        except ChromiumError as error:
            raise RuntimeError(f"Chromium ({executable}) could not start: {error}") from None
        with own:
            return print_pages(pages, browser=own, timeout_s=timeout_s)
    printed = []
    for page, pdf in pages:
        target, session = browser.open_tab()
        try:
            browser.navigate(session, page.absolute().as_uri(), timeout_s)
            data = browser.send("Page.printToPDF", PRINT_SETTINGS, session=session, timeout=timeout_s)["data"]
        except ChromiumError as error:
            raise RuntimeError(f"Chromium could not print {page}: {error}") from None
        finally:
            try:
                browser.close_tab(target, session)
            except ChromiumError:
                pass  # it exited: the error above says why
        pdf.write_bytes(base64.b64decode(data))
        printed.append(pdf)
    return printed


def print_pdf(page: Path, pdf: Path, chromium: str | None = None, timeout_s: float = 60.0) -> Path:
    """Print the HTML file ``page`` to ``pdf`` with headless Chromium; return ``pdf``."""
    return print_pages([(page, pdf)], chromium, timeout_s=timeout_s)[0]


def print_result(folder: Path, fiches: bool = True, chromium: str | None = None) -> list[Path]:
    """``report.pdf`` and, with ``fiches``, ``fiches/NNNNN.pdf`` next to their HTML pages, printed
    by one Chromium."""
    folder = Path(folder)
    pages = [folder / "report.html"]
    if fiches and (folder / "fiches").is_dir():
        pages += sorted(p for p in (folder / "fiches").glob("*.html") if p.name != "index.html")
    return print_pages([(page, page.with_suffix(".pdf")) for page in pages], chromium)
