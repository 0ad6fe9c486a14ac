"""Plans texts that speak to the reader in the other form of address than the handbook.

The handbook's pages say Sie or du as ``site.address`` in organisation.yml sets it. The texts of the
plans that speak to the newcomer or learner directly (onboarding intro, goals, tasks and answers;
a module's objectives, exercises and self-check) appear among those pages and should say the same.
Only words that cannot mean anything else are reported: du, dir, dich, dein… in a Sie handbook;
Sie, Ihnen, Ihr… not at the start of a sentence (where they may mean 'they', 'their') in a du one.
A form named as a word ('Du- und Sie-Kanäle') is not a form of address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..data.plan import Plan
from ..data.positions import Loc
from .method import Finding, Locate

OTHER_FORM = {
    "sie": re.compile(r"\b(?i:du|dir|dich|dein|deine|deinen|deinem|deiner|deines)\b(?!-)"),
    "du": re.compile(r"(?<![.!?:…]\s)(?<!^)\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b(?!-)"),
}
EXAMPLE = {"sie": "„Sie kennen …“, „Prüfen Sie …“", "du": "„Du kennst …“, „Prüf …“"}
NAME = {"sie": "Sie", "du": "du"}


def address_findings(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A warning for each reader-facing plans text with a word of the other form of address."""
    organisation = plan.organisation
    address = organisation.site.address if organisation else "sie"
    texts: list[tuple[str, Loc, str]] = []
    onboarding = plan.onboarding
    if onboarding is not None:
        texts.append(("onboarding", ("intro",), onboarding.intro or ""))
        for w, week in enumerate(onboarding.weeks):
            texts.append(("onboarding", ("weeks", w, "goal"), week.goal))
            for t, task in enumerate(week.tasks):
                texts.append(("onboarding", ("weeks", w, "tasks", t, "task"), task.task))
                texts.append(("onboarding", ("weeks", w, "tasks", t, "done_when"), task.done_when or ""))
        for q, question in enumerate(onboarding.questions):
            texts.append(("onboarding", ("questions", q, "answer"), question.answer))
    for module in plan.modules:
        stem, loc = locate(module)
        texts.extend(_module_texts(stem, loc, module))
    for stem, loc, text in texts:
        found = OTHER_FORM[address].search(text)
        if found:
            other = "sie" if address == "du" else "du"
            yield Finding(
                stem,
                loc,
                f"'{found.group(0)}' addresses the reader with {NAME[other]}, but the handbook says "
                f"{NAME[address]} (site.address: {address} in organisation.yml)",
                f"write it with {NAME[address]} like the handbook's pages ({EXAMPLE[address]}), "
                f"or set site.address: {other} if the whole handbook should say {NAME[other]}",
                "address-form",
            )


def _module_texts(stem: str, loc: Loc, module: Any) -> Iterator[tuple[str, Loc, str]]:
    for i, objective in enumerate(module.objectives):
        yield stem, (*loc, "objectives", i), objective
    for i, exercise in enumerate(module.exercises):
        yield stem, (*loc, "exercises", i, "task"), exercise.task
    for i, check in enumerate(module.self_check):
        yield stem, (*loc, "self_check", i, "question"), check.question
        yield stem, (*loc, "self_check", i, "answer"), check.answer
