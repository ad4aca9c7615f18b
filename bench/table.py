"""README's Markdown tables, made from the benchmark's JSON files.

    python bench/table.py bench/results/bench-1000.json bench/results/bench-10000.json

prints, for each file (smallest corpus first), the table `bench/run.py`
printed (medians of the runs, ratios to plain Pelican's and Hugo's cold
builds) as Markdown, with each run's wall time, so that README's figures are
copied from a run, never typed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# The figures every scenario is measured by, and what each is called in the
# JSON: each is also given as a ratio to plain Pelican's cold build (and to
# Hugo's, when it ran). bench/run.py prints them too.
FIGURES = (("wall", "wall s"), ("cpu", "CPU s"), ("rss_mib", "peak MiB"))
# How README gives each: memory in whole MiB.
_FORMS = {"rss_mib": ".0f"}


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _cells(row: dict) -> list[str]:
    cells = []
    for figure, _ in FIGURES:
        cells += [
            format(row[figure], _FORMS.get(figure, ".2f")),
            _ratio(row.get(f"{figure}_to_pelican")),
            _ratio(row.get(f"{figure}_to_hugo")),
        ]
    return cells


def search_cell(row: dict) -> str:
    """A scenario's search index: its seconds, or why it has none."""
    if row.get("search") is not None:
        return f"{row['search']:.2f}"
    return "skipped" if row.get("skipped") else "reused"


def total_cell(row: dict) -> str:
    """The processes' memory together, when it was measured (bench extra)."""
    return "-" if row.get("total_mib") is None else f"{row['total_mib']:.0f}"


def _at(commit: str | None) -> str:
    return f" at {commit}" if commit else ""  # older reports did not record it


def _runs(repeat: int) -> str:
    return "one run" if repeat == 1 else f"medians of {repeat} runs"


def _walls(runs: list[dict]) -> str:
    return ", ".join(f"{run['wall']:.2f}" for run in runs)


def table(report: dict) -> str:
    """One benchmark's table, its title line and the spread of the others' runs."""
    plain, hugo = report["plain_pelican"], report["hugo"]
    title = (
        f"**{report['seeds']:,} seeds**{_at(report.get('commit'))}, {_runs(report['repeat'])} "
        f"(plain Pelican cold: {plain['wall']:.2f} s wall, {plain['cpu']:.2f} s CPU, "
        f"{plain['rss_mib']:.0f} MiB"
    )
    if hugo:
        title += (
            f"; Hugo cold {hugo['cold']['wall']:.2f} s, no-change "
            f"{hugo['no_change']['wall']:.2f} s, {hugo['cold']['rss_mib']:.0f} MiB"
        )
    cores = report["machine"]
    title += (
        f"; the cores gave {cores['parallel_before']['speedup']:.2f}× before the run "
        f"and {cores['parallel_after']['speedup']:.2f}× after"
    )
    if "file_us_before" in cores:  # not in the older runs (bench/measured/earlier/)
        title += (
            f"; a folder with a page in it took {cores['file_us_before']:.0f} µs to make "
            f"before the run and {cores['file_us_after']:.0f} µs after"
        )
    title += ")"
    header = ["scenario"]
    for _, label in FIGURES:
        header += [label, "× Pelican", "× Hugo"]
    header += ["own MiB", "total MiB", "search index s", "site s", "build s"]
    header += ["wall s of each run"]
    header += ["identical to cold"]
    lines = [title, "", "| " + " | ".join(header) + " |"]
    lines.append("| --- |" + " ---: |" * (len(header) - 3) + " --- | --- |")
    for row in report["scenarios"]:
        cells = [
            row["scenario"],
            *_cells(row),
            f"{row['own_rss_mib']:.0f}",
            total_cell(row),
            search_cell(row),
            f"{row['site_wall']:.2f}",
            f"{row['build_s']:.2f}",
            _walls(row["runs"]),
            "yes" if row["identical_to_cold"] else "NO",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    others = f"Plain Pelican's runs: {_walls(plain['runs'])} s."
    if hugo:
        others += (
            f" Hugo's: cold {_walls(hugo['cold']['runs'])} s; "
            f"no-change {_walls(hugo['no_change']['runs'])} s."
        )
    stages = stages_table(report)
    return "\n".join([*lines, "", others, *(["", stages] if stages else [])])


def _staged(rows: list[dict]) -> tuple[list[str], list[dict]]:
    """The stages the scenarios' builds went through (in the order of the
    first that has them), and the scenarios that have them."""
    staged = [row for row in rows if row.get("stages")]
    return (list(staged[0]["stages"]) if staged else []), staged


def _stage(row: dict, name: str) -> str:
    """A stage's median seconds, or "-" for one the scenario's builds skipped."""
    return f"{row['stages'][name]:.2f}" if name in row["stages"] else "-"


def stages_note(repeat: int) -> str:
    return (
        f"Where each build's time went, in seconds ({_runs(repeat)}; "
        "the stages are BuildResult.stages, plugins/seedpress/build.py):"
    )


def stages_text(rows: list[dict]) -> str:
    """The stages' table as bench/run.py prints it."""
    names, staged = _staged(rows)
    if not staged:
        return "(no build went through its stages)"
    lines = [f"{'scenario':<20} " + " ".join(f"{name:>10}" for name in names)]
    for row in staged:
        cells = " ".join(f"{_stage(row, name):>10}" for name in names)
        lines.append(f"{row['scenario']:<20} {cells}")
    return "\n".join(lines)


def stages_table(report: dict) -> str:
    """The stages' table in Markdown; empty for a report made before builds
    had stages."""
    names, staged = _staged(report["scenarios"])
    if not staged:
        return ""
    lines = [
        stages_note(report["repeat"]),
        "",
        "| scenario | " + " | ".join(names) + " |",
        "| --- |" + " ---: |" * len(names),
    ]
    for row in staged:
        cells = [_stage(row, name) for name in names]
        lines.append(f"| {row['scenario']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def tables(reports: list[dict]) -> str:
    """Each report's table, smallest corpus first (as README gives them)."""
    ordered = sorted(reports, key=lambda report: report["seeds"])
    return "\n\n".join(map(table, ordered))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", type=Path, help="bench/results/bench-N.json")
    args = parser.parse_args(argv)
    print(tables([json.loads(path.read_text()) for path in args.reports]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
