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
from macros.checks.result_cache import CheckCache
from macros.checks.stored import Store
from macros.data.kinds import MODELS
from macros.data.memo import ByIdentity

from .conftest import ROOT
from .hostile_support import write_filled_plans
from .site_support import build, make_project

SAMPLES = {"fiktiva": ROOT / "plans", "sportverein": ROOT / "samples" / "sportverein" / "plans"}


@pytest.fixture
def shaped(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files validated (``check_shape`` called), in order."""
    calls: list[str] = []
    real = check_module.check_shape

    def counting(doc, model, display):
        calls.append(Path(display).stem)
        return real(doc, model, display)

    monkeypatch.setattr(check_module, "check_shape", counting)
    return calls


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed (``load_bytes`` called), in order."""
    calls: list[str] = []
    real = check_module.load_bytes

    def counting(raw, path):
        calls.append(Path(path).stem)
        return real(raw, path)

    monkeypatch.setattr(check_module, "load_bytes", counting)
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
def test_a_second_check_parses_and_validates_nothing_and_gives_the_same(tmp_path, shaped, parsed, sample):
    project = _project(tmp_path, SAMPLES[sample])
    first = _check(project / "plans")
    files = sorted(p.stem for p in (project / "plans").glob("*.yml"))
    assert sorted(shaped) == sorted(parsed) == files
    assert sorted(p.name for p in (project / ".cache/handbook/stored").iterdir()) == sorted(
        f"{step}-{stem}.pickle" for stem in files for step in ("document", "shape")
    )
    shaped.clear()
    parsed.clear()
    again = _check(project / "plans")
    assert shaped == parsed == []
    _same(again, first)
    assert again.plan is not None
    assert again.documents.keys() == first.documents.keys()
    for stem, document in again.documents.items():
        assert document == first.documents[stem]


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


def test_an_edit_parses_and_validates_that_file_only(tmp_path, shaped, parsed):
    project = _project(tmp_path, SAMPLES["fiktiva"])
    _check(project / "plans")
    channels = project / "plans" / "channels.yml"
    channels.write_text(channels.read_text(encoding="utf-8") + "# bearbeitet\n", encoding="utf-8")
    shaped.clear()
    parsed.clear()
    edited = _check(project / "plans")
    assert shaped == parsed == ["channels"]
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


BODIES = [
    pytest.param(pickle.dumps(_Planted()), id="a function call"),
    pytest.param(pickle.dumps((cli.main, [])), id="an engine function"),
    pytest.param(pickle.dumps(CheckCache(Path("e"), "k", [], Path("p"))), id="an engine class of no data"),
    pytest.param(pickle.dumps(("shape", [])), id="not a shape"),
    pytest.param(pickle.dumps((None, ["not a problem"])), id="not problems"),
    pytest.param(pickle.dumps({"data": {}}), id="not a document"),
    pytest.param(b"\x80\x05damaged", id="damaged"),
    pytest.param(b"", id="empty"),
]


@pytest.mark.parametrize("step", ["document", "shape"])
@pytest.mark.parametrize("body", BODIES)
def test_an_entry_that_is_not_what_its_step_gives_is_made_again(
    tmp_path, shaped, parsed, monkeypatch, step, body
):
    project = _project(tmp_path, SAMPLES["sportverein"])
    monkeypatch.chdir(tmp_path)
    first = _check(project / "plans")
    entry = project / f".cache/handbook/stored/{step}-channels.pickle"
    key = entry.read_bytes().split(b"\n", 1)[0]
    entry.write_bytes(key + b"\n" + body)
    shaped.clear()
    parsed.clear()
    again = _check(project / "plans")
    assert (parsed if step == "document" else shaped) == ["channels"]
    assert not (tmp_path / "planted").exists()
    _same(again, first)
    shaped.clear()
    parsed.clear()
    _check(project / "plans")  # the entry was written anew
    assert shaped == parsed == []


def test_a_file_that_does_not_load_is_parsed_each_time(tmp_path, parsed, monkeypatch):
    project = _project(tmp_path, SAMPLES["sportverein"])
    monkeypatch.chdir(project)
    (project / "plans" / "roles.yml").write_text("roles: [\n", encoding="utf-8")
    first = _check(project / "plans")
    assert [(p.file, p.code) for p in first.problems if p.severity == "error"] == [
        ("plans/roles.yml", "yaml-syntax")
    ]
    assert first.problems[0].line == 2
    assert not (project / ".cache/handbook/stored/document-roles.pickle").exists()
    parsed.clear()
    again = _check(project / "plans")
    assert parsed == ["roles"]
    _same(again, first)


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

    # whether the project has macros of its own decides what a page may call, !ENV settings included
    settings = project / "mkdocs.yml"
    text = settings.read_text(encoding="utf-8")
    assert "      module_name: macros\n" in text
    settings.write_text(
        text.replace("module_name: macros", "module_name: !ENV [OWN_MACROS, macros]"), "utf-8"
    )
    assert _cli(project, capsys=capsys) == (1, added)
    assert len(page_checks) == 2  # the same answer: no own macros
    monkeypatch.setenv("OWN_MACROS", "eigene_makros")
    channels.write_text(channels.read_text(encoding="utf-8") + "# wieder\n", encoding="utf-8")
    code, own = _cli(project, capsys=capsys)
    assert len(page_checks) == 3
    assert code == 0 and "shwo" not in own
    monkeypatch.delenv("OWN_MACROS")
    channels.write_text(channels.read_text(encoding="utf-8") + "# und wieder\n", encoding="utf-8")
    assert _cli(project, capsys=capsys) == (1, added)
    assert len(page_checks) == 4


def test_a_page_changed_while_the_page_check_reads_it_is_not_stored(tmp_path, monkeypatch, capsys):
    project = make_project(tmp_path / "project", SAMPLES["sportverein"])
    monkeypatch.chdir(project)
    page = project / "content" / "index.md"
    good = page.read_text(encoding="utf-8")
    bad = good + "\n{{ shwo() }}\n"
    page.write_text(bad, encoding="utf-8")
    real = page_check_module.page_problems

    def saved_meanwhile(content):
        found = real(content)
        page.write_text(good, encoding="utf-8")  # the fix saved while the pages were parsed
        return found

    monkeypatch.setattr(page_check_module, "page_problems", saved_meanwhile)
    assert _cli(project, capsys=capsys)[0] == 1
    monkeypatch.setattr(page_check_module, "page_problems", real)
    page.write_text(bad, encoding="utf-8")
    channels = project / "plans" / "channels.yml"
    channels.write_text(channels.read_text(encoding="utf-8") + "# bearbeitet\n", encoding="utf-8")
    code, out = _cli(project, capsys=capsys)
    assert code == 1 and "'shwo' is not a macro of the handbook" in out


def test_problems_name_files_as_seen_from_where_the_check_runs(tmp_path, monkeypatch, capsys):
    project = make_project(tmp_path / "project", SAMPLES["sportverein"])
    channels = project / "plans" / "channels.yml"
    channels.write_text(
        channels.read_text(encoding="utf-8").replace("status: active", "status: aktiv", 1), "utf-8"
    )
    page = project / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ shwo() }}\n", encoding="utf-8")
    monkeypatch.chdir(project)
    _, inside = _cli(project, capsys=capsys)
    assert "\nplans/channels.yml:" in "\n" + inside and "\ncontent/index.md:" in "\n" + inside
    monkeypatch.chdir(tmp_path)
    _, outside = _cli(project, capsys=capsys)
    assert (
        "\nproject/plans/channels.yml:" in "\n" + outside and "\nproject/content/index.md:" in "\n" + outside
    )
    assert outside == _cli(project, "--no-cache", capsys=capsys)[1]


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


def test_check_and_build_share_the_store(tmp_path, monkeypatch, capsys):
    """The build finds what ``handbook check`` stored (each names the files its own way) and
    builds from it the site a build afresh gives."""
    project = make_project(tmp_path / "project", SAMPLES["sportverein"])
    monkeypatch.chdir(project)
    assert _cli(project, capsys=capsys)[0] == 0
    stored = project / ".cache" / "handbook" / "stored"
    assert sorted(p.name for p in stored.glob("*-*.pickle")) == sorted(
        f"{step}-{p.stem}.pickle" for p in (project / "plans").glob("*.yml") for step in ("document", "shape")
    )
    times = {p: p.stat().st_mtime_ns for p in stored.iterdir()}
    done = build(project, "-d", "site-stored", env={"HANDBOOK_PDF": "0"})
    assert done.returncode == 0, done.stderr
    assert {p: p.stat().st_mtime_ns for p in stored.iterdir()} == times  # read, not written again
    shutil.rmtree(stored)
    done = build(project, "-d", "site-afresh", env={"HANDBOOK_PDF": "0"})
    assert done.returncode == 0, done.stderr
    pages = {
        name: {p.relative_to(project / name): p.read_bytes() for p in (project / name).rglob("*.html")}
        for name in ("site-stored", "site-afresh")
    }
    assert len(pages["site-stored"]) > 30
    assert pages["site-stored"] == pages["site-afresh"]


def test_a_stored_document_names_the_file_as_given(tmp_path, parsed, monkeypatch):
    project = _project(tmp_path, SAMPLES["sportverein"])
    monkeypatch.chdir(project)
    relative = _check(Path("plans"))
    parsed.clear()
    absolute = _check(project / "plans")
    assert parsed == []
    assert relative.documents["roles"].path == Path("plans/roles.yml")
    assert absolute.documents["roles"].path == project / "plans" / "roles.yml"


def test_models_are_built_when_first_used():
    """The models' validators are built when a file is validated, not when they are imported:
    that is what a check that finds every file stored saves."""
    code = "import macros.data.kinds as k; print(sum(m.__pydantic_complete__ for m in k.MODELS.values()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "0"
    assert len(MODELS) > 10


@pytest.mark.parametrize(
    "made",
    [
        pytest.param(os.system, id="a function of another module"),
        pytest.param(cli.main, id="an engine function"),
        pytest.param(CheckCache, id="an engine class of no data"),
        pytest.param(subprocess.Popen, id="another module's class"),
    ],
)
def test_the_store_makes_nothing_but_data(tmp_path, made):
    """Whatever an entry names besides plain values and the engine's data records is refused, even
    where the caller would accept anything."""
    store = Store(tmp_path / "stored", b"engine")
    assert store.reuse("step", ["input"], lambda: "computed", lambda found: True) == "computed"
    entry = tmp_path / "stored" / "step.pickle"
    key = entry.read_bytes().split(b"\n", 1)[0]
    entry.write_bytes(key + b"\n" + pickle.dumps(made))
    assert store.reuse("step", ["input"], lambda: "made again", lambda found: True) == "made again"
    data = (check_module.Problem("f", 1, 2, "p", "m", "h"), {1, 2}, frozenset("a"), Path("x"))
    entry.write_bytes(key + b"\n" + pickle.dumps(data))
    assert store.reuse("step", ["input"], lambda: "not made", lambda found: True) == data


def test_an_entry_made_with_another_secret_is_never_used(tmp_path):
    """Entries are keyed with a secret of the user's outside the project: what came with a
    repository or from another machine is made again, not trusted."""
    project = make_project(tmp_path / "project", SAMPLES["sportverein"])
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "home-a")}
    handbook = [sys.executable, "-m", "macros.cli", "check", "plans"]
    subprocess.run(handbook, cwd=project, env=env, check=True, capture_output=True)
    entry = project / ".cache/handbook/stored/shape-channels.pickle"
    made = entry.read_bytes()
    assert (tmp_path / "home-a" / "social-media-handbook" / "store-key").stat().st_size == 32
    channels = project / "plans" / "channels.yml"
    channels.write_text(channels.read_text(encoding="utf-8") + "# bearbeitet\n", encoding="utf-8")
    channels.write_text(channels.read_text(encoding="utf-8")[: -len("# bearbeitet\n")], encoding="utf-8")
    env["XDG_CACHE_HOME"] = str(tmp_path / "home-b")
    subprocess.run([*handbook, "--format", "json"], cwd=project, env=env, check=True, capture_output=True)
    assert entry.read_bytes().split(b"\n", 1)[0] != made.split(b"\n", 1)[0]


def test_a_shape_entry_without_model_or_problems_is_not_taken(tmp_path, shaped, monkeypatch):
    """A file that gave no model gave problems: an entry claiming neither would hide its errors."""
    project = _project(tmp_path, SAMPLES["sportverein"])
    channels = project / "plans" / "channels.yml"
    text = channels.read_text(encoding="utf-8")
    channels.write_text(text.replace("status: active", "status: aktiv", 1), encoding="utf-8")
    first = _check(project / "plans")
    entry = project / ".cache/handbook/stored/shape-channels.pickle"
    key = entry.read_bytes().split(b"\n", 1)[0]
    entry.write_bytes(key + b"\n" + pickle.dumps((None, [])))
    again = _check(project / "plans")
    assert again.errors == first.errors == 1
    _same(again, first)


@pytest.mark.parametrize("planted", ["endless link", "pipe", "folder"])
def test_an_entry_that_is_no_regular_file_is_not_read(tmp_path, shaped, planted):
    project = _project(tmp_path, SAMPLES["sportverein"])
    first = _check(project / "plans")
    entry = project / ".cache/handbook/stored/document-roles.pickle"
    entry.unlink()
    if planted == "endless link":
        entry.symlink_to("/dev/zero")
    elif planted == "pipe":
        os.mkfifo(entry)
    else:
        entry.mkdir()
    _same(_check(project / "plans"), first)  # returns: nothing endless was read


def test_a_link_planted_under_a_temporary_name_is_not_written_through(tmp_path):
    project = _project(tmp_path, SAMPLES["sportverein"])
    victim = tmp_path / "victim.txt"
    victim.write_text("kostbar\n", encoding="utf-8")
    stored = project / ".cache/handbook/stored"
    stored.mkdir(parents=True)
    for name in ("document-roles.pickle", "shape-roles.pickle"):  # the names used before mkstemp
        (stored / f".{name}.{os.getpid()}").symlink_to(victim)
    _check(project / "plans")
    assert victim.read_text(encoding="utf-8") == "kostbar\n"
    assert (stored / "shape-roles.pickle").is_file()


def test_a_linked_store_folder_is_not_used(tmp_path, shaped):
    project = _project(tmp_path, SAMPLES["sportverein"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".cache" / "handbook").mkdir(parents=True)
    (project / ".cache" / "handbook" / "stored").symlink_to(elsewhere)
    _check(project / "plans")
    _check(project / "plans")
    assert len(shaped) == 2 * len(list((project / "plans").glob("*.yml")))
    assert list(elsewhere.iterdir()) == []
