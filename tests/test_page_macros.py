"""A macro call on a written page that fails stops the build (and the export) with the page's file,
line and column, what is wrong and how to fix it: never mkdocs-macros' Python traceback, and the
published site stays as it was (macros/site/page_macros.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from macros.cli import main
from macros.site.page_check import page_problems
from macros.site.page_macros import SYNTAX_HINT, macro_error, template_line
from macros.site.render import fragments
from macros.site.settings import adds_macros

from .conftest import ROOT
from .site_support import build, fetch, free_port, make_project

KNOWN = ["show", "visual", "company"]


def _error(markdown: str, offset: int = 0) -> str:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)

    def visual(name: str) -> str:
        raise LookupError(f"visual: unknown visual '{name}'; known: coverage, timeline")

    def show(name: str) -> str:
        return name

    env.globals.update(show=show, visual=visual, company="Firma")
    try:
        env.from_string(markdown).render()
    except jinja2.TemplateSyntaxError as exc:
        return str(macro_error(exc, markdown, "content/seite.md", exc.lineno, offset, KNOWN))
    except Exception as exc:
        line = template_line(exc.__traceback__)
        return str(macro_error(exc, markdown, "content/seite.md", line, offset, KNOWN))
    raise AssertionError("the page rendered")


def test_an_unknown_name_is_placed_at_the_name_and_the_known_names_are_listed() -> None:
    assert _error("# Titel\n\nText und {{ zeige('goals') }}\n", offset=3) == (
        "content/seite.md:6:13: 'zeige' is not a macro or variable of the handbook\n"
        "  hint: check the spelling; pages may use: company, show, visual"
    )


def test_a_failing_macro_gives_its_own_message_at_the_tag() -> None:
    assert _error("a\n  - {{ visual('torte') }}\n") == (
        "content/seite.md:2:15: visual: unknown visual 'torte'; known: coverage, timeline\n"
        "  hint: correct the call on this line (README, 'Writing pages', lists the macros and their "
        "arguments)"
    )


def test_wrong_arguments_and_syntax_errors() -> None:
    assert _error("{{ show() }}").startswith(
        "content/seite.md:1:1: show() missing 1 required positional argument: 'name'\n"
    )
    assert _error("a\nb {{ show('goals' }}\n") == (
        "content/seite.md:2:3: the template tag does not parse: unexpected '}', expected ')'\n"
        "  hint: close each '{{' with '}}' and '{%' with '%}'; put literal braces in {% raw %}…{% endraw %}"
    )


def test_the_build_names_page_line_and_column_and_keeps_the_published_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", ROOT / "plans")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("published", encoding="utf-8")
    page = project / "content" / "das-wichtigste.md"  # has front matter: its lines count too
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nMehr dazu: {{ zeige('goals') }}\n", encoding="utf-8")
    line = len((text + "\n").splitlines()) + 1
    done = build(project)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert (
        f"content/das-wichtigste.md:{line}:15: 'zeige' is not a macro or variable of the handbook\n"
        "  hint: check the spelling; pages may use: " in output
    ), output
    hint = re.search(r"pages may use: (.*)", output)
    assert hint is not None and {"show", "visual", "unit", "company"} <= set(hint.group(1).split(", "))
    assert "Traceback" not in output and 'File "' not in output
    assert (site / "index.html").read_text(encoding="utf-8") == "published"
    assert not list(project.glob(".site.building-*"))

    page.write_text(text + "\n{{ visual('torte') }}\n", encoding="utf-8")
    done = build(project)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert f"content/das-wichtigste.md:{line}:11: visual: unknown visual 'torte'; known: " in output, output
    assert "Traceback" not in output


def test_the_export_names_page_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "project", ROOT / "plans")
    page = project / "content" / "ziele.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n{{ show('zeile') }}\n", encoding="utf-8")
    line = len((text + "\n").splitlines()) + 1
    code = main(["export", str(tmp_path / "out"), "-f", str(project / "mkdocs.yml")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"content/ziele.md:{line}:9: " in err and "; nothing was exported\n  hint: " in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_check_finds_on_the_written_pages_what_the_build_would_stop_on(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "kanaele").mkdir(parents=True)
    (content / "ziele.md").write_text(
        "---\nsearch:\n  boost: 2\n---\n# Ziele\n\n"
        '{{ show("zeile") }} und {{ shwo("goals") }}\n'
        '{{ unit("akk") }}{{ visual("torte") }}{{ people(form) }}\n'
        "{{ unbekannt() }}\n",
        encoding="utf-8",
    )
    (content / "kanaele" / "index.md").write_text(
        "{% macro box(text) %}!!! note\n    {{ text }}\n{% endmacro %}\n"
        "{% set form = 'dat' %}{% from 'x.md' import helper as h %}\n"
        "{{ box(people(form)) }} {{ h() }} {{ range(2) }} {{ now() }} {{ company }}\n"
        "{% set ns = namespace(n=0) %}{{ ns.n }}\n",
        encoding="utf-8",
    )
    (content / "kaputt.md").write_text("Text\n\n{{ show('goals' }}\n", encoding="utf-8")
    found = [
        (p.file.rsplit("content/", 1)[1], p.line, p.column, p.path, p.message, p.hint, p.source_line)
        for p in page_problems(content)
    ]
    shows, syntax = "unknown fragment 'zeile'; known: " + ", ".join(fragments()), SYNTAX_HINT
    assert [f[:6] for f in found[:4]] == [
        (
            "kaputt.md",
            3,
            1,
            "template",
            "the template tag does not parse: unexpected '}', expected ')'",
            syntax,
        ),
        ("ziele.md", 7, 9, "show", shows, "use one of the known fragments"),
        ("ziele.md", 7, 28, "shwo", "'shwo' is not a macro of the handbook", "did you mean 'show'?"),
        (
            "ziele.md",
            8,
            9,
            "unit",
            "unknown case 'akk'; known: nom, dat, gen, lead",
            "use one of the known cases",
        ),
    ]
    assert found[1][6] == '{{ show("zeile") }} und {{ shwo("goals") }}'
    assert found[4][:4] == ("ziele.md", 8, 28, "visual")
    assert found[4][4].startswith("unknown visual 'torte'; known: coverage, ")
    assert found[5][:5] == ("ziele.md", 9, 4, "unbekannt", "'unbekannt' is not a macro of the handbook")
    assert found[5][5].startswith("pages may call: ") and "show, " in found[5][5]
    assert len(found) == 6  # people(form), the page's own macro, import and variables are fine
    assert page_problems(ROOT / "content") == []


def test_handbook_check_reports_the_pages_with_the_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path / "project", ROOT / "plans")
    page = project / "content" / "ziele.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + '\nMehr: {{ visual("torte") }}\n', encoding="utf-8")
    line = len((text + "\n").splitlines()) + 1
    code = main(["check", str(project / "plans")])
    out = capsys.readouterr().out
    assert code == 1
    assert f"content/ziele.md:{line}:17: visual: unknown visual 'torte'; known: " in out, out
    assert f'  {line} | Mehr: {{{{ visual("torte") }}}}\n' in out
    assert out.endswith("1 error, 0 warnings (17 files, 175 records)\n")


MACROS_BLOCK = "  - macros:\n      module_name: macros\n"


@pytest.mark.parametrize(
    ("block", "files", "adds"),
    [
        (MACROS_BLOCK, (), False),  # this repository: the engine is the local module
        ("  - macros:\n      modules: [macros]\n", (), False),  # 'handbook init': the engine as pluglet
        ("  - macros:\n      modules: [macros]\n", ("main.py",), True),  # and the project's main.py
        ("  - macros:\n      modules: [macros]\n", ("main/__init__.py",), True),
        ("  - macros:\n      modules: [engine-src:macros]\n", (), False),
        ("  - macros:\n      modules: [macros, mkdocs-macros-test:mkdocs_macros_test]\n", (), True),
        ("  - macros:\n      modules: [macros]\n      module_name: werkzeuge\n", (), True),
        ("  - macros:\n", ("main.py",), True),  # no module named: mkdocs-macros' default, main.py
        ("  - macros:\n", (), False),
        # a tag of MkDocs' own (!relative) in the file does not hide the project's macros
        (
            "  - macros:\n      modules: [macros]\n      j2_comment_start_string: !relative x\n",
            ("main.py",),
            True,
        ),
    ],
)
def test_which_projects_add_macros_of_their_own(
    tmp_path: Path, block: str, files: tuple[str, ...], adds
) -> None:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert MACROS_BLOCK in text
    (tmp_path / "mkdocs.yml").write_text(text.replace(MACROS_BLOCK, block), encoding="utf-8")
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("def define_env(env):\n    pass\n", encoding="utf-8")
    assert adds_macros(tmp_path) is adds


def test_calls_of_a_projects_own_macros_are_left_to_the_build(tmp_path: Path) -> None:
    """A project whose mkdocs.yml loads a main.py of its own: check cannot know its macros, so it
    reports no unknown name, but still every fixed choice; the build renders the project's macro."""
    project = make_project(tmp_path / "project", ROOT / "plans")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(MACROS_BLOCK, "  - macros:\n      modules: [macros]\n"),
        encoding="utf-8",
    )
    (project / "main.py").write_text(
        'def define_env(env):\n    @env.macro\n    def hotline():\n        return "Hotline 0800 1234"\n',
        encoding="utf-8",
    )
    page = project / "content" / "ziele.md"
    text = page.read_text(encoding="utf-8") + "\nErreichbar: {{ hotline() }}\n"
    page.write_text(text + '{{ visual("torte") }}\n', encoding="utf-8")
    found = [(p.path, p.message.split(";")[0]) for p in page_problems(project / "content")]
    assert found == [("visual", "unknown visual 'torte'")]
    page.write_text(text, encoding="utf-8")
    assert page_problems(project / "content") == []
    done = build(project, "-d", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert "Erreichbar: Hotline 0800 1234" in (tmp_path / "site" / "ziele" / "index.html").read_text(
        encoding="utf-8"
    )


def test_serve_reports_a_failing_macro_and_goes_on_serving(tmp_path: Path) -> None:
    """As ./run.sh serve runs it: the failing edit is reported once with its place (MkDocs holds
    the pages until a build succeeds), and the fix is served (mkdocs-macros alone exited)."""
    project = make_project(tmp_path / "project", ROOT / "plans")
    page = project / "content" / "ziele.md"
    text = page.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/ziele/"
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--strict", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        assert "Ziele" in _served(url, "Ziele", log)
        page.write_text(text + "\nMehr dazu: {{ zeige('goals') }}\n", encoding="utf-8")
        line = len((text + "\n").splitlines()) + 1
        _wait(lambda: f"content/ziele.md:{line}:15: 'zeige' is not a macro" in log.read_text(), log)
        time.sleep(1.5)  # a failing build that started the next one would show by now
        assert log.read_text().count("Building documentation") == 2 and server.poll() is None
        page.write_text(text + "\nMehr dazu: {{ show('goals') | length > 0 }}\n", encoding="utf-8")
        assert "Mehr dazu: True" in _served(url, "Mehr dazu: True", log)
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(20)
    assert "Traceback" not in log.read_text()


def _wait(done: Callable[[], bool], log: Path, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < end, log.read_text()
        time.sleep(0.1)


def _served(url: str, text: str, log: Path) -> str:
    found: list[str] = []

    def has_text() -> bool:
        found[:] = [fetch(url) or ""]
        return text in found[0]

    _wait(has_text, log)
    return found[0]
