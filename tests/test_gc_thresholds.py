"""The handbook's processes collect cycles less often (macros.data.gc_thresholds): MkDocs' entry
point sets it before the plugin declares the models, the command when it runs as a process of its
own; a caller of ``macros.cli.main([...])`` keeps its own setting."""

from __future__ import annotations

import gc
import subprocess
import sys
from importlib.metadata import entry_points

from macros import cli
from macros.data.gc_thresholds import THRESHOLDS
from macros.site.plugin import HandbookPlugin

from .conftest import ROOT


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return done.stdout.strip()


def test_mkdocs_loads_the_plugin_through_the_entry_that_sets_the_thresholds():
    (handbook,) = entry_points(group="mkdocs.plugins", name="handbook")
    assert handbook.value == "macros.site.entry:HandbookPlugin"
    assert handbook.load() is HandbookPlugin
    code = (
        "import gc, sys; from macros.site import entry; "
        "print(gc.get_threshold(), 'macros.data.models' in sys.modules)"
    )
    assert _run(code) == f"{THRESHOLDS} True"


def test_the_command_sets_them_only_as_a_process_of_its_own(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        assert cli.main(["schema", "--check"]) == 0
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*saved)
    code = (
        "import gc, sys; from macros import cli; sys.argv = ['handbook', 'schema', '--check']; "
        "code = cli.main(); print(gc.get_threshold(), code)"
    )
    assert _run(code).splitlines() == ["ok: schemas in schema are up to date", f"{THRESHOLDS} 0"]
