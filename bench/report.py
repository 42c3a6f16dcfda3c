"""The figures the benchmarks measure, and their Markdown table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

USERNAME = "bench@example.com"
API_KEY = "bench-api-key-0123456789"
RESULTS_FILE = Path(__file__).parent / "results.md"
COMMAND = "scripts/bench"
# Fan-out (3 rows), event loop (2), first try, outage (2), outbox (3), setup,
# split (2), store (3): a full run fills them all.
FULL_TABLE_ROWS = 17


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    """One measured figure, with its target and whether it is met."""

    benchmark: str
    measured: str
    target: str = "—"
    met: bool | None = None


@dataclass(kw_only=True, slots=True)
class Report:
    """Every figure the benchmarks measured, plus free-form notes."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(
        self,
        benchmark: str,
        measured: str,
        target: str = "—",
        *,
        met: bool | None = None,
    ) -> None:
        """Record one figure."""
        self.rows.append(
            Row(benchmark=benchmark, measured=measured, target=target, met=met)
        )

    def as_markdown(self) -> str:
        """Render the figures as a Markdown table."""
        lines = [
            "| Benchmark | Measured | Target | Met |",
            "|---|---|---|---|",
        ]
        for row in self.rows:
            verdict = {True: "yes", False: "**no**", None: ""}[row.met]
            lines.append(
                f"| {row.benchmark} | {row.measured} | {row.target} | {verdict} |"
            )
        return "\n".join(lines)
