"""The plan: made whole by Plan.build, and loud about a kind of record that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.checks.check import check
from macros.data.plan import Plan, UnknownKind
from macros.site.render import Renderer

from .conftest import ROOT, STRATEGY

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


@pytest.fixture(scope="module")
def plan() -> Plan:
    result = check(MINI)
    assert result.plan is not None, result.problems
    return result.plan


def test_an_unknown_kind_raises_with_a_suggestion(plan: Plan) -> None:
    with pytest.raises(
        UnknownKind, match=r"unknown kind of record 'goall'; did you mean 'goal'\? known kinds: "
    ):
        plan.all("goall")
    goal = plan.goals[0]
    lookups = {
        "get": lambda: plan.get("chanel", "blog"),
        "find": lambda: plan.find("blog", "channel", "expret"),  # found under the first kind already
        "resolve": lambda: plan.resolve([], "target-group"),  # nothing to resolve, still a typo
        "referrers": lambda: plan.referrers(goal, "measures"),
    }
    for name, lookup in lookups.items():
        with pytest.raises(UnknownKind):
            lookup()
            pytest.fail(f"{name} accepted an unknown kind")
    assert isinstance(UnknownKind("x"), LookupError)


def test_a_kind_without_records_is_empty(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "roles.yml").write_text("roles:\n  - id: lead\n    name: Leitung\n", encoding="utf-8")
    (plans / "strategy.yml").write_text(STRATEGY.replace("social-media-manager", "lead"), encoding="utf-8")
    small = check(plans).plan
    assert small is not None
    assert (small.all("term"), small.get("term", "x"), small.terms) == ([], None, [])
    assert small.resolve(["lead", "x"], "expert", "role") == [small.get("role", "lead")]


def test_a_template_with_a_wrong_kind_fails_instead_of_showing_nothing(plan: Plan) -> None:
    renderer = Renderer(plan, "seite.md")
    good = renderer.env.from_string("{% for g in plan.all('goal') %}{{ g.id }} {% endfor %}")
    assert good.render(renderer.context).split() == [g.id for g in plan.goals]
    wrong = renderer.env.from_string("{% for g in plan.all('goals') %}{{ g.id }}{% endfor %}–")
    with pytest.raises(UnknownKind, match="did you mean 'goal'"):
        wrong.render(renderer.context)
    with pytest.raises(UnknownKind):
        renderer.env.from_string("{{ link(plan.get('rolle', 'x')) }}").render(renderer.context)


def test_build_and_for_audience_set_every_field(plan: Plan, tmp_path: Path) -> None:
    assert (plan.plans_dir, plan.audience, plan.hidden) == (None, "confidential", 0)
    public = plan.for_audience("public", tmp_path)
    assert (public.plans_dir, public.audience, public.hidden) == (tmp_path, "public", 30)
    assert public.goals == [] and plan.goals != []  # the mini plans hold nothing public
    again = public.for_audience("internal")  # keeps the folder it was read from
    assert (again.plans_dir, again.audience, again.hidden) == (tmp_path, "internal", 0)
    assert again.ids == plan.ids and again.ids is not plan.ids
