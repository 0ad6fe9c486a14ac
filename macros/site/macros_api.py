"""The macros content pages may call. Each returns finished, escaped Markdown.

``macros(plan, page)`` gives them for one page; mkdocs-macros gets them through ``register``
and the renderer-neutral export (``export.py``) renders pages with them directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..data import labels
from ..data.kinds import KINDS, kind_of_page
from ..data.plan import Plan
from .build import current_plan
from .incremental import tracked
from .render import Renderer, md
from .visuals import VISUALS


def macros(
    plan: Callable[[], Plan], page: Callable[[], str], directory_urls: bool = True
) -> dict[str, Callable[..., str]]:
    """The macro functions for the page whose docs path ``page()`` returns (``directory_urls``:
    MkDocs' use_directory_urls, for the addresses in charts)."""

    def renderer() -> Renderer:
        return Renderer(plan(), page(), directory_urls)

    def record_page(kind: str | None = None, record_id: str | None = None) -> str:
        """The whole body of a generated page (one per target group, channel, …): of the page's own
        record when called without arguments."""
        if kind is None and record_id is None:
            found = kind_of_page(page())
            if found is None:
                raise LookupError(f"record_page: {page()} is not a generated page; name kind and id")
            kind, record_id = found[0].name, found[1]
        if kind not in KINDS or not KINDS[kind].folder:
            raise LookupError(f"record_page: unknown kind '{kind}' (no page kind)")
        record = plan().get(kind, record_id)
        if record is None:
            raise LookupError(f"record_page: no {kind} '{record_id}' in plans/")
        return renderer().render(KINDS[kind].template, record=record)

    def show(name: str, **options: Any) -> str:
        """A data fragment from macros/site/templates/<name>.md, e.g. show('goals')."""
        return renderer().render(f"{name}.md", **options)

    def visual(name: str) -> str:
        """A chart rendered at build time (SVG) with its text equivalent."""
        if name not in VISUALS:
            raise LookupError(f"visual: unknown visual '{name}'; known: {', '.join(sorted(VISUALS))}")
        return VISUALS[name](renderer())

    def responsibility() -> Any:
        org = plan().organisation
        return org.responsibility if org else None

    def unit(case: str = "nom", start: bool = False) -> str:
        """The unit that owns social media, named by its kind in a case ('nom', 'dat', 'gen'),
        or who speaks for it ('lead'): 'das Social-Media-Team', 'die Leitung des Social-Media-Teams'."""
        if case not in UNIT_CASES:
            raise LookupError(f"unit: unknown case '{case}'; known: {', '.join(UNIT_CASES)}")
        found = responsibility()
        return labels.responsibility(found.kind if found else "team", case, start)

    def people(form: str = "nom") -> str:
        """The organisation's people in a form ('nom', 'all', 'dat', 'one'): 'Mitarbeitende',
        'alle' + 'Mitglieder', 'von' + 'Ehrenamtlichen', 'als' + 'Mitarbeiterin oder Mitarbeiter'."""
        if form not in labels.PEOPLE_FORMS:
            raise LookupError(f"people: unknown form '{form}'; known: {', '.join(labels.PEOPLE_FORMS)}")
        org = plan().organisation
        return labels.people(org.company.people if org else "employees", form)

    def meeting() -> str:
        """Where a matter is raised: the unit's meeting as the plans name it ('in der Wochenrunde'),
        else its lead ('bei der Leitung des Social-Media-Teams')."""
        found = responsibility()
        if found and found.meeting:
            return md(found.meeting)
        return labels.responsibility(found.kind if found else "team", "at")

    def contact() -> str:
        """' (Kontakt: …)' after the unit's name when the plans say how to reach it, else nothing."""
        found = responsibility()
        return f" (Kontakt: {md(found.contact)})" if found and found.contact else ""

    def approvers() -> str:
        """Links to the roles that approve changes ('A, B und C'), or nothing."""
        found = responsibility()
        shown = (
            [renderer().link(r) for r in plan().resolve(found.approvers, "role", "expert")] if found else []
        )
        return labels.enumeration(shown)

    def staff_representation() -> str:
        """A link to the staff representation (works council), or nothing."""
        found = responsibility()
        if not found or not found.staff_representation:
            return ""
        record = plan().find(found.staff_representation, "role", "expert")
        return renderer().link(record) if record is not None else ""

    def onboarding_role() -> str:
        """A link to the role the onboarding plan is for, or nothing."""
        onboarding = plan().onboarding
        record = plan().get("role", onboarding.role) if onboarding else None
        return renderer().link(record) if record is not None else ""

    def you(sie: str, du: str) -> str:
        """The phrase in the handbook's form of address (site.address in plans/organisation.yml):
        you("Prüfen Sie", "Prüf") writes the first with 'sie', the second with 'du'."""
        return str(renderer().you(sie, du))

    def used_audiences() -> list[str]:
        """The audiences of the rules that apply in this build, in the order they first appear."""
        return list(dict.fromkeys(rule.audience for rule in plan().in_force(plan().all("rule"))))

    def rule_audience(value: str) -> str:
        """The label the column 'Gilt für' shows for a built-in audience ('Führungskräfte'), or
        nothing when no rule is for it: a page quotes only labels that the reader will find."""
        if value not in labels.LABELS["audience"]:
            raise LookupError(f"rule_audience: unknown audience '{value}'")
        if value not in used_audiences():
            return ""
        return md(labels.capital(labels.label("audience", value)))

    def quick_audience() -> str:
        """Whom the page 'Das Wichtigste für alle' speaks to: the label of the audience that
        guidelines.yml names in ``everyone`` ('alle Mitarbeitenden', 'alle Ehrenamtlichen')."""
        found = plan().file("guidelines")
        value = found.everyone if found is not None else "all_employees"
        return md(labels.label("audience", value, plan().custom_labels))

    def other_rule_audiences() -> str:
        """The organisation's own audiences that rules are for, quoted: '„A“ und „B“'; or nothing."""
        custom = plan().custom_labels
        return labels.enumeration(
            [
                f"„{md(labels.capital(labels.label('audience', value, custom)))}“"
                for value in used_audiences()
                if value not in labels.LABELS["audience"]
            ]
        )

    return {
        "record_page": record_page,
        "show": show,
        "visual": visual,
        "unit": unit,
        "people": people,
        "meeting": meeting,
        "contact": contact,
        "approvers": approvers,
        "staff_representation": staff_representation,
        "onboarding_role": onboarding_role,
        "rule_audience": rule_audience,
        "other_rule_audiences": other_rule_audiences,
        "quick_audience": quick_audience,
        "you": you,
    }


UNIT_CASES = ("nom", "dat", "gen", "lead")


def variables(plan: Plan) -> dict[str, str]:
    """Variables content pages may use: ``{{ company }}``."""
    org = plan.organisation
    return {"company": md(org.company.name) if org else md("Unser Unternehmen")}


def register(env: Any) -> None:
    """mkdocs-macros' entry (called from ``macros.define_env``)."""

    def page() -> str:
        current = getattr(env, "page", None)
        return current.file.src_uri if current is not None else "index.md"

    def plan() -> Any:
        return tracked(current_plan(), page())  # records what the page reads (incremental rebuilds)

    directory_urls = bool(env.conf.get("use_directory_urls", True))
    for name, function in macros(plan, page, directory_urls).items():
        env.macro(function, name)
    env.variables.update(variables(current_plan()))
