"""Hostile plans made from the models: every text field of every model gets a payload.

The fields are discovered from the models (``macros.data.kinds.MODELS`` and everything nested),
never listed by hand, so a new field is covered the day it is added. ``hostile_plans``
fills a copy of the sample plans: each text field present is replaced, each one missing is
added, and the set of fields filled must equal the set discovered. ``benign`` makes a
twin with the same whitespace skeleton and only letters, for a differential comparison
of the built pages.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Union

import yaml
from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from macros.data.fields import _edit_path, _handle, _id, _site_name, _site_path, _time, _url
from macros.data.kinds import MODELS
from macros.data.loader import SourceFloat, SourceInt, load_file
from macros.data.vocabularies import Choice
from macros.data.walk import fields_of

MARK = "hx"
"""Every payload starts with MARK + a number, so it can be found in the output."""

JINJA = '{{ "hx-jinja-" ~ 7*7 }}{% if true %}hx-jinja-tag{% endif %}'
"""Evaluated, this would print 'hx-jinja-49' and 'hx-jinja-tag' without the braces around them."""

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[Mehr](javascript:alert(1)) [x](https://evil.example/l)",
    "![](https://evil.example/p.gif)",
    'a\n\n<div onmouseover="alert(1)">x</div>\n\n<iframe src=https://evil.example></iframe>',
    JINJA,
    ":heart: :material-alert: :fontawesome-brands-github:",
    '" onmouseover="alert(1)" x=" \' onfocus=\'alert(1)',
    "C:\\Daten\\ \\\\ \\*nicht fett\\* \\",
    "Zeile\n- Liste\n# Überschrift\n1. Punkt\n---\n> Zitat",
    "Tab\tund \u202eRechts\u2066Isolat\u2069 \u200bnull \u2028Trenner",
    "*[HTML]: Hyper Text *fett* _kursiv_ ~~weg~~ ^hoch^ ==mark==",
    '!!! danger "Falle"\n    Inhalt',
    '{: onclick="alert(1)" } {#anker} {{ x }}',
    "| a | b |\n|---|---|\n| c | d |",
    "<https://evil.example/a> https://evil.example/b www.evil.example",
    "&lt;script&gt;alert(1)&lt;/script&gt; &#60;img src=x onerror=alert(1)&#62;",
    "[x]: https://evil.example\n[x] [x][] [^1]\n[^1]: Fußnote",
    "<!-- Kommentar --> <?php echo 1 ?> <![CDATA[x]]>",
    "`code` ```fence``` ~~~",
    "- [ ] Aufgabe [x] erledigt",
    "<svg onload=alert(1)><a xlink:href=javascript:alert(1)>x</a></svg>",
    "<a href='javascript:alert(1)'>x</a> <form action=https://evil.example><input></form>",
    "<style>body{background:url(https://evil.example/s.png)}</style>",
]

URL_PAYLOADS = [
    'https://social.example/hx/![a](y)"onmouseover=alert(1)',
    "https://social.example/hx/<img/src=x/onerror=alert(1)>",
    "https://social.example/hx/[x](javascript:alert(1))|'",
    "mailto:team@social.example?subject=:heart:{{x}}",
]


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            base, *extra = typing.get_args(annotation)
            annotation, metadata = base, [*metadata, *extra]
        elif origin in (Union, typing.get_origin(int | None)):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, metadata
            annotation = args[0]
        else:
            return annotation, metadata


def _validators(metadata: list[Any]) -> set[Any]:
    return {m.func for m in metadata if isinstance(m, BeforeValidator)}


def text_kind(info: FieldInfo) -> str | None:
    """'text', 'texts' (a list of texts) or 'url' for a field people write free text into; else None."""
    annotation, metadata = _unwrap(info.annotation, list(info.metadata))
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        item, item_meta = _unwrap(item, [])
        if item is str and _handle in _validators(item_meta):
            return "handles"  # CODEOWNERS handles: checked to be one token, never on a page
        if item is str and not any(type(m).__name__ == "Ref" or isinstance(m, Choice) for m in item_meta):
            return "texts"
        return None
    if annotation is not str or any(type(m).__name__ == "Ref" or isinstance(m, Choice) for m in metadata):
        return None  # a reference or a vocabulary value (whose custom labels are text fields)
    validators = _validators(metadata)
    if validators & {_id, _time, _site_path, _site_name, _edit_path}:
        return None  # ids, times, paths, the site name: markup characters refused (test_overlay)
    return "url" if _url in validators else "text"


def all_models() -> list[type[BaseModel]]:
    """Every model reachable from the plans files, in a stable order."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for _, _, shape in fields_of(model):
            while shape.what == "list":
                shape = shape.item  # type: ignore[assignment]
            if shape.what == "model":
                visit(shape.model)  # type: ignore[arg-type]

    for model in MODELS.values():
        visit(model)
    return seen


def text_fields() -> set[tuple[str, str]]:
    """(model name, YAML key) of every free-text field of every model."""
    out = set()
    for model in all_models():
        for name, info in model.model_fields.items():
            if text_kind(info):
                out.add((model.__name__, info.alias or name))
    return out


class Filler:
    """Puts a numbered payload into every text field of raw plans data."""

    def __init__(self, hostile: bool = True):
        self.hostile = hostile
        self.count = 0
        self.filled: set[tuple[str, str]] = set()
        self.values: list[str] = []

    def _next(self, kind: str) -> str:
        self.count += 1
        pool = URL_PAYLOADS if kind == "url" else PAYLOADS
        payload = pool[self.count % len(pool)]
        if kind == "url":
            text = payload.replace("/hx/", f"/{MARK}{self.count}/")
            if not self.hostile:
                text = f"https://social.example/{MARK}{self.count}/" + "x" * (len(payload) - 24)
        else:
            text = f"{MARK}{self.count} {payload}"
            if not self.hostile:
                text = f"{MARK}{self.count} " + "".join(c if c.isspace() else "x" for c in payload)
        self.values.append(text)
        return text

    def fill(self, model: type[BaseModel], data: dict) -> None:
        for name, info in model.model_fields.items():
            key = info.alias or name
            kind = text_kind(info)
            if kind in ("text", "url"):
                data[key] = self._next(kind)
                self.filled.add((model.__name__, key))
            elif kind == "handles":
                self.count += 1
                data[key] = [f"@{MARK}{self.count}/team"]
                self.filled.add((model.__name__, key))
            elif kind == "texts":
                items = data.get(key) if isinstance(data.get(key), list) else []
                data[key] = [self._next("text") for _ in range(max(1, len(items)))]
                self.filled.add((model.__name__, key))
        for _, key, shape in fields_of(model):
            for sub_model, item in _nested(shape, data.get(key)):
                self.fill(sub_model, item)


def _nested(shape: Any, value: Any) -> Iterator[tuple[type[BaseModel], dict]]:
    if shape.what == "model" and isinstance(value, dict):
        yield shape.model, value
    elif shape.what == "list" and isinstance(value, list):
        for item in value:
            yield from _nested(shape.item, item)


def plain(value: Any) -> Any:
    """Loaded data with numbers as plain int/float again (for yaml.safe_dump)."""
    if isinstance(value, SourceInt):
        return int(value)
    if isinstance(value, SourceFloat):
        return float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def write_filled_plans(source: Path, dest: Path, hostile: bool = True) -> Filler:
    """Copy the plans in ``source`` to ``dest`` with every text field filled; returns the filler."""
    dest.mkdir(parents=True, exist_ok=True)
    filler = Filler(hostile)
    for stem, model in MODELS.items():
        path = source / f"{stem}.yml"
        if not path.exists():
            continue
        data = load_file(path).data
        filler.fill(model, data)
        text = yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False, width=1000)
        (dest / f"{stem}.yml").write_text(text, encoding="utf-8")
    return filler


CUSTOM_VOCABULARIES = {
    "target_group_kinds": [{"id": "hostile-kind", "label": "Eigene Gruppe"}],
    "audiences": [{"id": "hostile-audience", "label": "Eigenes Publikum"}],
    "goal_categories": [{"id": "hostile-category", "label": "Eigene Kategorie"}],
    "time_units": [{"id": "hostile-unit", "label": "Schicht", "plural": "Schichten"}],
}
"""One custom value per vocabulary, so that their labels (text fields) are filled and shown."""


def with_custom_vocabularies(source: Path, dest: Path) -> Path:
    """A copy of the plans in ``source`` whose first target group, goal, rule, module and
    duration use a custom vocabulary value defined in ``dest``'s vocabularies.yml."""
    dest.mkdir(parents=True, exist_ok=True)
    data = {
        stem: plain(load_file(source / f"{stem}.yml").data)
        for stem in MODELS
        if (source / f"{stem}.yml").exists()
    }
    vocabularies = data.setdefault("vocabularies", {})
    for key, values in CUSTOM_VOCABULARIES.items():
        vocabularies[key] = [*(vocabularies.get(key) or []), *values]

    def first(stem: str, *path: str) -> list[dict]:
        found = [data.get(stem) or {}]
        for key in path:
            found = [item for entry in found for item in (entry.get(key) or [])][:1]
        return found

    for group in first("target-groups", "target_groups"):
        group["type"] = "hostile-kind"
    for goal in first("goals", "goals"):
        goal["category"] = "hostile-category"
    for rule in first("guidelines", "guidelines", "rules"):
        rule["audience"] = "hostile-audience"
    for module in first("training", "modules"):
        module["audience"] = [*module.get("audience", []), "hostile-audience"]
    for level in first("crisis", "levels"):
        level["response_time"] = {"value": 3, "unit": "hostile-unit"}
    for stem, content in data.items():
        text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=1000)
        (dest / f"{stem}.yml").write_text(text, encoding="utf-8")
    return dest
