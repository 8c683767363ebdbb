"""The one-screen table `noticepub build` prints at the end (rich; named apart from render/summary.py,
which makes the index pages' data)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from noticepub.build import BuildReport
from noticepub.errors import printable


def safe(text: object) -> str:
    """User data for a Rich console: markup escaped, control and format characters shown, not interpreted.
    Every message that can carry text from an input file goes through it."""
    return escape(printable(str(text)))


def print_summary(report: BuildReport, *, check: bool = False, console: Console | None = None) -> None:
    console = console or Console(highlight=False, soft_wrap=True)
    table = Table(title="noticepub check" if check else "noticepub build", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("notices", f"{report.notices} ({len(report.rebuilt)} rebuilt, "
                  f"{report.notices - len(report.rebuilt)} from cache)")
    table.add_row("articles", str(report.articles))
    verb = "would change" if check else "written"
    if report.strict_failures:  # a failed build writes nothing
        verb = "changed, not written (--strict failed)"
    table.add_row(f"pages {verb}", str(len(report.written)))
    table.add_row("pages unchanged", str(report.unchanged))
    if report.deleted:
        table.add_row("pages " + ("would be deleted" if check else "deleted"), str(len(report.deleted)))
    if report.po_written:
        table.add_row("translation memories " + ("would change" if check or report.strict_failures else "written"),
                      str(len(report.po_written)))
    counts = report.translation
    english = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("edited", "machine", "pending"))
    table.add_row("English segments", english + (f" (engine: {safe(report.engine)})" if report.engine else ""))
    table.add_row("warnings", str(len(report.warnings)))
    console.print(table)
    for warning in report.warnings[:20]:
        console.print(f"  warning: {safe(warning)}")
    if len(report.warnings) > 20:
        console.print(f"  … and {len(report.warnings) - 20} more warnings")
    if check:
        for path in report.changed:
            console.print(f"  would change: {safe(path)}")
