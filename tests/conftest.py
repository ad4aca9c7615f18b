"""Shared test helpers: the plugin on sys.path, fixture seeds, tmp-path builds."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: a bounded number of examples in CI; HYPOTHESIS_PROFILE=long
# for a deeper run by hand (see README).
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

FIXTURES = ROOT / "tests" / "fixtures" / "seeds"
SETTINGS_FILE = ROOT / "pelicanconf.py"
# The real seed lives beside the project, never in it.
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


def fixture_bytes(name: str) -> bytes:
    """The bytes of one fixture seed."""
    return (FIXTURES / name).read_bytes()


class Site:
    """A project folder in tmp_path: seeds/, content/, output/, built for real."""

    def __init__(self, root: Path):
        self.root = root
        self.seeds = root / "seeds"
        self.content = root / "content"
        self.output = root / "output"
        self.seeds.mkdir(parents=True, exist_ok=True)

    def overrides(self, **extra) -> dict:
        return {
            "PATH": str(self.content),
            "OUTPUT_PATH": str(self.output),
            "SEEDPRESS_SEEDS_PATH": str(self.seeds),
            "SEEDPRESS_SECTION_NAMES": {},
            # The search index has tests of its own; elsewhere it only costs time.
            "SEEDPRESS_SEARCH": False,
            **extra,
        }

    def add(self, relative: str, data: bytes | str) -> Path:
        path = self.seeds / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def settings(self, **extra):
        from seedpress.build import load_settings

        return load_settings(SETTINGS_FILE, self.overrides(**extra))

    def convert(self, settings: dict | None = None, **kwargs):
        from seedpress.convert import convert

        return convert(self.seeds, self.content, self.settings(**(settings or {})), **kwargs)

    def build(self, **kwargs):
        from seedpress.build import build

        extra = kwargs.pop("settings", {})
        return build(SETTINGS_FILE, overrides=self.overrides(**extra), **kwargs)

    def ledger(self) -> dict:
        import json

        data = json.loads((self.content / "ledger.json").read_text())
        return {entry["seed"]: entry for entry in data["stories"]}

    def tree(self) -> dict[str, bytes]:
        """Every output file's bytes, by relative path."""
        return {
            p.relative_to(self.output).as_posix(): p.read_bytes()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }

    def article_html(self, slug: str) -> str:
        [page] = self.output.glob(f"*/*/{slug}/index.html")
        return page.read_text(encoding="utf-8")


@pytest.fixture
def site(tmp_path) -> Site:
    """An empty project in tmp_path."""
    return Site(tmp_path / "project")


def demo(folder: Path) -> Site:
    """The project's own sample seeds, in a new project in `folder`."""
    site = Site(folder)
    shutil.copytree(ROOT / "seeds", site.seeds, dirs_exist_ok=True)
    return site


@pytest.fixture
def demo_site(tmp_path) -> Site:
    """The project's own sample seeds, in tmp_path."""
    return demo(tmp_path / "demo")


def demo_with_real_seed(folder: Path) -> Site:
    """The project's sample seeds, plus the real seed of ../shared/seeds when
    it exists, in a new project in `folder` (not built yet)."""
    site = demo(folder)
    if SHARED_SEEDS.is_dir():
        for seed in SHARED_SEEDS.glob("*.txt"):
            shutil.copy(seed, site.seeds / seed.name)
    return site


@pytest.fixture
def errors(caplog):
    """ERROR records logged during the test."""
    caplog.set_level(logging.INFO)
    return lambda: [r for r in caplog.records if r.levelno >= logging.ERROR]
