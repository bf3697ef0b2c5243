"""PDF copies of ``report.html`` and the fiches, printed by headless Chromium.

The HTML pages are the reports; a PDF is their printout, for the bureau's papers. Printing needs
a Chromium (``$CHROMIUM``, ``chromium`` or ``chromium-browser`` on the PATH; Debian's package
``chromium``), so PDFs are made only when asked for (``optimiser run --pdf``, or
:func:`print_result` on a result folder): printing the 65 fiches of an EPCI takes about a minute
and a machine without Chromium must still get its reports. Each page is printed by its own
``chromium --headless --print-to-pdf`` (A4 and margins come from the page's ``@page`` rule).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError, Problem

INSTALL_HINT = "install Chromium (Debian: sudo apt-get install -y chromium) or set $CHROMIUM to its path"


def find_chromium() -> str | None:
    """Path of a Chromium executable, or ``None``."""
    for candidate in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def print_pdf(page: Path, pdf: Path, chromium: str | None = None, timeout_s: float = 60.0) -> Path:
    """Print the HTML file ``page`` to ``pdf`` with headless Chromium; return ``pdf``."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise InputError([Problem("--pdf", "", "needs Chromium to print the reports, and none was found",
                                  show_value=False, hint=INSTALL_HINT)])
    with tempfile.TemporaryDirectory(prefix="optimiser-print-") as profile:
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
             "--disable-background-networking", f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={Path(pdf).absolute()}", Path(page).absolute().as_uri()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout_s)
    if done.returncode != 0 or not Path(pdf).is_file():
        raise RuntimeError(f"Chromium could not print {page}: {done.stderr.decode(errors='replace')[-500:]}")
    return Path(pdf)


def print_result(folder: Path, fiches: bool = True, chromium: str | None = None) -> list[Path]:
    """``report.pdf`` and, with ``fiches``, ``fiches/NNNNN.pdf`` next to their HTML pages."""
    folder = Path(folder)
    chromium = chromium or find_chromium()
    pages = [folder / "report.html"]
    if fiches and (folder / "fiches").is_dir():
        pages += sorted(p for p in (folder / "fiches").glob("*.html") if p.name != "index.html")
    return [print_pdf(page, page.with_suffix(".pdf"), chromium) for page in pages]
