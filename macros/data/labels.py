"""German labels for the English enum values in plans/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "priority": {"high": "hoch", "medium": "mittel", "low": "niedrig"},
    "level": {"high": "hoch", "medium": "mittel", "low": "niedrig"},
    "status": {
        "planned": "geplant",
        "active": "aktiv",
        "paused": "pausiert",
        "retired": "eingestellt",
        "in_progress": "in Arbeit",
        "done": "erledigt",
        "on_hold": "zurückgestellt",
        "cancelled": "abgebrochen",
    },
    "group_kind": {
        "customers": "Kunden",
        "prospects": "Interessenten",
        "influencers": "Influencer",
        "opinion_leaders": "Meinungsführer",
        "stakeholders": "Stakeholder",
        "press": "Presse",
        "employees": "Mitarbeitende",
        "applicants": "Bewerberinnen und Bewerber",
        "partners": "Partner",
        "community": "Community",
    },
    "address": {"du": "Du", "sie": "Sie", "mixed": "Du und Sie je nach Kontext"},
    "swot": {
        "strength": "Stärke",
        "weakness": "Schwäche",
        "opportunity": "Chance",
        "threat": "Risiko",
    },
    "swot_plural": {
        "strength": "Stärken",
        "weakness": "Schwächen",
        "opportunity": "Chancen",
        "threat": "Risiken",
    },
    "perspective": {
        "leadership": "Führung",
        "employees": "Mitarbeitende",
        "stakeholders": "Stakeholder",
    },
    "obligation": {"must": "Pflicht", "should": "Empfehlung"},
    "audience": {
        "all_employees": "alle Mitarbeitenden",
        "community_managers": "Community Manager",
        "leadership": "Führungskräfte",
        "experts": "Fachexperten",
    },
    "cadence": {
        "daily": "täglich",
        "weekly": "wöchentlich",
        "biweekly": "alle zwei Wochen",
        "monthly": "monatlich",
        "quarterly": "vierteljährlich",
        "half_yearly": "halbjährlich",
        "yearly": "jährlich",
    },
    "day": {
        "monday": "Montag",
        "tuesday": "Dienstag",
        "wednesday": "Mittwoch",
        "thursday": "Donnerstag",
        "friday": "Freitag",
        "saturday": "Samstag",
        "sunday": "Sonntag",
    },
    "unit": {
        "minutes": ("Minute", "Minuten"),  # type: ignore[dict-item]
        "hours": ("Stunde", "Stunden"),  # type: ignore[dict-item]
        "working_hours": ("Arbeitsstunde", "Arbeitsstunden"),  # type: ignore[dict-item]
        "days": ("Tag", "Tage"),  # type: ignore[dict-item]
        "working_days": ("Arbeitstag", "Arbeitstage"),  # type: ignore[dict-item]
        "weeks": ("Woche", "Wochen"),  # type: ignore[dict-item]
        "months": ("Monat", "Monate"),  # type: ignore[dict-item]
    },
    "phase": {
        "prepare": "Vorbereiten",
        "detect": "Erkennen",
        "respond": "Reagieren",
        "recover": "Nachbereiten",
    },
    "log_kind": {"learning": "Erkenntnis", "decision": "Entscheidung", "experiment": "Experiment"},
    "goal_category": {
        "awareness": "Bekanntheit",
        "engagement": "Interaktion",
        "traffic": "Traffic",
        "leads": "Leads",
        "recruiting": "Recruiting",
        "service": "Service",
        "reputation": "Reputation",
        "internal": "Intern",
    },
    "responsibility": {
        "person": "eine verantwortliche Person",
        "team": "ein Team",
        "working_group": "eine bereichsübergreifende Arbeitsgruppe",
    },
    "visibility": {"public": "öffentlich", "internal": "intern", "confidential": "vertraulich"},
    "approval": {
        "draft": "Entwurf",
        "in_review": "in Abstimmung",
        "approved": "freigegeben",
        "superseded": "abgelöst",
    },
}

_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


def values_for(word: str) -> list[str]:
    """The values whose German label is ``word`` (any case): 'Hoch' -> ['high']."""
    if not _VALUES:
        for labels in LABELS.values():
            for value, shown in labels.items():
                for text in shown if isinstance(shown, tuple) else (shown,):
                    _VALUES.setdefault(text.lower(), []).append(value)
    return list(dict.fromkeys(_VALUES.get(word.lower(), [])))


_VALUES: dict[str, list[str]] = {}


Custom = dict[str, dict[str, Any]]
"""Label group -> {value: label} of the values an organisation defined (plans/vocabularies.yml)."""


def label(group: str, value: str | None, custom: Custom | None = None) -> str:
    """German label of an enum value (built in, or ``custom``); unknown values are shown as written."""
    if value is None:
        return ""
    # The plan's labels first: its own values, and built-in ones it words for its people.
    found = (custom or {}).get(group, {}).get(value) or LABELS.get(group, {}).get(value) or value
    return found if isinstance(found, str) else found[1]


def capital(text: str) -> str:
    """Upper-case only the first letter, for a label that starts a sentence or a table cell.

    'in Arbeit' -> 'In Arbeit' ('str.capitalize' would lower the rest: 'In arbeit').
    """
    return text[:1].upper() + text[1:]


def plural(count: float, one: str, many: str) -> str:
    """A count with the noun in the right number: '1 Eintrag', '0 Einträge', '2,5 Stunden'."""
    return f"{number_de(count)} {one if count == 1 else many}"


def enumeration(items: list[str]) -> str:
    """'A', 'A und B', 'A, B und C'; nothing for no items."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} und {items[-1]}"


def plural_dative(noun: str) -> str:
    """Dative plural: '-n' unless the plural already ends in -n or -s ('Tage' -> 'Tagen')."""
    return noun if noun.endswith(("n", "s")) else noun + "n"


# How a sentence names the unit that owns social media, by responsibility kind, so that no
# article is ever put before a name the organisation wrote: "a" introduces the unit, "the"
# refers back to it (nominative; the same in the accusative for these nouns). The written pages
# name it without context, in a case: "nom" (also the accusative), "dat", "gen"; "lead" is who
# speaks for it (its lead, or the person), "at" where a matter is raised when no meeting is named.
RESPONSIBILITY_WORDS: dict[str, dict[str, str]] = {
    "person": {
        "a": "eine Person",
        "the": "die verantwortliche Person",
        "nom": "die für Social Media verantwortliche Person",
        "dat": "der für Social Media verantwortlichen Person",
        "gen": "der für Social Media verantwortlichen Person",
        "lead": "die für Social Media verantwortliche Person",
        "at": "bei der für Social Media verantwortlichen Person",
    },
    "team": {
        "a": "ein Team",
        "the": "das Team",
        "nom": "das Social-Media-Team",
        "dat": "dem Social-Media-Team",
        "gen": "des Social-Media-Teams",
        "lead": "die Leitung des Social-Media-Teams",
        "at": "bei der Leitung des Social-Media-Teams",
    },
    "working_group": {
        "a": "eine bereichsübergreifende Arbeitsgruppe",
        "the": "die Arbeitsgruppe",
        "nom": "die Social-Media-Arbeitsgruppe",
        "dat": "der Social-Media-Arbeitsgruppe",
        "gen": "der Social-Media-Arbeitsgruppe",
        "lead": "die Leitung der Social-Media-Arbeitsgruppe",
        "at": "bei der Leitung der Social-Media-Arbeitsgruppe",
    },
}


def responsibility(kind: str, form: str, start: bool = False) -> str:
    """'ein Team' (form 'a'), 'das Team' ('the'), 'dem Social-Media-Team' ('dat') for a
    responsibility kind; ``start`` capitalises it for the start of a sentence."""
    words = RESPONSIBILITY_WORDS[kind][form]
    return capital(words) if start else words


# The people an organisation's rules are for (organisation.yml `company.people`), by form:
# "nom" without an article ('Sind Mitglieder betroffen?', also the accusative), "all" after
# 'alle', an article or a possessive ('alle Mitglieder', 'der Ehrenamtlichen'), "dat" the dative
# plural ('von Mitgliedern'), "one" one person of them ('als Mitarbeiterin oder Mitarbeiter').
PEOPLE_WORDS: dict[str, dict[str, str]] = {
    "employees": {
        "nom": "Mitarbeitende",
        "all": "Mitarbeitenden",
        "dat": "Mitarbeitenden",
        "one": "Mitarbeiterin oder Mitarbeiter",
    },
    "members": {
        "nom": "Mitglieder",
        "all": "Mitglieder",
        "dat": "Mitgliedern",
        "one": "Mitglied",
    },
    "volunteers": {
        "nom": "Ehrenamtliche",
        "all": "Ehrenamtlichen",
        "dat": "Ehrenamtlichen",
        "one": "Ehrenamtliche oder Ehrenamtlicher",
    },
}
PEOPLE_FORMS = ("nom", "all", "dat", "one")
# The label groups templates use with the 'label' filter: the plural and one person.
LABELS["people"] = {kind: words["nom"] for kind, words in PEOPLE_WORDS.items()}
LABELS["people_one"] = {kind: words["one"] for kind, words in PEOPLE_WORDS.items()}


def people(kind: str, form: str) -> str:
    """How pages name the organisation's people: 'Mitarbeitende' (kind 'employees', form 'nom'),
    'alle' + 'Mitglieder' ('members', 'all'), 'von' + 'Ehrenamtlichen' ('volunteers', 'dat')."""
    return PEOPLE_WORDS[kind][form]


def duration(value: float, unit: str, dative: bool = False, custom: Custom | None = None) -> str:
    """'4 Stunden', '1 Arbeitstag'; dative after 'in', 'innerhalb von': '2 Arbeitstagen'.
    ``custom`` holds the time units an organisation defined, as (singular, plural)."""
    found = LABELS["unit"].get(unit) or (custom or {}).get("unit", {}).get(unit) or (unit, unit)
    singular, plural = found  # type: ignore[misc]
    if dative:
        plural = plural_dative(plural)
    return f"{number_de(value)} {singular if value == 1 else plural}"


def day_time(day: str | None, time: str | None) -> str:
    """When an editorial slot appears: 'Dienstag, 18:30 Uhr', 'Dienstag', '18:30 Uhr' or ''."""
    parts = [label("day", day) if day else "", f"{time} Uhr" if time else ""]
    return ", ".join(part for part in parts if part)


def slot_order(day: str | None, time: str | None) -> tuple[int, str]:
    """Sort key of an editorial slot: by weekday (Monday first, none last), then time of day."""
    days = list(LABELS["day"])
    return (days.index(day) if day in days else len(days), time or "")


def date_de(value: dt.date | None) -> str:
    """'3. März 2026'."""
    if value is None:
        return ""
    return f"{value.day}. {_MONTHS[value.month - 1]} {value.year}"


def date_short(value: dt.date | None) -> str:
    """'03.03.2026'."""
    return value.strftime("%d.%m.%Y") if value else ""


def number_de(value: float | None) -> str:
    """A number as written, in German: '1.500', '3,85', '2.499,990', '0,0015' (for ``1.5e-3``).

    A number from plans/ keeps its source text (loader.SourceInt/SourceFloat): every written
    decimal is shown, none is added. A computed number (a sum of hours) is shown to at most ten
    decimals, without the float noise of its last digits (0,3 rather than 0,30000000000000004)."""
    if value is None:
        return "–"
    written = getattr(value, "text", None)
    try:
        exact = Decimal(written or (repr(round(value, 10)) if isinstance(value, float) else int(value)))
    except (InvalidOperation, ValueError):
        return str(written or value)
    if not exact.is_finite():
        return str(written or value)
    if not written:
        exact = exact.normalize()  # 45.0 -> 45
    whole, _, decimals = format(exact, ",f").partition(".")
    whole = whole.replace(",", ".")
    return f"{whole},{decimals}" if decimals else whole


def euro_de(value: float | None) -> str:
    """An amount in euros as written: '2.500 €', '2.499,99 €'; one written decimal gets its
    second ('19,90 €'), as amounts are written in German."""
    if value is None:
        return "–"
    number = number_de(value)
    _, comma, cents = number.partition(",")
    return f"{number}{'0' if comma and len(cents) == 1 else ''} €"
