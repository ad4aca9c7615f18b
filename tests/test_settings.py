"""Settings are checked where they are read: a wrong value is named in one
line, and a SEEDPRESS_ name that is no setting (a typo) is warned of. Before,
a typo was ignored, a scope "sections" silently dropped every section feed,
and a limit "5" failed deep in the feeds with a TypeError."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SETTINGS_FILE

from seedpress.build import load_settings
from seedpress.settings import SettingsError, check


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("SEEDPRESS_FEED_LIMIT", "5", "a whole number of at least 1"),
        ("SEEDPRESS_FEED_LIMIT", True, "a whole number"),
        ("SEEDPRESS_FEED_SCOPES", ("site", "sections"), "not 'sections'"),
        ("SEEDPRESS_FEED_FORMATS", "json", "a tuple of names"),
        ("SEEDPRESS_FEED_FORMATS", ("atom", "rsss"), "not 'rsss'"),
        ("SEEDPRESS_MAX_DELETE_SHARE", 25, "a share from 0 to 1"),
        ("SEEDPRESS_SECTION_NAMES", ["world"], "a dict of folder names"),
        ("SEEDPRESS_HANDLE_URL", "https://x.com/", '"{handle}"'),
        ("SEEDPRESS_SEARCH", "no", "True or False"),
        ("TIMEZONE", "Europe/Londn", "not a time zone"),
        # Minted into ids for good (tag:<authority>,<date>:<serial>).
        ("SEEDPRESS_ID_AUTHORITY", "example.org,2026", "a domain or e-mail address"),
        ("SEEDPRESS_ID_AUTHORITY", "https://news.org", "a domain or e-mail address"),
    ],
)
def test_a_wrong_value_is_named_with_what_it_must_be(name, value, said):
    with pytest.raises(SettingsError, match=f"^{name} in pelicanconf.py is ") as raised:
        load_settings(SETTINGS_FILE, {name: value})
    assert said in str(raised.value)


def test_values_that_mean_the_default_are_accepted():
    for value in (None, 0, 2):  # None and 0: one process per core
        load_settings(SETTINGS_FILE, {"SEEDPRESS_JOBS": value})
    load_settings(SETTINGS_FILE, {"SEEDPRESS_FEED_SCOPES": ["site"], "SEEDPRESS_FEED_FORMATS": []})


def test_a_name_that_is_no_setting_is_warned_of_with_the_nearest():
    settings = load_settings(SETTINGS_FILE)
    assert check(settings, "pelicanconf.py") == []
    warnings = check({**settings, "SEEDPRESS_FEED_LIMT": 3}, "pelicanconf.py")
    assert warnings == [
        "SEEDPRESS_FEED_LIMT in pelicanconf.py is not a Seedpress setting "
        "(did you mean SEEDPRESS_FEED_LIMIT?)"
    ]


def test_invoke_says_which_setting_in_one_line(tmp_path):
    """The task exits 2 with the message, not a traceback."""
    project = tmp_path / "project"
    for folder in ("plugins", "theme"):
        shutil.copytree(ROOT / folder, project / folder)
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    with (project / "pelicanconf.py").open("a") as settings:
        settings.write('\nTIMEZONE = "Europe/Londn"\n')
    done = _invoke(project, "build")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "settings: TIMEZONE in pelicanconf.py is 'Europe/Londn': "
        "not a time zone (e.g. Europe/London, UTC)"
    )
    assert "Traceback" not in done.stdout + done.stderr
    # A settings file that fails as Python (an empty port) says so in one line.
    done = _invoke(project, "preview", SEEDPRESS_RSYNC_PORT="x")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("settings: publishconf.py: ValueError: invalid literal")


def _invoke(project, task: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", task],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )
