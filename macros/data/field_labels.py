"""German labels of the fields in plans/: the one place that names a field for readers.

``field_label(model, key)`` is the label of one field, ``path_label(model, path)`` the label of a
field path such as ``steps[0].consulted`` ("Schritte, Nr. 1 › Konsultiert (C)"). A key means
the same thing in every model unless ``BY_MODEL`` says otherwise (``name`` of a company is its
"Name", of a process step "Schritt"). ``tests/test_field_labels.py`` finds every field of every
model and fails when one has no label here.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from .walk import fields_of

LABELS: dict[str, str] = {
    "accent": "Akzentfarbe",
    "accountable": "Verantwortlich (A)",
    "address": "Ansprache",
    "agenda": "Ablauf",
    "aliases": "Andere Schreibweisen",
    "answer": "Antwort",
    "applies": "Gilt wann",
    "approval": "Freigabe",
    "approvals": "Freigaben",
    "approved": "Freigegeben am",
    "approved_by": "Freigegeben von",
    "approvers": "Freigabe durch",
    "audience": "Gilt für",
    "audiences": "Eigene Zielpublika",
    "baseline": "Ausgangswert",
    "baseline_date": "Ausgangswert gemessen am",
    "budget_eur": "Budget (Euro)",
    "by": "Freigegeben von",
    "cadence": "Rhythmus",
    "category": "Kategorie",
    "channel": "Kanal",
    "channels": "Kanäle",
    "checklist": "Checkliste",
    "codeowners": "Code-Owner-Kennungen",
    "colours": "Farben",
    "company": "Organisation",
    "consulted": "Konsultiert (C)",
    "contact": "Kontakt",
    "contact_visibility": "Sichtbarkeit der Kontaktdaten",
    "contents": "Inhalt",
    "criteria": "Kriterien",
    "culture": "Kultur und Etikette",
    "current": "Aktueller Wert",
    "date": "Datum",
    "day": "Wochentag",
    "deadline": "Frist",
    "decided_by": "Entschieden von",
    "definition": "Bedeutung",
    "department": "Abteilung",
    "deputy": "Stellvertretung",
    "derived_from": "Abgeleitet aus",
    "description": "Beschreibung",
    "direction": "Richtung",
    "do": "So ja",
    "done_when": "Erledigt, wenn",
    "dont": "So nicht",
    "duration_minutes": "Dauer (Minuten)",
    "duties": "Aufgaben",
    "edit_path": "Bearbeitungspfad",
    "effort": "Aufwand",
    "employees": "Zahl der Menschen",
    "end": "Ende",
    "engagement": "Wie wir sie einbinden",
    "everyone": "Zielpublikum „für alle“",
    "escalation": "Eskalationskette",
    "evidence": "Belege",
    "examples": "Beispiele",
    "exercises": "Übungen",
    "expert_answer": "Antwortzeit der Experten",
    "experts": "Experten",
    "favicon": "Browser-Symbol",
    "first_response": "Erste Antwort",
    "folder": "Krisenordner",
    "format": "Format",
    "formats": "Formate",
    "frequency": "Häufigkeit",
    "goal": "Ziel",
    "goal_categories": "Eigene Zielkategorien",
    "goals": "Ziele",
    "guidelines": "Richtlinien",
    "holders": "Besetzt mit",
    "hours_per_month": "Stunden pro Monat",
    "hours_per_week": "Stunden pro Woche",
    "id": "Kennung",
    "implication": "Was wir daraus machen",
    "influence": "Einfluss",
    "informed": "Informiert (I)",
    "inputs": "Grundlagen",
    "insight": "Erkenntnis",
    "interest": "Interesse",
    "intro": "Einleitung",
    "keeper": "Gepflegt von",
    "item": "Punkt",
    "kind": "Form",
    "kpi": "Kennzahl",
    "label": "Bezeichnung",
    "language": "Sprache",
    "lead": "Leitung",
    "lead_idea": "Leitidee",
    "legal_basis": "Rechtsgrundlage",
    "level": "Stufe",
    "levels": "Krisenstufen",
    "listening": "Erkenntnisse aus dem Zuhören",
    "location": "Standort",
    "log": "Lernprotokoll",
    "logo": "Logo",
    "mandate": "Mandat",
    "mandate_visibility": "Sichtbarkeit des Mandats",
    "measured": "Gemessen am",
    "measures": "Maßnahmen",
    "meeting": "Regeltermin",
    "meets": "Treffen",
    "members": "Mitglieder",
    "mentor": "Begleitung",
    "mission": "Mission",
    "module": "Schulungsmodul",
    "modules": "Schulungsmodule",
    "name": "Name",
    "needs": "Was sie brauchen",
    "next": "Nächster Termin",
    "notify": "Zu informieren",
    "objectives": "Lernziele",
    "on": "Freigegeben am",
    "obligation": "Verbindlichkeit",
    "outputs": "Ergebnisse",
    "owner": "Verantwortliche Rolle",
    "participants": "Teilnehmende",
    "people": "Wer dazugehört",
    "perspective": "Perspektive",
    "phase": "Phase",
    "place": "Ort",
    "pillar": "Themensäule",
    "pillars": "Themensäulen",
    "platform": "Plattform",
    "plural": "Plural",
    "prerequisites": "Voraussetzungen",
    "primary": "Hauptfarbe",
    "principles": "Grundsätze",
    "priority": "Priorität",
    "processes": "Prozesse",
    "proof_points": "Belege",
    "purpose": "Zweck",
    "question": "Frage",
    "questions": "Fragen",
    "rationale": "Begründung",
    "reach": "Erreichbarkeit",
    "reach_visibility": "Sichtbarkeit der Erreichbarkeit",
    "replaced_by": "Abgelöst durch",
    "reports_to": "Berichtet an",
    "repository": "Repository",
    "response_time": "Antwortzeit",
    "responsibility": "Verantwortung",
    "responsible": "Durchführend (R)",
    "review": "Strategiereview",
    "review_interval_days": "Prüfintervall (Tage)",
    "reviewed": "Zuletzt geprüft",
    "reviews": "Reviews",
    "rhythm": "Redaktionsrhythmus",
    "role": "Rolle",
    "roles": "Rollen",
    "rule": "Regel",
    "rules": "Regeln",
    "self_check": "Selbsttest",
    "service_levels": "Zusagen",
    "share_percent": "Anteil (Prozent)",
    "site": "Handbuch-Einstellungen",
    "situation": "Anlass",
    "size": "Größe",
    "source": "Quelle",
    "staff_representation": "Personalvertretung",
    "start": "Beginn",
    "statement": "Aussage",
    "status": "Status",
    "steps": "Schritte",
    "story": "Erzählstränge",
    "summary": "Kurzfassung",
    "supports": "Unterstützt",
    "swot": "SWOT-Analyse",
    "target": "Zielwert",
    "target_group_kinds": "Eigene Zielgruppenarten",
    "target_groups": "Zielgruppen",
    "task": "Aufgabe",
    "tasks": "Aufgaben",
    "templates": "Antwortvorlagen",
    "term": "Begriff",
    "terms": "Begriffe",
    "text": "Text",
    "time": "Uhrzeit",
    "time_units": "Eigene Zeiteinheiten",
    "title": "Titel",
    "tone": "Tonalität",
    "tool": "Werkzeug",
    "tools": "Werkzeuge",
    "topics": "Themen",
    "trainer": "Schulung durch",
    "trigger": "Auslöser",
    "type": "Art",
    "unit": "Einheit",
    "url": "Adresse",
    "usp": "Alleinstellungsmerkmal",
    "value": "Wert",
    "visibility": "Sichtbarkeit",
    "vision": "Vision",
    "website": "Website",
    "week": "Woche",
    "weeks": "Wochen",
    "when": "Wann",
    "where": "Wo wir sie finden",
    "who": "Wer",
    "within": "Frist",
}
"""Key -> German label, for every key that means the same in every model."""

BY_MODEL: dict[tuple[str, str], str] = {
    ("Colours", "primary"): "Hauptfarbe",
    ("Company", "name"): "Name der Organisation",
    ("Expert", "contact"): "Kontaktweg",
    ("Goal", "description"): "Warum das Ziel zählt",
    ("Goal", "unit"): "Einheit der Kennzahl",
    ("Goal", "source"): "Quelle der Kennzahl",
    ("ListeningInsight", "source"): "Beobachtet bei",
    ("ListeningInsight", "target_groups"): "Beobachtete Zielgruppen",
    ("ListeningInsight", "date"): "Beobachtet am",
    ("LogEntry", "date"): "Datum",
    ("LogEntry", "type"): "Art des Eintrags",
    ("Module", "format"): "Lernform",
    ("OnboardingFile", "role"): "Einzuarbeitende Rolle",
    ("OnboardingWeek", "goal"): "Ziel der Woche",
    ("Process", "channels"): "Gilt für Kanäle",
    ("Responsibility", "kind"): "Form der Verantwortung",
    ("Responsibility", "name"): "Name der Einheit",
    ("Rule", "channels"): "Nur auf den Kanälen",
    ("Site", "name"): "Name des Handbuchs",
    ("Step", "name"): "Schritt",
    ("SwotEntry", "type"): "SWOT-Art",
    ("TargetGroup", "type"): "Art der Zielgruppe",
    ("TargetGroup", "value"): "Welchen Mehrwert wir bieten",
    ("TargetGroup", "description"): "Wer sie sind",
    ("TimeUnitValue", "label"): "Singular",
    ("ServiceLevel", "name"): "Zusage",
    ("CrisisLevel", "response_time"): "Zeit bis zur ersten Antwort",
    ("Duration", "value"): "Anzahl",
}
"""(model class name, key) -> German label, where a key means something else in that model."""


VALUE_GROUPS: dict[str, str] = {
    "priority": "priority",
    "influence": "level",
    "interest": "level",
    "status": "status",
    "address": "address",
    "perspective": "perspective",
    "obligation": "obligation",
    "audience": "audience",
    "cadence": "cadence",
    "day": "day",
    "phase": "phase",
    "category": "goal_category",
    "visibility": "visibility",
    "contact_visibility": "visibility",
    "everyone": "audience",
    "reach_visibility": "visibility",
    "mandate_visibility": "visibility",
}
"""Key -> group in ``labels.LABELS`` of the German labels of its values, where it has one."""

VALUE_GROUPS_BY_MODEL: dict[tuple[str, str], str] = {
    ("TargetGroup", "type"): "group_kind",
    ("SwotEntry", "type"): "swot",
    ("LogEntry", "type"): "log_kind",
    ("Responsibility", "kind"): "responsibility",
    ("Approval", "status"): "approval",
    ("Duration", "unit"): "unit",
}


def value_group(model: type[BaseModel] | None, path: str) -> str:
    """The ``labels.LABELS`` group of the values of the field at ``path`` ('' for none)."""
    *outer, last = path.split(".")
    for piece in outer:
        model = _sub_model(model, piece.partition("[")[0])
    key = last.partition("[")[0]
    if model is not None:
        for cls in model.__mro__:
            group = VALUE_GROUPS_BY_MODEL.get((cls.__name__, key))
            if group:
                return group
    return VALUE_GROUPS.get(key, "")


def field_label(model: type[BaseModel] | None, key: str) -> str:
    """The German label of ``key`` in ``model``; an unknown key (a typo in plans/) as written."""
    if model is not None:
        for cls in model.__mro__:
            label = BY_MODEL.get((cls.__name__, key))
            if label:
                return label
    return LABELS.get(key, key)


_STEP = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def path_label(model: type[BaseModel] | None, path: str) -> str:
    """A field path as readers name it: ``steps[0].consulted`` -> 'Schritte, Nr. 1 › Konsultiert (C)'."""
    parts = []
    for piece in path.split("."):
        found = _STEP.fullmatch(piece)
        if found is None:
            return path  # not a path we made: show it as it is
        key, indexes = found.groups()
        numbers = [int(i) + 1 for i in re.findall(r"\d+", indexes)]
        parts.append(field_label(model, key) + "".join(f", Nr. {n}" for n in numbers))
        model = _sub_model(model, key)
    return " › ".join(parts)


def model_at(model: type[BaseModel] | None, path: str) -> type[BaseModel] | None:
    """The model of the field at ``path`` (of its entries, for a list), None for plain data."""
    for piece in path.split("."):
        model = _sub_model(model, piece.partition("[")[0])
    return model


def _sub_model(model: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    if model is None:
        return None
    for _, name, shape in fields_of(model):
        if name == key:
            while shape.what == "list":
                shape = shape.item  # type: ignore[assignment]
            return shape.model if shape.what == "model" else None
    return None


def all_fields(models: Any) -> list[tuple[type[BaseModel], str]]:
    """(model, key) of every field of these models and the models inside them, each once."""
    seen: set[type[BaseModel]] = set()
    out: list[tuple[type[BaseModel], str]] = []

    def visit(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.add(cls)
        for _, key, shape in fields_of(cls):
            out.append((cls, key))
            while shape.what == "list":
                shape = shape.item  # type: ignore[assignment]
            if shape.what == "model":
                visit(shape.model)  # type: ignore[arg-type]

    for cls in models:
        visit(cls)
    return out
