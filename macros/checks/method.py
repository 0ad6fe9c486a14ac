"""Layer 3: the method. Warnings where the plan departs from the method of
the handbook (listen first, SMART goals, served target groups, three
perspectives, real time budgets, measures tied to goals, a lead idea and USP)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ..data import models as m
from ..data.kinds import label_en
from ..data.plan import Plan, owned_records, today
from ..data.positions import Loc
from .problems import Severity


@dataclass(frozen=True)
class Finding:
    """A method finding before it is positioned: the file (stem) and data path it is about.

    ``check`` turns it into a :class:`~macros.checks.problems.Problem` at that place.
    """

    stem: str
    loc: Loc
    message: str
    hint: str
    code: str
    severity: Severity = "warning"
    step: int = 0  # the method step it belongs to (STEPS), 0 for none: reports list steps first
    related: tuple[str, Loc] | None = None  # the other side of a contradiction: (stem, loc)


Locate = Callable[[Any], tuple[str, Loc]]


def method_findings(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """Every method finding, in file order of the checks below."""
    yield from _missing_steps(plan)
    yield from _in_step(5, _strategy(plan))
    yield from _goals(plan, locate)
    yield from _target_groups(plan, locate)
    yield from _channels(plan, locate)
    yield from _in_step(4, _analysis(plan))
    yield from _in_step(1, _roles(plan, locate))
    yield from _measures(plan, locate)
    yield from _content(plan)
    yield from _training(plan, locate)
    yield from _reviews(plan, locate)


def _w(stem: str, loc: Loc, message: str, hint: str, code: str) -> Finding:
    return Finding(stem, loc, message, hint, code)


# The method in its order; a new handbook's warnings walk through it step by step.
STEPS = (
    "responsibility and time",
    "listening",
    "goals and target groups",
    "as-is analysis from three perspectives",
    "USP, lead idea, strategy and action plan",
    "processes, experts, guidelines and training",
    "daily work: channels, content and crisis plan",
    "continuous improvement",
)


def _step(step: int, stem: str, loc: Loc, message: str, hint: str) -> Finding:
    return Finding(stem, loc, _prefix(step) + message, hint, "method-step", step=step)


def _prefix(step: int) -> str:
    return f"step {step} of {len(STEPS)} ({STEPS[step - 1]}): "


def _in_step(step: int, findings: Iterator[Finding]) -> Iterator[Finding]:
    return (replace(f, step=step, message=_prefix(step) + f.message) for f in findings)


def _missing_steps(plan: Plan) -> Iterator[Finding]:
    """A warning for each step of the method the plans have not taken yet."""
    if not any(role.hours_per_week for role in plan.roles):
        yield _step(
            1,
            "roles",
            ("roles",),
            "no role has a weekly time budget",
            "give the roles that do the work 'hours_per_week:'; social media needs dedicated time",
        )
    analysis = plan.analysis
    if analysis is None or not analysis.listening:
        yield _step(
            2,
            "analysis",
            ("listening",),
            "nothing has been learned from listening yet",
            "listen to each network for some weeks before posting and write down what you learned "
            "under 'listening:' in plans/analysis.yml",
        )
    if not plan.goals:
        yield _step(
            3,
            "goals",
            ("goals",),
            "there are no goals yet",
            "write down what social media should achieve, measurable and with a deadline, in plans/goals.yml",
        )
    if not plan.target_groups:
        yield _step(
            3,
            "target-groups",
            ("target_groups",),
            "there are no target groups yet",
            "describe whom you want to reach, with a priority, in plans/target-groups.yml",
        )
    if analysis is None or not analysis.swot:
        yield _step(
            4,
            "analysis",
            ("swot",),
            "there is no as-is analysis yet",
            "collect strengths, weaknesses, opportunities and threats from leadership, employees "
            "and stakeholders under 'swot:' in plans/analysis.yml",
        )
    if not plan.measures:
        yield _step(
            5,
            "actions",
            ("measures",),
            "there is no action plan yet",
            "turn the strategy into measures with a period and a responsible role in plans/actions.yml",
        )
    for stem, records, what in (
        ("processes", plan.processes, "no processes (who answers, who checks, who approves)"),
        ("experts", plan.experts, "no experts who give the team answers"),
        ("guidelines", plan.guidelines, "no social media guidelines for employees"),
        ("training", plan.modules, "no training modules"),
    ):
        if not records:
            yield _step(6, stem, (), f"there are {what} yet", f"add them in plans/{stem}.yml")
    if not plan.channels:
        yield _step(
            7,
            "channels",
            ("channels",),
            "there are no channels yet",
            "add the networks you listen to or post in, with status and tone, in plans/channels.yml",
        )
    if plan.content is None:
        yield _step(
            7,
            "content",
            (),
            "there is no content plan yet",
            "add content pillars and the editorial rhythm in plans/content.yml",
        )
    if plan.crisis is None:
        yield _step(
            7,
            "crisis",
            (),
            "there is no crisis plan yet",
            "add crisis levels and the escalation chain in plans/crisis.yml",
        )
    if plan.improvement is None:
        yield _step(
            8,
            "improvement",
            (),
            "no regular review of the results is planned yet",
            "add the KPI reviews (who looks at which figures how often) in plans/improvement.yml",
        )


def _strategy(plan: Plan) -> Iterator[Finding]:
    strategy = plan.strategy
    if strategy is None:
        yield _w(
            "strategy",
            (),
            "there is no strategy.yml: no mission, lead idea or USP",
            "create plans/strategy.yml with mission, lead_idea and usp",
            "strategy-missing",
        )
        return
    if strategy.lead_idea is None:
        yield _w(
            "strategy",
            (),
            "the strategy has no creative lead idea",
            "add 'lead_idea:' with title and description; it ties goals, content and tone together",
            "no-lead-idea",
        )
    if strategy.usp is None:
        yield _w(
            "strategy",
            (),
            "the strategy has no USP",
            "add 'usp:' with the statement that follows from the strengths in analysis.yml",
            "no-usp",
        )


def goal_reached(goal: m.Goal) -> bool:
    """Whether a goal's current value has reached its target (in the goal's direction)."""
    if goal.current is None or goal.target is None:
        return False
    return goal.current >= goal.target if goal.direction == "increase" else goal.current <= goal.target


def _goals(plan: Plan, locate: Locate) -> Iterator[Finding]:
    for goal in plan.goals:
        stem, loc = locate(goal)
        if goal.target is None:
            yield _w(
                stem,
                loc,
                f"goal '{goal.id}' has no measurable target",
                "add 'target:' with the KPI value to reach",
                "goal-no-target",
            )
        if goal.deadline is None:
            yield _w(
                stem,
                loc,
                f"goal '{goal.id}' has no deadline",
                "add 'deadline: YYYY-MM-DD'; a goal without a date is a wish",
                "goal-no-deadline",
            )
        if goal.baseline is None:
            yield _w(
                stem,
                loc,
                f"goal '{goal.id}' has no baseline",
                "add 'baseline:' with today's value, so progress can be shown",
                "goal-no-baseline",
            )
        passed = goal.deadline is not None and goal.deadline < today()
        if passed and goal.target is not None and not goal_reached(goal):
            state = (
                f"it stands at {goal.current:g} of {goal.target:g}"
                if goal.current is not None
                else "no current value is recorded"
            )
            yield _w(
                stem,
                (*loc, "deadline"),
                f"the deadline {goal.deadline.isoformat()} of goal '{goal.id}' has passed "
                f"without reaching the target: {state}",
                "record the result in 'current', then set a new deadline or retire the goal",
                "goal-deadline-passed",
            )
        channels = plan.resolve(goal.channels, "channel")
        if channels and not any(c.status in ("active", "planned") for c in channels):
            yield _w(
                stem,
                (*loc, "channels"),
                f"goal '{goal.id}' relies only on paused or retired channels",
                "add an active or planned channel, or revise the goal",
                "goal-no-active-channel",
            )
        if not goal.target_groups:
            yield _w(
                stem,
                loc,
                f"goal '{goal.id}' names no target group",
                "add 'target_groups:' with the groups whose behaviour the goal is about",
                "goal-no-target-group",
            )
        increase = goal.direction == "increase"
        if (
            goal.target is not None
            and goal.baseline is not None
            and (goal.target < goal.baseline if increase else goal.target > goal.baseline)
        ):
            yield _w(
                stem,
                (*loc, "target"),
                f"goal '{goal.id}': target {goal.target:g} is {'below' if increase else 'above'} "
                f"the baseline {goal.baseline:g}",
                f"check the numbers, or set 'direction: {'decrease' if increase else 'increase'}'",
                "goal-direction",
            )


def _target_groups(plan: Plan, locate: Locate) -> Iterator[Finding]:
    for group in plan.target_groups:
        if group.priority != "high":
            continue
        if plan.referrers(group, "goal") or plan.referrers(group, "channel"):
            continue
        stem, loc = locate(group)
        yield _w(
            stem,
            loc,
            f"high-priority target group '{group.id}' is served by no goal and no channel",
            "link it from a goal or channel ('target_groups:'), or lower its priority",
            "target-group-unserved",
        )


def _channels(plan: Plan, locate: Locate) -> Iterator[Finding]:
    listened = {i.channel for i in (plan.analysis.listening if plan.analysis else []) if i.channel}
    for channel in plan.channels:
        if channel.status != "active":
            continue
        stem, loc = locate(channel)
        if not channel.target_groups:
            yield _w(
                stem,
                loc,
                f"active channel '{channel.id}' names no target group",
                "add 'target_groups:' with the groups you reach there",
                "channel-no-target-group",
            )
        if channel.id not in listened:
            yield _w(
                stem,
                loc,
                f"active channel '{channel.id}' has no listening insight",
                f"listen first: add an entry with 'channel: {channel.id}' under 'listening' in analysis.yml",
                "channel-not-listened",
            )


def _analysis(plan: Plan) -> Iterator[Finding]:
    analysis = plan.analysis
    if analysis is None:
        return
    seen = {entry.perspective for entry in analysis.swot}
    for perspective in ("leadership", "employees", "stakeholders"):
        if perspective not in seen:
            yield _w(
                "analysis",
                ("swot",),
                f"the as-is analysis has no entry from the {perspective} perspective",
                f"add strengths and weaknesses with 'perspective: {perspective}'",
                "analysis-perspective-missing",
            )


def _roles(plan: Plan, locate: Locate) -> Iterator[Finding]:
    for role in plan.roles:
        if role.duties and not role.hours_per_week:
            stem, loc = locate(role)
            yield _w(
                stem,
                loc,
                f"role '{role.id}' has duties but no weekly time budget",
                "add 'hours_per_week:'; social media work done 'on the side' does not get done",
                "role-no-time",
            )


def _measures(plan: Plan, locate: Locate) -> Iterator[Finding]:
    for measure in plan.measures:
        stem, loc = locate(measure)
        if not measure.goals:
            yield _w(
                stem,
                loc,
                f"measure '{measure.id}' is linked to no goal",
                "add 'goals:' with the goal(s) it serves, or drop the measure",
                "measure-no-goal",
            )
        if measure.status in ("planned", "in_progress"):
            for index, channel_id in enumerate(measure.channels):
                channel = plan.get("channel", channel_id)
                if channel is not None and channel.status == "retired":
                    yield _w(
                        stem,
                        (*loc, "channels", index),
                        f"measure '{measure.id}' uses the retired channel '{channel.id}'",
                        "pick an active channel or reactivate the channel",
                        "measure-retired-channel",
                    )


def _content(plan: Plan) -> Iterator[Finding]:
    content = plan.content
    if content is None or not content.pillars:
        return
    total = sum(p.share_percent for p in content.pillars)
    if total != 100:
        yield _w(
            "content",
            ("pillars",),
            f"content pillar shares add up to {total}%, not 100%",
            "adjust 'share_percent' of the pillars",
            "pillar-shares",
        )


def _training(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """Each prerequisite cycle once, at the module of the cycle that comes first in the file."""
    modules = {module.id: module for module in plan.modules}
    reported: set[frozenset[str]] = set()
    for module in plan.modules:
        path = _cycle(module.id, modules)
        if not path or frozenset(path) in reported:
            continue
        reported.add(frozenset(path))
        stem, loc = locate(module)
        index = module.prerequisites.index(path[1])
        yield Finding(
            stem,
            (*loc, "prerequisites", index),
            f"training prerequisites form a cycle: {' -> '.join(path)}",
            f"remove one prerequisite of the cycle (e.g. this one, '{path[1]}') "
            "so that the modules can be taken in order",
            "module-cycle",
            "error",
        )


def _cycle(start: str, modules: dict[str, m.Module]) -> list[str]:
    stack = [(start, [start])]
    while stack:
        current, path = stack.pop()
        for nxt in modules[current].prerequisites if current in modules else []:
            if nxt == start:
                return [*path, nxt]
            if nxt not in path:
                stack.append((nxt, [*path, nxt]))
    return []


def _reviews(plan: Plan, locate: Locate) -> Iterator[Finding]:
    for stem, record in owned_records(plan):
        due = plan.review_due(record)
        if due is None or due >= today():
            continue
        if isinstance(record, m.Record):
            stem, loc = locate(record)
            what = f"{label_en(record.kind)} '{record.id}'"
        else:
            loc = ()
            what = f"{stem}.yml"
        yield _w(
            stem,
            (*loc, "reviewed"),
            f"review of {what} is overdue since {due.isoformat()}",
            f"review it with its owner '{record.owner}', then set 'reviewed:' to the review date",
            "review-overdue",
        )
