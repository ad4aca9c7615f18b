"""Two versions of Seedpress built in turn on one synthetic newsroom: what a change gains.

    python bench/interleave.py --against REV [--seeds N] [--rounds K] [--step edit|add|cold]
    (or: invoke interleave --against REV)

This machine's timings move by a quarter or more from hour to hour (bench/README.md),
more than most changes gain: two runs of bench/run.py an hour apart cannot
tell what a change did. This writes one corpus (bench/corpus.py), gives each
version a workspace of its own (REV, checked out in a git worktree, and this
work tree as it is), builds each cold by its own code, then round after round
makes the same step in both (the same seed edited, the same seed added, or
everything but the seeds set aside) and builds each in a child process, the
order alternating from round to round, so that both see the same minutes of
the machine. The first round is left out of the medians: its stat caches and
the file system's are cold. Prints every round's wall and CPU time, each
version's medians and each counted round's pair (this work tree's wall time
against REV's); writes JSON to bench/results/. REV must report its
build's stages (29f37ff or later).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import corpus
import machine
from run import RESULTS, ROOT, Workspace, commit, edit_seed, empty_but_seeds, seedpress_build

STEPS = ("edit", "add", "cold")


def _worktree(rev: str, where: Path) -> str:
    """Check `rev` out at `where` (a detached worktree); its commit."""
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", str(where), rev], check=True)
    found = subprocess.run(
        [*git, "rev-parse", "--short", f"{rev}^{{commit}}"],
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout.strip()


def _step(kind: str, space: Workspace, seeds: int, round_: int) -> None:
    """The round's change, the same in both workspaces."""
    if kind == "edit":
        victims = sorted(space.seeds.rglob("*.txt"))
        edit_seed(victims[(len(victims) // 2 + round_) % len(victims)])
    elif kind == "add":
        corpus.write(space.seeds, 1, seeds + round_, 2)
    else:
        empty_but_seeds(space)


def _median(runs: list[dict], figure: str) -> float:
    return statistics.median(run[figure] for run in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the version to compare with (a git rev)")
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=4, help="rounds, the first left out")
    parser.add_argument("--step", choices=STEPS, default="edit")
    args = parser.parse_args(argv)
    if args.rounds < 2:
        parser.error("--rounds must be at least 2: the first is left out")
    this = commit()
    workspace = Path(tempfile.mkdtemp(prefix=f"seedpress-interleave-{args.seeds}-"))
    code = {"this": ROOT, "against": workspace / "code"}
    names = {"this": this or "this work tree"}
    try:
        names["against"] = _worktree(args.against, code["against"])
        runs = _rounds(args, code, names, {side: Workspace(workspace / side) for side in code})
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(code["against"])],
            check=False,
            capture_output=True,
        )
        machine.deleted(workspace)
    _report(args, names, runs)
    return 0


def _rounds(args, code: dict[str, Path], names: dict[str, str], spaces: dict) -> list[dict]:
    """One corpus in both workspaces, a cold build of each, then the rounds."""
    print(f"writing {args.seeds} synthetic seeds ...", flush=True)
    corpus.write(spaces["this"].seeds, args.seeds)
    shutil.copytree(spaces["this"].seeds, spaces["against"].seeds)  # dates are mtimes
    for side, checkout in code.items():
        print(f"cold build of {names[side]} ...", flush=True)
        if not seedpress_build(spaces[side], checkout).get("ok"):
            raise SystemExit(f"the cold build of {names[side]} failed")
    runs: list[dict] = []
    for round_ in range(args.rounds):
        order = ["against", "this"] if round_ % 2 == 0 else ["this", "against"]
        for side in order:
            _step(args.step, spaces[side], args.seeds, round_)
            made = seedpress_build(spaces[side], code[side])
            if not made.get("ok"):
                raise SystemExit(f"round {round_}: the build of {names[side]} failed")
            runs.append({"round": round_, "side": side, **made})
            print(
                f"round {round_} {names[side]:>14}: {made['wall']:.2f} s wall, "
                f"{made['cpu']:.2f} s CPU",
                flush=True,
            )
    return runs


def _report(args, names: dict[str, str], runs: list[dict]) -> None:
    """Each version's medians over the rounds after the first; the JSON."""
    counted = {
        side: [run for run in runs if run["side"] == side and run["round"]] for side in names
    }
    medians = {
        side: {figure: _median(counted[side], figure) for figure in ("wall", "cpu")}
        for side in names
    }
    print(
        f"\n{args.step}, {args.seeds} seeds, {args.rounds - 1} rounds counted "
        f"(the first left out), each version's builds in turn:"
    )
    for side in ("against", "this"):
        walls = ", ".join(f"{run['wall']:.2f}" for run in counted[side])
        print(
            f"{names[side]:>14}: median {medians[side]['wall']:.2f} s wall, "
            f"{medians[side]['cpu']:.2f} s CPU (walls {walls})"
        )
    change = medians["this"]["wall"] / medians["against"]["wall"] - 1
    print(f"this against {names['against']}: {change:+.1%} of the median wall time")
    # Round by round: the same code on both sides moved by -6% to +14% a
    # pair in cold builds of 10,000 seeds (bench/README.md), so a median's
    # change means little unless the pairs agree.
    walls = {(run["round"], run["side"]): run["wall"] for run in runs}
    pairs = [
        walls[round_, "this"] / walls[round_, "against"] - 1
        for round_ in sorted({run["round"] for run in runs if run["round"]})
    ]
    faster = sum(pair < 0 for pair in pairs)
    print(
        f"round by round: {', '.join(f'{pair:+.1%}' for pair in pairs)} "
        f"(this faster in {faster} of {len(pairs)})"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"interleave-{args.step}-{args.seeds}.json"
    report = {
        "seeds": args.seeds,
        "step": args.step,
        "rounds": args.rounds,
        "versions": names,
        "medians": medians,
        "pairs": pairs,
        "runs": runs,
    }
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"JSON: {out}")


if __name__ == "__main__":
    sys.exit(main())
