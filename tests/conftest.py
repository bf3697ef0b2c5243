import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


#: Known open defects: tests that depend on the machine's load (a wall-clock time limit). Each is
#: listed in the issue notes; they run (and may pass) but do not fail the build until fixed.
import pytest  # noqa: E402

KNOWN_FAILURES: dict[str, str] = {}


def pytest_collection_finish(session):
    """Move everything imported so far (pandas, matplotlib, PuLP, the package, the collected
    tests) out of the garbage collector's sight: none of it is ever garbage, and each full
    collection walked it again (measured on the corpus and tampering tests: 2.6 s of 25 CPU-s in
    collections, 1.5 s after this)."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(config, items):
    for item in items:
        for prefix, reason in KNOWN_FAILURES.items():
            if item.nodeid.startswith(prefix):
                item.add_marker(pytest.mark.xfail(reason=f"known open defect: {reason}", strict=False))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (``browser.py``) for every browser test of the process: the tests
    share one tab, reset between them (``Browser.page``), so a page never sees another's console;
    starting the browser costs about 1.5 CPU-s, once instead of once per module. Missing Chromium fails, never skips (CI must run
    these)."""
    from browser import Browser, find_chromium

    try:
        executable, missing = find_chromium(), None
    except AssertionError as error:
        executable, missing = None, str(error)
    if missing:
        pytest.fail(missing, pytrace=False)
    chromium = Browser(executable)
    yield chromium
    chromium.close()
