"""Self-contained HTML reports: ``report.html`` per result and a comparison page.

Everything is inline (styles, scripts, map as SVG, plots as ``data:`` URIs) and the page's
Content-Security-Policy forbids any network access, so a report opens offline, by e-mail or on a
USB stick, and shows exactly what was computed.
"""

__all__ = ["render_result_html", "write_report_html", "render_comparison_html"]

# Loaded on first use, not at package import: ``results.maps`` imports ``html.fmt``, and the
# report module imports the maps, so an eager import here would make a cycle whenever the maps
# are imported first.
_HOMES = {"render_result_html": "report", "write_report_html": "report", "render_comparison_html": "compare"}


def __getattr__(name: str):
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
