"""Self-contained HTML reports: ``report.html`` per result and a comparison page.

Everything is inline (styles, scripts, map as SVG, plots as ``data:`` URIs) and the page's
Content-Security-Policy forbids any network access, so a report opens offline, by e-mail or on a
USB stick, and shows exactly what was computed.
"""

from .compare import render_comparison_html
from .report import render_result_html, write_report_html

__all__ = ["render_result_html", "write_report_html", "render_comparison_html"]
