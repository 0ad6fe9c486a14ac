"""Compiled templates kept between builds (macros/site/theme_cache.py): never stale, never shared
between environments that compile differently, and harmless when the cache folder is unusable."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from macros.site.theme_cache import CompiledTemplates


class _NoCompiling(jinja2.Environment):
    def compile(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        raise AssertionError("compiled again")


def _render(folder: Path, cache: Path, environment: type = jinja2.Environment, **setup: object) -> str:
    env = environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        bytecode_cache=CompiledTemplates(str(cache)),  # a new process: nothing in memory
        **setup,  # type: ignore[arg-type]
    )
    return env.get_template("page.html").render(name="Team")


def _folders(tmp_path: Path, page: str) -> tuple[Path, Path]:
    """A template folder holding ``page.html`` with ``page``, and an empty cache folder."""
    templates, cache = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    cache.mkdir()
    (templates / "page.html").write_text(page, encoding="utf-8")
    return templates, cache


def test_a_template_compiled_by_an_earlier_build_is_read_from_the_folder(tmp_path: Path) -> None:
    templates, cache = _folders(tmp_path, "Hallo {{ name }}")
    assert _render(templates, cache) == "Hallo Team"
    stored = sorted(p.name for p in cache.iterdir())
    assert len(stored) == 1 and stored[0].startswith("__jinja2_")
    assert _render(templates, cache, _NoCompiling) == "Hallo Team"  # a later build


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    templates, cache = _folders(tmp_path, "Hallo {{ name }}")
    assert _render(templates, cache) == "Hallo Team"
    (templates / "page.html").write_text("Willkommen, {{ name }}!", encoding="utf-8")
    assert _render(templates, cache) == "Willkommen, Team!"


def test_environments_that_compile_differently_do_not_share_code(tmp_path: Path) -> None:
    templates, cache = _folders(tmp_path, "{% if name %}\nHallo {{ name }}\n{% endif %}\n")
    assert _render(templates, cache) == "\nHallo Team\n"
    assert _render(templates, cache, trim_blocks=True) == "Hallo Team\n"
    assert _render(templates, cache) == "\nHallo Team\n"
    (templates / "page.html").write_text("<<< name >>>", encoding="utf-8")
    assert _render(templates, cache, variable_start_string="<<<", variable_end_string=">>>") == "Team"
    assert len(list(cache.iterdir())) == 3  # one per set-up that compiled it


def test_an_unusable_cache_folder_leaves_templates_compiled_in_memory(tmp_path: Path) -> None:
    templates, _ = _folders(tmp_path, "Hallo {{ name }}")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    assert _render(templates, not_a_folder) == "Hallo Team"
    assert not_a_folder.read_text(encoding="utf-8") == ""


def test_the_cache_folder_is_a_setting_and_can_be_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates, _ = _folders(tmp_path, "Hallo {{ name }}")
    folder = tmp_path / "ci-cache" / "templates"
    monkeypatch.setenv("HANDBOOK_TEMPLATE_CACHE", str(folder))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=CompiledTemplates()
    )
    assert env.get_template("page.html").render(name="Team") == "Hallo Team"
    assert len(list(folder.iterdir())) == 1
    monkeypatch.setenv("HANDBOOK_TEMPLATE_CACHE", "off")
    assert CompiledTemplates().directory == ""
