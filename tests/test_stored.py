"""Stored step results (macros.checks.stored): a check after an edit validates only the changed
files and parses the pages only when they changed, and gives exactly what a check afresh gives.
A damaged or planted entry is never trusted."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import macros.checks.check as check_module
import macros.site.page_check as page_check_module
from macros import cli
from macros.checks.check import check
from macros.checks.problems import format_text
from macros.checks.stored import Store
from macros.data.kinds import MODELS
from macros.data.memo import ByIdentity

from .conftest import ROOT
from .hostile_support import write_filled_plans
from .site_support import build, make_project

SAMPLES = {"fiktiva": ROOT / "plans", "sportverein": ROOT / "samples" / "sportverein" / "plans"}


@pytest.fixture
def shaped(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files validated (``check_shape`` called), in order; each check starts with an empty
    memory, as a new process does."""
    calls: list[str] = []
    real = check_module.check_shape

    def counting(doc, model, display):
        calls.append(Path(display).stem)
        return real(doc, model, display)

    monkeypatch.setattr(check_module, "check_shape", counting)
    return calls


def _check(plans: Path, stored: bool = True):
    """A check as a new process runs it: nothing of an earlier check kept in memory."""
    check_module._shaped = ByIdentity()
    check_module._loaded = ByIdentity()
    return check(plans, stored=stored)


def _same(a, b) -> None:
    assert a.problems == b.problems
    assert a.summary() == b.summary()
    assert (a.plan is None) == (b.plan is None)
    if a.plan is not None:
        assert a.plan.files == b.plan.files


def _project(tmp_path: Path, plans: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(plans, project / "plans")
    return project


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_a_second_check_validates_nothing_and_gives_the_same(tmp_path, shaped, sample):
    project = _project(tmp_path, SAMPLES[sample])
    first = _check(project / "plans")
    files = sorted(p.stem for p in (project / "plans").glob("*.yml"))
    assert sorted(shaped) == files
    assert sorted(p.name for p in (project / ".cache/handbook/stored").iterdir()) == [
        f"shape-{stem}.pickle" for stem in files
    ]
    shaped.clear()
    again = _check(project / "plans")
    assert shaped == []
    _same(again, first)
    assert again.plan is not None


def test_every_text_field_filled_reads_back(tmp_path, shaped):
    """Every text field of every model (discovered from the models) holds a hostile payload: each
    file's model is stored and read back equal, so no field's type keeps a file from being reused."""
    project = tmp_path / "project"
    write_filled_plans(ROOT / "plans", project / "plans")
    first = _check(project / "plans")
    shaped.clear()
    again = _check(project / "plans")
    assert shaped == []
    _same(again, first)
    fresh = _check(project / "plans", stored=False)
    _same(again, fresh)


def test_an_edit_validates_that_file_only(tmp_path, shaped):
    project = _project(tmp_path, SAMPLES["fiktiva"])
    _check(project / "plans")
    channels = project / "plans" / "channels.yml"
    channels.write_text(channels.read_text(encoding="utf-8") + "# bearbeitet\n", encoding="utf-8")
    shaped.clear()
    edited = _check(project / "plans")
    assert shaped == ["channels"]
    _same(edited, _check(project / "plans", stored=False))


def test_a_vocabularies_edit_validates_every_file(tmp_path, shaped):
    """Custom values decide what the other files may hold: their shapes depend on the file."""
    project = _project(tmp_path, SAMPLES["fiktiva"])
    vocabularies = project / "plans" / "vocabularies.yml"
    text = "time_units:\n  - id: schicht\n    label: Schicht\n    plural: Schichten\n"
    vocabularies.write_text(text, encoding="utf-8")
    assert _check(project / "plans").errors == 0
    vocabularies.write_text(text + "# bearbeitet\n", encoding="utf-8")
    shaped.clear()
    _check(project / "plans")
    assert sorted(shaped) == sorted(p.stem for p in (project / "plans").glob("*.yml"))


def test_shape_problems_are_kept_word_for_word(tmp_path, shaped):
    project = _project(tmp_path, SAMPLES["fiktiva"])
    channels = project / "plans" / "channels.yml"
    text = channels.read_text(encoding="utf-8")
    channels.write_text(text.replace("status: active", "status: aktiv", 1), encoding="utf-8")
    first = _check(project / "plans")
    assert [p.code for p in first.problems if p.severity == "error"]
    shaped.clear()
    again = _check(project / "plans")
    assert shaped == []
    _same(again, first)
    assert format_text(again.problems, "") == format_text(first.problems, "")


def test_another_engine_validates_again(tmp_path, shaped, monkeypatch):
    project = _project(tmp_path, SAMPLES["sportverein"])
    _check(project / "plans")
    beside = Store.beside

    def other_engine(plans_dir):
        store = beside(plans_dir)
        store.engine = b"another engine"
        return store

    monkeypatch.setattr(Store, "beside", staticmethod(other_engine))
    shaped.clear()
    _check(project / "plans")
    assert len(shaped) == len(list((project / "plans").glob("*.yml")))


class _Planted:
    def __reduce__(self):
        return (os.system, ("touch planted",))


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(pickle.dumps(_Planted()), id="a function call"),
        pytest.param(pickle.dumps(("shape", [])), id="not a shape"),
        pytest.param(pickle.dumps((None, ["not a problem"])), id="not problems"),
        pytest.param(b"\x80\x05damaged", id="damaged"),
        pytest.param(b"", id="empty"),
    ],
)
def test_an_entry_that_is_not_a_stored_shape_is_validated_again(tmp_path, shaped, monkeypatch, body):
    project = _project(tmp_path, SAMPLES["sportverein"])
    monkeypatch.chdir(tmp_path)
    first = _check(project / "plans")
    entry = project / ".cache/handbook/stored/shape-channels.pickle"
    key = entry.read_bytes().split(b"\n", 1)[0]
    entry.write_bytes(key + b"\n" + body)
    shaped.clear()
    again = _check(project / "plans")
    assert shaped == ["channels"]
    assert not (tmp_path / "planted").exists()
    _same(again, first)
    shaped.clear()
    _check(project / "plans")  # the entry was written anew
    assert shaped == []


def test_a_store_that_cannot_be_written_changes_nothing(tmp_path, shaped):
    project = _project(tmp_path, SAMPLES["fiktiva"])
    (project / ".cache" / "handbook").mkdir(parents=True)
    (project / ".cache" / "handbook" / "stored").write_text("a file, not a folder\n", encoding="utf-8")
    first = _check(project / "plans")
    again = _check(project / "plans")
    assert len(shaped) == 2 * len(list((project / "plans").glob("*.yml")))
    _same(again, first)


def _cli(project: Path, *args: str, capsys) -> tuple[int, str]:
    """``handbook check`` as the command runs it (a caller passing argv gets nothing stored)."""
    check_module._shaped = ByIdentity()
    check_module._loaded = ByIdentity()
    saved = sys.argv
    sys.argv = ["handbook", "check", *args, str(project / "plans")]
    try:
        code = cli.main()
    finally:
        sys.argv = saved
    return code, capsys.readouterr().out


@pytest.fixture
def page_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The page checks run (by their content folder)."""
    calls: list[Path] = []
    real = page_check_module.page_problems

    def counting(content: Path):
        calls.append(content)
        return real(content)

    monkeypatch.setattr(page_check_module, "page_problems", counting)
    return calls


def test_the_page_check_runs_again_only_when_its_inputs_change(tmp_path, monkeypatch, capsys, page_checks):
    project = make_project(tmp_path / "project", SAMPLES["fiktiva"])
    monkeypatch.chdir(project)
    page = project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ shwo('x') }}\n", encoding="utf-8")
    code, first = _cli(project, capsys=capsys)
    assert code == 1
    assert "content/index.md" in first and "'shwo' is not a macro of the handbook" in first
    assert len(page_checks) == 1

    channels = project / "plans" / "channels.yml"  # an edit of the plans: the pages are not parsed
    channels.write_text(channels.read_text(encoding="utf-8") + "# bearbeitet\n", encoding="utf-8")
    assert _cli(project, capsys=capsys) == (1, first)
    assert len(page_checks) == 1

    (project / "content" / "neu.md").write_text("# Neu\n\n{{ shwo() }}\n", encoding="utf-8")
    code, added = _cli(project, capsys=capsys)
    assert len(page_checks) == 2
    assert code == 1 and "content/neu.md:3:4: shwo: 'shwo' is not a macro of the handbook" in added

    for change in (  # whether the project has macros of its own decides what a page may call
        lambda: (project / "main.py").write_text("def define_env(env):\n    pass\n", encoding="utf-8"),
        lambda: (project / "mkdocs.yml").write_text(
            (project / "mkdocs.yml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        ),
    ):
        change()
        runs = len(page_checks)
        assert _cli(project, capsys=capsys) == (1, added)
        assert len(page_checks) == runs + 1


def test_no_cache_neither_reads_nor_writes_the_store(tmp_path, monkeypatch, capsys, page_checks, shaped):
    project = make_project(tmp_path / "project", SAMPLES["sportverein"])
    monkeypatch.chdir(project)
    code, out = _cli(project, "--no-cache", capsys=capsys)
    assert code == 0, out
    assert not (project / ".cache" / "handbook" / "stored").exists()
    _cli(project, capsys=capsys)
    shaped.clear()
    page_checks.clear()
    assert _cli(project, "--no-cache", capsys=capsys) == (code, out)
    assert len(shaped) == len(list((project / "plans").glob("*.yml")))
    assert len(page_checks) == 1


def test_the_build_stores_and_reuses_the_shapes(tmp_path):
    """A build leaves each file's shape stored, and the next build of the same plans builds the
    same site from them."""
    project = make_project(tmp_path / "project", SAMPLES["sportverein"])
    done = build(project, env={"HANDBOOK_PDF": "0"})
    assert done.returncode == 0, done.stderr
    stored = project / ".cache" / "handbook" / "stored"
    assert sorted(p.name for p in stored.glob("shape-*.pickle")) == sorted(
        f"shape-{p.stem}.pickle" for p in (project / "plans").glob("*.yml")
    )
    first = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*.html")}
    times = {p: p.stat().st_mtime_ns for p in stored.iterdir()}
    done = build(project, env={"HANDBOOK_PDF": "0"})
    assert done.returncode == 0, done.stderr
    assert {p: p.stat().st_mtime_ns for p in stored.iterdir()} == times  # read, not written again
    again = {p.relative_to(project / "site"): p.read_bytes() for p in (project / "site").rglob("*.html")}
    assert again.keys() == first.keys()
    assert [p for p in first if first[p] != again[p]] == []


def test_models_are_built_when_first_used():
    """The models' validators are built when a file is validated, not when they are imported:
    that is what a check that finds every file stored saves."""
    code = "import macros.data.kinds as k; print(sum(m.__pydantic_complete__ for m in k.MODELS.values()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "0"
    assert len(MODELS) > 10
