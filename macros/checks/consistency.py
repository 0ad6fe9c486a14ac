"""Consistency across records: places where two records of the plans say different things about
the same matter, so a reader who reads both trips over them. Each finding names both places:
where it is reported and, as ``related``, the record it contradicts.

Part of the method layer (``method.method_findings`` yields them, each in its step).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..data import models as m
from ..data.plan import AUDIENCES, Plan
from ..data.positions import Loc
from .method import Finding, Locate, _in_step

# Durations are compared only where their order is certain: both in calendar time, both in working
# time (a working day is 8 working hours), or both in the same custom unit. Each unit is a range in
# its scale's base (minutes, or working minutes), because a month is 28 to 31 days.
_CALENDAR = {
    "minutes": (1, 1),
    "hours": (60, 60),
    "days": (1440, 1440),
    "weeks": (10080, 10080),
    "months": (28 * 1440, 31 * 1440),
}
_WORKING = {"working_hours": (60, 60), "working_days": (480, 480)}


def span(duration: m.Duration) -> tuple[str, float, float]:
    """The duration as (scale, shortest, longest): scale 'calendar' or 'working' with minutes, or
    'unit:<id>' for a custom unit with its count. Two durations compare only within one scale."""
    value = float(duration.value)
    unit = str(duration.unit)
    for scale, units in (("calendar", _CALENDAR), ("working", _WORKING)):
        if unit in units:
            low, high = units[unit]
            return scale, value * low, value * high
    return f"unit:{unit}", value, value


def longer(a: m.Duration, b: m.Duration) -> bool:
    """Whether ``a`` is certainly longer than ``b`` (False when they cannot be compared)."""
    scale_a, shortest_a, _ = span(a)
    scale_b, _, longest_b = span(b)
    return scale_a == scale_b and shortest_a > longest_b


def spoken(duration: m.Duration) -> str:
    """'8 working hours', '1 working day', '2 shifts' (a custom unit by its id)."""
    value = float(duration.value)
    words = str(duration.unit).replace("_", " ")
    if value == 1 and words.endswith("s"):
        words = words[:-1]
    return f"{value:g} {words}"


def consistency_findings(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """Every contradiction between records, each in the step of the method it belongs to."""
    yield from _in_step(3, _goal_channels(plan, locate))
    yield from _in_step(6, _rules(plan, locate))
    yield from _in_step(6, _processes(plan, locate))
    yield from _in_step(6, _onboarding(plan))
    yield from _in_step(6, _expert_answers(plan, locate))
    yield from _in_step(6, _superseded(plan, locate))
    yield from _in_step(6, _taught_superseded(plan, locate))
    yield from _in_step(7, _response_times(plan, locate))
    yield from _in_step(7, _crisis_levels(plan, locate))
    yield from _in_step(7, _crisis_leads(plan, locate))
    yield from _in_step(7, _rhythm(plan, locate))


def _at(locate: Locate, record: Any, *rest: str | int) -> tuple[str, Loc]:
    stem, loc = locate(record)
    return stem, (*loc, *rest)


def _finding(where: tuple[str, Loc], message: str, hint: str, code: str, related: tuple[str, Loc]) -> Finding:
    return Finding(where[0], where[1], message, hint, code, related=related)


def _covers(process: m.Process, channel: m.Channel) -> bool:
    return not process.channels or channel.id in process.channels


def _response_times(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A channel's promised answer time against the first answer its processes promise and the
    first public response the lowest crisis level asks for."""
    levels = plan.crisis.levels if plan.crisis else []
    lowest = min(levels, key=lambda level: level.level) if levels else None
    for channel in plan.channels:
        promise = channel.response_time
        if promise is None or channel.status == "retired":
            continue
        where = _at(locate, channel, "response_time", "value")
        for process in plan.processes:
            if not _covers(process, channel):
                continue
            for index, level in enumerate(process.service_levels):
                if level.first_response and longer(promise, level.within):
                    yield _finding(
                        where,
                        f"channel '{channel.id}' promises an answer within {spoken(promise)}, "
                        f"but process '{process.id}' promises the first answer there within "
                        f"{spoken(level.within)} ('{level.name}')",
                        "readers of both pages get two answer times: make the channel's "
                        "'response_time:' and the process's service level agree",
                        "response-time-process",
                        _at(locate, process, "service_levels", index, "within", "value"),
                    )
        if lowest is not None and longer(promise, lowest.response_time):
            yield _finding(
                where,
                f"channel '{channel.id}' promises an answer within {spoken(promise)}, but the lowest "
                f"crisis level '{lowest.id}' (level {lowest.level}) asks for the first public "
                f"response within {spoken(lowest.response_time)}",
                "a critical comment on this channel would get two answer times: shorten the "
                "channel's 'response_time:' or lengthen the crisis level's",
                "response-time-crisis",
                _at(locate, lowest, "response_time", "value"),
            )


def _expert_answers(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """An expert who does a step of a process and promises a longer answer time than the process's
    service level for an expert's answer."""
    for process in plan.processes:
        levels = [(i, level) for i, level in enumerate(process.service_levels) if level.expert_answer]
        if not levels:
            continue
        experts = {}
        for step in process.steps:
            for who in step.responsible:
                expert = plan.get("expert", who)
                if expert is not None and expert.response_time is not None:
                    experts.setdefault(expert.id, expert)
        for expert in experts.values():
            for index, level in levels:
                if longer(expert.response_time, level.within):
                    yield _finding(
                        _at(locate, expert, "response_time", "value"),
                        f"expert '{expert.id}' answers within {spoken(expert.response_time)}, but "
                        f"process '{process.id}', in which they do a step, promises an expert's answer "
                        f"within {spoken(level.within)} ('{level.name}')",
                        "agree on one time with the expert: change their 'response_time:' or the "
                        "process's service level",
                        "response-time-expert",
                        _at(locate, process, "service_levels", index, "within", "value"),
                    )


def _crisis_levels(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A higher (more urgent) crisis level that allows more time than a lower one."""
    levels = sorted(plan.crisis.levels if plan.crisis else [], key=lambda level: level.level)
    for position, level in enumerate(levels):
        lower = [other for other in levels[:position] if other.level < level.level]
        faster = [other for other in lower if longer(level.response_time, other.response_time)]
        if not faster:
            continue
        other = min(faster, key=lambda o: span(o.response_time)[2])
        yield _finding(
            _at(locate, level, "response_time", "value"),
            f"crisis level '{level.id}' (level {level.level}) allows {spoken(level.response_time)} "
            f"for the first public response, more than the lower level '{other.id}' "
            f"(level {other.level}, {spoken(other.response_time)})",
            "a higher level is more urgent: give it the same or a shorter 'response_time:'",
            "crisis-level-slower",
            _at(locate, other, "response_time", "value"),
        )


def _crisis_leads(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A crisis level led by a role that the escalation chain never reaches."""
    crisis = plan.crisis
    if crisis is None or not crisis.escalation:
        return
    reached = {step.who for step in crisis.escalation}
    for level in crisis.levels:
        if level.lead not in reached:
            yield _finding(
                _at(locate, level, "lead"),
                f"crisis level '{level.id}' (level {level.level}) is led by '{level.lead}', "
                "whom the escalation chain never reaches",
                f"add '{level.lead}' to 'escalation:' with when and how to reach them, or let a role "
                "of the chain lead the level",
                "crisis-lead-not-in-escalation",
                ("crisis", ("escalation",)),
            )


def _goal_channels(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A goal whose channels serve none of the goal's target groups."""
    for goal in plan.goals:
        channels = plan.resolve(goal.channels, "channel")
        if not channels or not goal.target_groups or not all(c.target_groups for c in channels):
            continue  # a channel without target groups is reported by channel-no-target-group
        if any(set(c.target_groups) & set(goal.target_groups) for c in channels):
            continue
        yield _finding(
            _at(locate, goal, "channels"),
            f"goal '{goal.id}' is about {', '.join(goal.target_groups)}, but none of its channels "
            f"({', '.join(c.id for c in channels)}) serves any of them",
            "add a channel that reaches these groups, or add a group to a channel's 'target_groups:' "
            "if it is reached there",
            "goal-channels-miss-target-groups",
            _at(locate, channels[0], "target_groups"),
        )


def _retired(plan: Plan, channel_id: str) -> m.Channel | None:
    channel = plan.get("channel", channel_id)
    return channel if channel is not None and channel.status == "retired" else None


def _rules(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A rule that applies (its topic is not superseded) for a channel that is retired."""
    for rule in plan.in_force(plan.all("rule")):
        for index, channel_id in enumerate(rule.channels):
            channel = _retired(plan, channel_id)
            if channel is not None:
                yield _finding(
                    _at(locate, rule, "channels", index),
                    f"rule '{rule.id}' is for the retired channel '{channel.id}'",
                    "remove the channel from the rule (or the rule, if it was only for this channel), "
                    "or reactivate the channel",
                    "rule-retired-channel",
                    _at(locate, channel, "status"),
                )


def _superseded(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A replacement named by a text that still applies, by a text for itself, or one that does
    not apply either (superseded too, or a draft that the published handbook leaves out)."""
    for kind in m.APPROVAL_KINDS:
        for record in plan.all(kind):
            approval = record.approval
            if approval is None or approval.replaced_by is None:
                continue
            name = approval.replaced_by
            where = _at(locate, record, "approval", "replaced_by")
            if approval.status != m.SUPERSEDED:
                yield _finding(
                    where,
                    f"{kind} '{record.id}' names '{name}' as its replacement, but its status is "
                    f"{approval.status}, not superseded",
                    f"set 'status: superseded' if '{name}' applies instead, or remove 'replaced_by:'",
                    "replacement-not-superseded",
                    _at(locate, record, "approval", "status"),
                )
            elif name == record.id:
                yield Finding(
                    where[0],
                    where[1],
                    f"{kind} '{record.id}' names itself as its replacement",
                    "name the record whose text applies instead, or remove 'replaced_by:' if none does",
                    "replacement-itself",
                )
            elif (replacement := plan.replacement(record)) is not None:  # an unknown one: a reference error
                yield from _replacement_applies(plan, locate, record, replacement, where)


def _replacement_applies(
    plan: Plan, locate: Locate, record: Any, replacement: Any, where: tuple[str, Loc]
) -> Iterator[Finding]:
    """A superseded text whose replacement is superseded as well or still a draft."""
    status = replacement.approval.status if replacement.approval else None
    if status == m.SUPERSEDED:
        final = _applying(plan, replacement)
        yield _finding(
            where,
            f"{record.kind} '{record.id}' is replaced by '{replacement.id}', which is superseded too",
            f"name the text that applies now: 'replaced_by: {final.id}'"
            if final is not None
            else "name a text that applies now, or remove 'replaced_by:' if none does",
            "replacement-superseded",
            _at(locate, replacement, "approval", "status"),
        )
    elif status == m.DRAFT:
        yield _finding(
            where,
            f"{record.kind} '{record.id}' is replaced by '{replacement.id}', a draft that the "
            "published handbook leaves out, so readers find no rule that applies",
            f"approve '{replacement.id}' first, or keep the status of '{record.id}' until then",
            "replacement-draft",
            _at(locate, replacement, "approval", "status"),
        )
    elif (audience := _narrower(record.visibility, replacement.visibility)) is not None:
        yield _finding(
            where,
            f"{record.kind} '{record.id}' is {record.visibility}, but its replacement "
            f"'{replacement.id}' is {replacement.visibility}, so the {audience} handbook names no "
            "replacement",
            f"give '{replacement.id}' 'visibility: {record.visibility}', or '{record.id}' "
            f"'visibility: {replacement.visibility}'",
            "replacement-hidden",
            _at(locate, replacement, "visibility"),
        )


def _narrower(visibility: str, other: str) -> str | None:
    """The widest audience that sees an entry of ``visibility`` but not one of ``other``."""
    return next((a for a, seen in AUDIENCES.items() if visibility in seen and other not in seen), None)


def _applying(plan: Plan, record: Any) -> Any:
    """The end of a chain of replacements from ``record``, or None where it ends without one, in
    a draft (which the published handbook leaves out) or runs in a circle."""
    seen = set()
    while m.superseded(record):
        seen.add(record.id)
        record = plan.replacement(record)
        if record is None or record.id in seen:
            return None
    return None if record.approval is not None and record.approval.status == m.DRAFT else record


def _taught_superseded(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A training module that teaches a guideline topic which no longer applies."""
    for module in plan.modules:
        for index, topic_id in enumerate(module.guidelines):
            topic = plan.get("guideline", topic_id)
            if topic is None or not m.superseded(topic):
                continue
            final = _applying(plan, topic)
            yield _finding(
                _at(locate, module, "guidelines", index),
                f"module '{module.id}' teaches the superseded guideline '{topic.id}'",
                f"teach the guideline that applies now: replace '{topic.id}' with '{final.id}'"
                if final is not None and final.id not in module.guidelines
                else f"remove '{topic.id}' from the module's 'guidelines:'",
                "module-superseded-guideline",
                _at(locate, topic, "approval", "status"),
            )


def _processes(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A process that still applies to a retired channel."""
    for process in plan.processes:
        for index, channel_id in enumerate(process.channels):
            channel = _retired(plan, channel_id)
            if channel is not None:
                yield _finding(
                    _at(locate, process, "channels", index),
                    f"process '{process.id}' applies to the retired channel '{channel.id}'",
                    "remove the channel from the process's 'channels:', or reactivate the channel",
                    "process-retired-channel",
                    _at(locate, channel, "status"),
                )


def _rhythm(plan: Plan, locate: Locate) -> Iterator[Finding]:
    """A slot of the editorial rhythm on a retired channel, or with a format not used there."""
    for slot in plan.all("slot"):
        channel = plan.get("channel", slot.channel)
        if channel is not None and channel.status == "retired":
            yield _finding(
                _at(locate, slot, "channel"),
                f"rhythm slot '{slot.id}' appears on the retired channel '{channel.id}'",
                "move the slot to an active channel or drop it",
                "slot-retired-channel",
                _at(locate, channel, "status"),
            )
            continue
        form = plan.get("format", slot.format)
        if form is not None and form.channels and slot.channel not in form.channels:
            yield _finding(
                _at(locate, slot, "format"),
                f"rhythm slot '{slot.id}' posts the format '{form.id}' on channel '{slot.channel}', "
                f"but that format is used only on {', '.join(form.channels)}",
                f"add '{slot.channel}' to the format's 'channels:', or pick a format used there",
                "slot-format-channel",
                _at(locate, form, "channels"),
            )


def _prerequisites(module_id: str, modules: dict[str, m.Module]) -> list[str]:
    """Every module to take before ``module_id``, nearest first (cycles are reported elsewhere)."""
    found: list[str] = []
    queue = list(modules[module_id].prerequisites) if module_id in modules else []
    while queue:
        current = queue.pop(0)
        if current in found or current == module_id:
            continue
        found.append(current)
        queue.extend(modules[current].prerequisites if current in modules else [])
    return found


def _onboarding(plan: Plan) -> Iterator[Finding]:
    """An onboarding week that asks for a module whose prerequisite comes only in a later week."""
    onboarding = plan.onboarding
    if onboarding is None:
        return
    modules = {module.id: module for module in plan.modules}
    first: dict[str, tuple[int, Loc]] = {}  # module -> earliest week asking for it, and where
    tasks: list[tuple[int, str, Loc]] = []
    for w, week in enumerate(onboarding.weeks):
        for t, task in enumerate(week.tasks):
            if task.module is None:
                continue
            loc = ("weeks", w, "tasks", t, "module")
            tasks.append((week.week, task.module, loc))
            if task.module not in first or week.week < first[task.module][0]:
                first[task.module] = (week.week, loc)
    for week, module_id, loc in tasks:
        for needed in _prerequisites(module_id, modules):
            if needed in first and first[needed][0] > week:
                later, where = first[needed]
                yield Finding(
                    "onboarding",
                    loc,
                    f"week {week} asks for module '{module_id}', but its prerequisite '{needed}' "
                    f"comes only in week {later}",
                    f"move '{needed}' to week {week} or earlier, or '{module_id}' to week {later} or later",
                    "onboarding-prerequisite-later",
                    related=("onboarding", where),
                )
                break  # the nearest prerequisite is enough to fix
