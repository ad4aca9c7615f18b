"""The benchmark runs end to end at a small size (its figures are not judged here:
performance is shown by the benchmark's output, never by a timed assertion).
200 seeds: enough pages for the forked writers and readers to be used; every
scenario twice, so that a step after another of its kind is checked too."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time

import pytest
from conftest import ROOT


def test_benchmark_runs_and_every_step_matches_a_cold_build():
    # --no-wait: a run that proves the benchmark works, not a measurement.
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--seeds", "200", "--no-wait"]
    result = subprocess.run(
        [*command, "--repeat", "2", "--profile"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    written = ROOT / "bench" / "results" / "bench-200.json"
    report = json.loads(written.read_text())
    names = [row["scenario"] for row in report["scenarios"]]
    assert names == [
        "cold build",
        "no-change rebuild",
        "one seed edited",
        "one seed added",
        "one seed deleted",
    ]
    assert report["repeat"] == 2
    for row in report["scenarios"]:
        assert row["identical_to_cold"] and row["ok"]
        assert len(row["runs"]) == 2 and all(run["identical_to_cold"] for run in row["runs"])
        walls = sorted(run["wall"] for run in row["runs"])
        assert row["wall"] == sum(walls) / 2  # the median of two
        assert row["wall"] > 0 and row["cpu"] > 0 and row["rss_mib"] > 0
        for figure in ("wall", "cpu", "rss_mib"):
            assert row[f"{figure}_to_pelican"] > 0
        assert row["own_rss_mib"] > 0 and row["build_s"] > 0
    # The processes' memory together (psutil, in the test and bench extras):
    # a cold build forks workers and runs Pagefind, and takes over a second.
    cold_runs = report["scenarios"][0]["runs"]
    assert all(run["total_mib"] is not None and run["total_mib"] > 0 for run in cold_runs)
    assert report["scenarios"][1]["skipped"] is True
    assert "plain Pelican cold" in result.stdout
    assert len(report["plain_pelican"]["runs"]) == 2
    assert "wall s of each of the 2 runs" in result.stdout
    # What a second core gave, before and after the scenarios.
    for when in ("before", "after"):
        probe = report["machine"][f"parallel_{when}"]
        assert probe["alone_s"] > 0 and probe["together_s"] > 0
        expected = probe["processes"] * probe["alone_s"] / probe["together_s"]
        assert abs(probe["speedup"] - expected) < 0.02
        assert f"cores {when} the run: " in result.stdout
    # How fast the file system made files, before and after the scenarios.
    files = [report["machine"][name] for name in ("file_us_before", "file_us_after", "waited_s")]
    assert files[0] > 0 and files[1] > 0 and files[2] == 0
    assert "files: a folder with a page in it took " in result.stdout
    # The profile of a cold build, by own and by cumulative time.
    assert all(len(report["profile_top"][order]) > 5 for order in ("own", "cumulative"))
    assert "build.py" in "".join(report["profile_top"]["cumulative"])
    # README's tables are made from such a file (bench/table.py): one row a
    # scenario, its median wall time first.
    table = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "table.py"), str(written)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert report["commit"], "the run says which commit it measured (a git clone)"
    assert table.startswith(f"**200 seeds** at {report['commit']}, medians of 2 runs")
    figures, stages = table.split("\n\nWhere each build's time went")
    rows = [line.strip("| ").split(" | ") for line in figures.splitlines() if line.startswith("| ")]
    assert rows[0][:2] == ["scenario", "wall s"] and set(rows[1][0]) == {"-"}
    assert [cells[0] for cells in rows[2:]] == names
    for cells, row in zip(rows[2:], report["scenarios"], strict=True):
        assert cells[1] == f"{row['wall']:.2f}" and cells[-1] == "yes"
    # Where each build's time went: every scenario that built (not the
    # no-change rebuild, which ends on its proof), the medians of its stages.
    rows = [line.strip("| ").split(" | ") for line in stages.splitlines() if line.startswith("| ")]
    stage_names = ["conversion", "stories", "queue", "pages", "search", "rest"]
    assert rows[0] == ["scenario", *stage_names]
    built = [row for row in report["scenarios"] if row["scenario"] != "no-change rebuild"]
    assert [cells[0] for cells in rows[2:]] == [row["scenario"] for row in built]
    assert report["scenarios"][1]["stages"] == {}
    for cells, row in zip(rows[2:], built, strict=True):
        assert list(row["stages"]) == stage_names
        assert cells[1:] == [f"{row['stages'][name]:.2f}" for name in stage_names]
        for name in stage_names:  # the median of the two runs' stages
            assert row["stages"][name] == sum(run["stages"][name] for run in row["runs"]) / 2
        # They add up to the time inside build().
        assert sum(row["runs"][0]["stages"].values()) == pytest.approx(row["runs"][0]["build_s"])
    assert "Where each build's time went" in result.stdout


def test_readme_tables_are_the_measured_runs():
    """README's Performance tables are bench/table.py's output for the JSON
    kept in bench/measured/, byte for byte."""
    spec = importlib.util.spec_from_file_location("bench_table", ROOT / "bench" / "table.py")
    table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(table)

    measured = sorted((ROOT / "bench" / "measured").glob("bench-*.json"))
    reports = [json.loads(path.read_text()) for path in measured]
    assert len({report["seeds"] for report in reports}) >= 2, "README gives several sizes"
    readme = (ROOT / "README.md").read_text()
    made = table.tables(reports).split("\n\n**")
    places = [readme.find(("**" if index else "") + part) for index, part in enumerate(made)]
    assert -1 not in places, "a measured run's table is not in README"


def test_a_run_waits_for_a_large_deletion_to_settle(tmp_path, monkeypatch):
    """bench/machine.py: a run after a large deletion waits out SETTLE_S from
    it (the file system makes files slowly meanwhile); a small one is not noted."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import machine
    finally:
        sys.path.remove(str(ROOT / "bench"))
    monkeypatch.setattr(machine, "_DELETED", tmp_path / "deleted")
    small = tmp_path / "small"
    (small / "a").mkdir(parents=True)
    assert machine.deleted(small) == 1 and not small.exists()
    assert machine.settle_left() == 0
    monkeypatch.setattr(machine, "SETTLE_FROM", 3)
    large = tmp_path / "large"
    for name in "abc":
        (large / name).mkdir(parents=True)
    assert machine.deleted(large) == 3
    assert machine.SETTLE_S - 5 < machine.settle_left() <= machine.SETTLE_S
    (tmp_path / "deleted").write_text(f"{time.time() - machine.SETTLE_S - 1} 50000\n")
    assert machine.settle_left() == 0
    assert machine.file_speed(tmp_path / "speed", count=20) > 0
    assert len(list((tmp_path / "speed").rglob("index.html"))) == 20


def test_two_versions_are_built_in_turn_on_one_corpus():
    """bench/interleave.py: this work tree and another version (here HEAD, in
    a git worktree) each built cold, then the same seed edited in both and
    each built, round after round in alternating order; the first round is
    left out of the medians, and the worktree is removed after."""
    command = [sys.executable, str(ROOT / "bench" / "interleave.py"), "--against", "HEAD"]
    result = subprocess.run(
        [*command, "--seeds", "40", "--rounds", "3"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads((ROOT / "bench" / "results" / "interleave-edit-40.json").read_text())
    runs = report["runs"]
    assert [(run["round"], run["side"]) for run in runs] == [
        (0, "against"),
        (0, "this"),
        (1, "this"),
        (1, "against"),
        (2, "against"),
        (2, "this"),
    ]
    assert all(run["ok"] and not run["skipped"] and run["wall"] > 0 for run in runs)
    for side in ("this", "against"):
        counted = sorted(run["wall"] for run in runs if run["side"] == side and run["round"])
        assert report["medians"][side]["wall"] == sum(counted) / 2
    # Each counted round's pair: this work tree's wall time against the other's.
    wall = {(run["round"], run["side"]): run["wall"] for run in runs}
    assert report["pairs"] == [wall[r, "this"] / wall[r, "against"] - 1 for r in (1, 2)]
    assert "round by round: " in result.stdout
    worktrees = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True, check=True
    )
    assert "seedpress-interleave" not in worktrees.stdout
