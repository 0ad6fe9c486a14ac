"""What is due, per owner: reviews overdue or due soon, goal deadlines passed or near.

``due(plan, within)`` lists, for every owner role with something due, its holders, its
code-owner handles and the records; ``to_text``, ``to_markdown`` (German: it goes into the
reminder issue the owners read) and ``to_json`` report it. The date is ``today()``
(``HANDBOOK_TODAY`` pins it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..checks.method import goal_reached
from ..checks.problems import json_text, visible
from ..data import kinds as registry
from ..data import models as m
from ..data.fields import valid_handle
from ..data.plan import Plan, owned_records, today
from .diff import _t as inert

OVERDUE = "overdue"
SOON = "due-soon"


@dataclass(frozen=True)
class Item:
    """One thing an owner must do by ``date``: a review (``what='review'``) or reaching a goal
    whose deadline passes (``what='deadline'``)."""

    what: str
    status: str  # OVERDUE (the date has passed) or SOON (within the window)
    date: dt.date
    kind: str  # the record's kind, or "file" for a file reviewed as a whole
    id: str  # the record's id, or the file's stem
    title: str
    file: str
    line: int


@dataclass
class Owner:
    role: str
    name: str
    holders: list[str]
    handles: list[str]
    items: list[Item] = field(default_factory=list)


@dataclass
class Due:
    today: dt.date
    within: int  # days ahead that count as "due soon"
    owners: list[Owner]

    @property
    def count(self) -> int:
        return sum(len(o.items) for o in self.owners)


def due(plan: Plan, within: int = 30, folder: str = "plans") -> Due:
    """Everything overdue or due within ``within`` days, grouped by owner role (in roles.yml's
    order), each owner's items overdue first, then by date."""
    now = today()
    horizon = now + dt.timedelta(days=within)
    found: dict[str, list[Item]] = {}

    def add(owner: str, what: str, date: dt.date, record: Any, stem: str) -> None:
        if date > horizon:
            return
        status = OVERDUE if date < now else SOON
        if isinstance(record, m.Record):
            origin = plan.origin(record)
            file, line = (origin.file, origin.line) if origin else (f"{folder}/{stem}.yml", 1)
            item = Item(what, status, date, record.kind, record.id, registry.title(record), file, line)
        else:
            title = registry.FILES[stem].title if stem in registry.FILES else stem
            item = Item(what, status, date, "file", stem, title, f"{folder}/{stem}.yml", 1)
        found.setdefault(owner, []).append(item)

    for stem, record in owned_records(plan):
        review = plan.review_due(record)
        if review is not None:
            add(record.owner, "review", review, record, stem)
    for goal in plan.goals:
        if goal.deadline is not None and goal.target is not None and not goal_reached(goal):
            origin = plan.origin(goal)
            add(goal.owner, "deadline", goal.deadline, goal, origin.stem if origin else "goals")

    order = {role.id: n for n, role in enumerate(plan.all("role"))}
    owners = []
    for role_id in sorted(found, key=lambda r: (order.get(r, len(order)), r)):
        role = plan.get("role", role_id)
        items = sorted(found[role_id], key=lambda i: (i.status != OVERDUE, i.date, i.file, i.line, i.what))
        owners.append(
            Owner(
                role_id,
                role.name if role else role_id,
                list(role.holders) if role else [],
                [h for h in role.codeowners if valid_handle(h)] if role else [],
                items,
            )
        )
    return Due(now, within, owners)


# --- reports ------------------------------------------------------------------------------------


def _what_en(item: Item) -> str:
    thing = f"{item.id}.yml" if item.kind == "file" else f"{registry.label_en(item.kind)} '{item.id}'"
    if item.what == "review":
        when = "overdue since" if item.status == OVERDUE else "due"
        return f"{thing}: review {when} {item.date.isoformat()}"
    when = "passed on" if item.status == OVERDUE else "is"
    return f"{thing}: deadline {when} {item.date.isoformat()}, target not reached"


def _summary(d: Due) -> str:
    if not d.owners:
        return f"nothing due: no review or goal deadline before {d.today.isoformat()} plus {d.within} days"
    overdue = sum(i.status == OVERDUE for o in d.owners for i in o.items)
    items = f"{d.count} item" if d.count == 1 else f"{d.count} items"
    owners = "1 owner" if len(d.owners) == 1 else f"{len(d.owners)} owners"
    when = f"on {d.today.isoformat()}, looking {d.within} days ahead"
    return f"{items} due for {owners} ({overdue} overdue) {when}"


def to_text(d: Due) -> str:
    """For the terminal: one block per owner, one line per item with file:line."""
    lines = []
    for o in d.owners:
        who = ", ".join(o.holders) or "no holder named"
        handles = f" {' '.join(o.handles)}" if o.handles else ""
        lines.append(visible(f"{o.role}: {o.name} ({who}){handles}"))
        for item in o.items:
            lines.append(visible(f"  {item.file}:{item.line}: {_what_en(item)}"))
    lines.append(_summary(d))
    return "\n".join(lines) + "\n"


_STATUS_DE = {OVERDUE: "überfällig", SOON: "bald fällig"}
_WHAT_DE = {"review": "Überprüfung", "deadline": "Ziel erreichen (Frist)"}


def _record_de(item: Item) -> str:
    if item.kind == "file":
        return f"{inert(item.title)} ({inert(item.id)}.yml)"
    return f"{registry.german(item.kind)} „{inert(item.title)}“"


def owner_markdown(d: Due, o: Owner) -> str:
    """One owner's section (German), also the body of the owner's reminder issue."""
    holders = ", ".join(inert(h) for h in o.holders) or "niemand eingetragen"
    lines = [f"### {inert(o.name)}", "", f"Inhaber: {holders}"]
    if o.handles:
        lines[-1] += f" · {' '.join(o.handles)}"  # real mentions: the point is to notify them
    lines += ["", "| Eintrag | Aufgabe | Fällig am | Stand | Quelle |", "|---|---|---|---|---|"]
    for item in o.items:
        lines.append(
            f"| {_record_de(item)} | {_WHAT_DE[item.what]} | {item.date.strftime('%d.%m.%Y')} "
            f"| {_STATUS_DE[item.status]} | {inert(item.file)}:{item.line} |"
        )
    lines += [
        "",
        "Nach der Überprüfung „reviewed:“ auf das Datum der Überprüfung setzen; ein Ziel mit "
        "verpasster Frist bekommt seinen Stand in „current:“ und eine neue Frist oder wird beendet.",
    ]
    return "\n".join(lines) + "\n"


def to_markdown(d: Due) -> str:
    """The whole report (German), e.g. for the scheduled job's summary."""
    head = f"## Fällige Überprüfungen am {d.today.strftime('%d.%m.%Y')}\n\n"
    if not d.owners:
        return head + f"Nichts ist überfällig oder in den nächsten {d.within} Tagen fällig.\n"
    return head + "\n".join(owner_markdown(d, o) for o in d.owners)


def to_json(d: Due) -> str:
    return json_text(
        {
            "today": d.today.isoformat(),
            "within_days": d.within,
            "owners": [
                {
                    "role": o.role,
                    "name": o.name,
                    "holders": o.holders,
                    "handles": o.handles,
                    "items": [
                        {
                            "what": i.what,
                            "status": i.status,
                            "date": i.date.isoformat(),
                            "kind": i.kind,
                            "id": i.id,
                            "title": i.title,
                            "file": i.file,
                            "line": i.line,
                        }
                        for i in o.items
                    ],
                }
                for o in d.owners
            ],
            "summary": _summary(d),
        }
    )
