"""Consistency warnings: two records that contradict each other, reported at one and naming the
other ("see also" in the text report, "related" in JSON). Each test plants one contradiction in a
copy of the mini plans and pins the whole report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.checks.consistency import longer, span, spoken
from macros.cli import main
from macros.data.models import Duration

from .site_support import Edits, edited_plans

FORUM = """\
  - id: forum
    name: Altes Forum
    platform: Forum
    status: retired
    purpose: Fragen beantworten.
    target_groups: [makers]
    tone: {address: du, description: Hilfsbereit.}
    frequency: keine Beiträge mehr
    owner: lead
    reviewed: 2026-06-01
"""
VIDEO = FORUM.replace("forum", "video").replace("Altes Forum", "Videos").replace("retired", "active")
CHANNEL_END = "    reviewed: 2026-06-01\n"  # the last line of channels.yml
FREQUENCY = "    frequency: 1 Beitrag pro Woche\n"
WITHIN = "        within: {value: 1, unit: working_days}\n"
SLOW_BLOG = {"channels": [(FREQUENCY, FREQUENCY + "    response_time: {value: 2, unit: working_days}\n")]}
FIRST_RESPONSE = {"processes": [(WITHIN, WITHIN + "        first_response: true\n")]}


def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, edits: Edits, *options: str) -> str:
    edited_plans(tmp_path / "plans", edits)
    monkeypatch.chdir(tmp_path)
    assert main(["check", *options, "plans"]) == 0
    return capsys.readouterr().out


def test_a_channel_slower_than_its_process_and_the_lowest_crisis_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = report(tmp_path, monkeypatch, capsys, {**SLOW_BLOG, **FIRST_RESPONSE})
    assert out == (
        "plans/channels.yml:11:28: channels[0].response_time.value: warning: step 7 of 8 (daily work: "
        "channels, content and crisis plan): channel 'blog' promises an answer within 2 working days, "
        "but process 'publish' promises the first answer there within 1 working day ('Freigabe')\n"
        "  11 |     response_time: {value: 2, unit: working_days}\n"
        "     |                            ^\n"
        "  hint: readers of both pages get two answer times: make the channel's 'response_time:' and "
        "the process's service level agree\n"
        "  see also: plans/processes.yml:18:25: processes[0].service_levels[0].within.value\n"
        "plans/channels.yml:11:28: channels[0].response_time.value: warning: step 7 of 8 (daily work: "
        "channels, content and crisis plan): channel 'blog' promises an answer within 2 working days, "
        "but the lowest crisis level 'low' (level 0) asks for the first public response within "
        "1 working day\n"
        "  11 |     response_time: {value: 2, unit: working_days}\n"
        "     |                            ^\n"
        "  hint: a critical comment on this channel would get two answer times: shorten the channel's "
        "'response_time:' or lengthen the crisis level's\n"
        "  see also: plans/crisis.yml:9:28: levels[0].response_time.value\n"
        "0 errors, 2 warnings (18 files, 24 records)\n"
    )
    assert main(["check", "--strict", "plans"]) == 1
    capsys.readouterr()
    ignored = ("--ignore", "response-time-process", "--ignore", "response-time-crisis")
    assert main(["check", "--strict", *ignored, "plans"]) == 0


def test_the_json_report_names_the_other_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    problems = json.loads(report(tmp_path, monkeypatch, capsys, SLOW_BLOG, "--format", "json"))["problems"]
    assert [(p["code"], p["file"], p["line"], p["step"], p["related"]) for p in problems] == [
        (
            "response-time-crisis",
            "plans/channels.yml",
            11,
            7,
            {"file": "plans/crisis.yml", "line": 9, "column": 28, "path": "levels[0].response_time.value"},
        )
    ]


def test_only_a_service_level_marked_first_response_is_a_channel_s_promise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without first_response, the process's 1 working day is an approval time, not an answer time.
    codes = {p.code for p in check(edited_plans(tmp_path / "a", SLOW_BLOG)).problems}
    assert codes == {"response-time-crisis"}
    # A process without channels promises its first answer on every channel.
    edits = {**SLOW_BLOG, "processes": [*FIRST_RESPONSE["processes"], ("    channels: [blog]\n", "")]}
    codes = {p.code for p in check(edited_plans(tmp_path / "b", edits)).problems}
    assert codes == {"response-time-crisis", "response-time-process"}
    # A retired channel answers no one any more.
    retired = {**FIRST_RESPONSE, "channels": [*SLOW_BLOG["channels"], ("status: active", "status: retired")]}
    codes = {p.code for p in check(edited_plans(tmp_path / "c", retired)).problems}
    assert "response-time-process" not in codes and "response-time-crisis" not in codes


@pytest.mark.parametrize(
    ("channel", "within", "warned"),
    [
        ("{value: 1, unit: working_days}", "{value: 1, unit: working_days}", False),  # the same
        ("{value: 8, unit: working_hours}", "{value: 1, unit: working_days}", False),  # a day is 8 hours
        ("{value: 9, unit: working_hours}", "{value: 1, unit: working_days}", True),
        ("{value: 30, unit: days}", "{value: 1, unit: months}", False),  # a month has 28 to 31 days
        ("{value: 32, unit: days}", "{value: 1, unit: months}", True),
        ("{value: 90, unit: minutes}", "{value: 1, unit: hours}", True),
        ("{value: 3, unit: days}", "{value: 1, unit: working_days}", False),  # never across scales
        ("{value: 1, unit: working_days}", "{value: 2, unit: hours}", False),
    ],
)
def test_durations_are_compared_where_their_order_is_certain(
    tmp_path: Path, channel: str, within: str, warned: bool
) -> None:
    edits = {
        "channels": [(FREQUENCY, FREQUENCY + f"    response_time: {channel}\n")],
        "processes": [(WITHIN, f"        within: {within}\n        first_response: true\n")],
    }
    problems = check(edited_plans(tmp_path / "plans", edits)).problems
    found = [p.code for p in problems if p.code == "response-time-process"]
    assert found == (["response-time-process"] if warned else [])


def duration(value: float, unit: str) -> Duration:
    return Duration.model_construct(value=value, unit=unit)  # custom units need no vocabulary here


def test_spans_and_spoken_durations() -> None:
    assert span(duration(2, "working_days")) == ("working", 960, 960)
    assert span(duration(1, "months")) == ("calendar", 40320, 44640)
    assert span(duration(3, "shifts")) == ("unit:shifts", 3, 3)
    assert longer(duration(4, "shifts"), duration(3, "shifts"))
    assert not longer(duration(4, "shifts"), duration(3, "hours"))
    assert not longer(duration(1, "hours"), duration(1, "hours"))
    assert [
        spoken(d) for d in (duration(1, "working_days"), duration(2.5, "hours"), duration(1, "shifts"))
    ] == [
        "1 working day",
        "2.5 hours",
        "1 shift",
    ]


def test_a_higher_crisis_level_that_allows_more_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = report(
        tmp_path,
        monkeypatch,
        capsys,
        {"crisis": [("{value: 2, unit: hours}", "{value: 2, unit: working_days}")]},
    )
    assert out == (
        "plans/crisis.yml:15:28: levels[1].response_time.value: warning: step 7 of 8 (daily work: "
        "channels, content and crisis plan): crisis level 'high' (level 1) allows 2 working days for "
        "the first public response, more than the lower level 'low' (level 0, 1 working day)\n"
        "  15 |     response_time: {value: 2, unit: working_days}\n"
        "     |                            ^\n"
        "  hint: a higher level is more urgent: give it the same or a shorter 'response_time:'\n"
        "  see also: plans/crisis.yml:9:28: levels[0].response_time.value\n"
        "0 errors, 1 warning (18 files, 24 records)\n"
    )


def test_rules_processes_and_rhythm_slots_for_a_retired_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edits = {
        "channels": [(CHANNEL_END, CHANNEL_END + FORUM)],
        "guidelines": [
            (
                "        legal_basis: UWG § 5a\n",
                "        legal_basis: UWG § 5a\n        channels: [blog, forum]\n",
            )
        ],
        "processes": [("    channels: [blog]\n", "    channels: [forum, blog]\n")],
        "content": [("    channel: blog\n", "    channel: forum\n")],
    }
    assert report(tmp_path, monkeypatch, capsys, edits) == (
        "plans/guidelines.yml:19:26: guidelines[0].rules[0].channels[1]: warning: step 6 of 8 "
        "(processes, experts, guidelines and training): rule 'be-honest' is for the retired channel 'forum'\n"
        "  19 |         channels: [blog, forum]\n"
        "     |                          ^\n"
        "  hint: remove the channel from the rule (or the rule, if it was only for this channel), "
        "or reactivate the channel\n"
        "  see also: plans/channels.yml:18:13: channels[1].status\n"
        "plans/processes.yml:20:16: processes[0].channels[0]: warning: step 6 of 8 (processes, experts, "
        "guidelines and training): process 'publish' applies to the retired channel 'forum'\n"
        "  20 |     channels: [forum, blog]\n"
        "     |                ^\n"
        "  hint: remove the channel from the process's 'channels:', or reactivate the channel\n"
        "  see also: plans/channels.yml:18:13: channels[1].status\n"
        "plans/content.yml:21:14: rhythm[0].channel: warning: step 7 of 8 (daily work: channels, content "
        "and crisis plan): rhythm slot 'weekly-howto' appears on the retired channel 'forum'\n"
        "  21 |     channel: forum\n"
        "     |              ^\n"
        "  hint: move the slot to an active channel or drop it\n"
        "  see also: plans/channels.yml:18:13: channels[1].status\n"
        "0 errors, 3 warnings (18 files, 25 records)\n"
    )


def test_a_rhythm_slot_with_a_format_not_used_on_its_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edits = {
        "channels": [(CHANNEL_END, CHANNEL_END + VIDEO)],
        "content": [("    channel: blog\n", "    channel: video\n")],
    }
    out = report(tmp_path, monkeypatch, capsys, edits, "--ignore", "channel-not-listened")
    assert out == (
        "plans/content.yml:22:13: rhythm[0].format: warning: step 7 of 8 (daily work: channels, content "
        "and crisis plan): rhythm slot 'weekly-howto' posts the format 'article' on channel 'video', "
        "but that format is used only on blog\n"
        "  22 |     format: article\n"
        "     |             ^\n"
        "  hint: add 'video' to the format's 'channels:', or pick a format used there\n"
        "  see also: plans/content.yml:15:15: formats[0].channels\n"
        "0 errors, 1 warning (18 files, 25 records)\n"
    )


TEACHERS = """\
  - id: teachers
    name: Lehrkräfte
    type: customers
    priority: low
    description: Sie unterrichten Messtechnik.
    owner: lead
    reviewed: 2026-06-01
"""


def test_a_goal_whose_channels_serve_none_of_its_target_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edits = {
        "target-groups": [("    reviewed: 2026-06-01\n", "    reviewed: 2026-06-01\n" + TEACHERS)],
        "goals": [("    target_groups: [makers]\n", "    target_groups: [teachers]\n")],
    }
    assert report(tmp_path, monkeypatch, capsys, edits) == (
        "plans/goals.yml:12:15: goals[0].channels: warning: step 3 of 8 (goals and target groups): "
        "goal 'reach' is about teachers, but none of its channels (blog) serves any of them\n"
        "  12 |     channels: [blog]\n"
        "     |               ^\n"
        "  hint: add a channel that reaches these groups, or add a group to a channel's "
        "'target_groups:' if it is reached there\n"
        "  see also: plans/channels.yml:8:20: channels[0].target_groups\n"
        "0 errors, 1 warning (18 files, 25 records)\n"
    )
    # One group in common is enough.
    both = {**edits, "goals": [("    target_groups: [makers]\n", "    target_groups: [teachers, makers]\n")]}
    assert check(edited_plans(tmp_path / "both", both)).problems == []


MEASURING = """\
  - id: measuring
    title: Messen
    summary: Grundlagen des Messens.
    audience: [all_employees]
    format: Workshop
    duration_minutes: 60
    objectives: [Messwerte lesen]
    owner: lead
    reviewed: 2026-06-01
"""
WEEK_2 = """\
  - week: 2
    title: Vertiefen
    goal: Messen können.
    tasks:
      - task: Workshop besuchen
        mentor: lead
        module: measuring
"""


def onboarding_edits(week: str) -> Edits:
    """Module 'intro' (week 1) needs 'measuring', which the onboarding asks for in ``week``."""
    return {
        "training": [
            ("modules:\n", "modules:\n" + MEASURING),
            ("    guidelines: [basics]\n", "    guidelines: [basics]\n    prerequisites: [measuring]\n"),
        ],
        "onboarding": [("questions:\n", week + "questions:\n")],
    }


def test_an_onboarding_week_that_asks_for_a_module_before_its_prerequisite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert report(tmp_path, monkeypatch, capsys, onboarding_edits(WEEK_2)) == (
        "plans/onboarding.yml:12:17: weeks[0].tasks[0].module: warning: step 6 of 8 (processes, experts, "
        "guidelines and training): week 1 asks for module 'intro', but its prerequisite 'measuring' "
        "comes only in week 2\n"
        "  12 |         module: intro\n"
        "     |                 ^\n"
        "  hint: move 'measuring' to week 1 or earlier, or 'intro' to week 2 or later\n"
        "  see also: plans/onboarding.yml:20:17: weeks[1].tasks[0].module\n"
        "0 errors, 1 warning (18 files, 25 records)\n"
    )
    # The same week is fine (its tasks are not in an order), and so is a prerequisite the
    # onboarding does not ask for (taken before, or elsewhere).
    same_week = WEEK_2.replace("week: 2", "week: 1")
    assert check(edited_plans(tmp_path / "same", onboarding_edits(same_week))).problems == []
    none = onboarding_edits("")
    assert check(edited_plans(tmp_path / "none", {"training": none["training"]})).problems == []


def test_a_prerequisite_of_a_prerequisite_counts(tmp_path: Path) -> None:
    edits = onboarding_edits(WEEK_2.replace("module: measuring", "module: basics-of-basics"))
    edits["training"][0] = (
        "modules:\n",
        "modules:\n"
        + MEASURING.replace("    owner", "    prerequisites: [basics-of-basics]\n    owner")
        + MEASURING.replace("measuring", "basics-of-basics"),
    )
    problems = check(edited_plans(tmp_path / "plans", edits)).problems
    assert [(p.code, p.message.split(": ", 1)[1]) for p in problems] == [
        (
            "onboarding-prerequisite-later",
            "week 1 asks for module 'intro', but its prerequisite 'basics-of-basics' comes only in week 2",
        )
    ]


def test_the_mini_plans_are_consistent() -> None:
    assert check(Path(__file__).parent / "fixtures" / "mini" / "plans").problems == []


def test_annotations_name_the_other_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    github = report(tmp_path, monkeypatch, capsys, SLOW_BLOG, "--format", "github")
    assert github.splitlines()[0] == (
        "::warning file=plans/channels.yml,line=11,col=28,title=handbook check%3A response-time-crisis::"
        "channels[0].response_time.value: step 7 of 8 (daily work: channels, content and crisis plan): "
        "channel 'blog' promises an answer within 2 working days, but the lowest crisis level 'low' "
        "(level 0) asks for the first public response within 1 working day%0Ahint: a critical comment "
        "on this channel would get two answer times: shorten the channel's 'response_time:' or lengthen "
        "the crisis level's%0Asee also: plans/crisis.yml:9:28: levels[0].response_time.value"
    )
    assert main(["check", "--format", "gitlab", "plans"]) == 0
    [issue] = json.loads(capsys.readouterr().out)
    assert issue["description"].endswith(
        "or lengthen the crisis level's; see also: plans/crisis.yml:9:28: levels[0].response_time.value"
    )


def test_a_crisis_level_led_by_a_role_the_escalation_chain_never_reaches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edits = {"crisis": [("  - who: lead\n    when: Stufe 1 erreicht\n    reach: Mobil\n", "")]}
    assert report(tmp_path, monkeypatch, capsys, edits) == (
        "plans/crisis.yml:16:11: levels[1].lead: warning: step 7 of 8 (daily work: channels, content "
        "and crisis plan): crisis level 'high' (level 1) is led by 'lead', whom the escalation chain "
        "never reaches\n"
        "  16 |     lead: lead\n"
        "     |           ^\n"
        "  hint: add 'lead' to 'escalation:' with when and how to reach them, or let a role of the "
        "chain lead the level\n"
        "  see also: plans/crisis.yml:19:3: escalation\n"
        "0 errors, 1 warning (18 files, 24 records)\n"
    )


def test_an_expert_slower_than_the_expert_answer_their_process_promises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    edits = {
        "processes": [
            ("        responsible: [helper]\n", "        responsible: [helper, legal]\n"),
            (WITHIN, WITHIN + "        expert_answer: true\n"),
        ]
    }
    assert report(tmp_path, monkeypatch, capsys, edits) == (
        "plans/experts.yml:9:28: experts[0].response_time.value: warning: step 6 of 8 (processes, "
        "experts, guidelines and training): expert 'legal' answers within 2 working days, but process "
        "'publish', in which they do a step, promises an expert's answer within 1 working day ('Freigabe')\n"
        "  9 |     response_time: {value: 2, unit: working_days}\n"
        "    |                            ^\n"
        "  hint: agree on one time with the expert: change their 'response_time:' or the process's "
        "service level\n"
        "  see also: plans/processes.yml:18:25: processes[0].service_levels[0].within.value\n"
        "0 errors, 1 warning (18 files, 24 records)\n"
    )
    # Consulted is not doing the step; without the mark the service level is about something else.
    consulted = {"processes": edits["processes"][1:]}
    assert check(edited_plans(tmp_path / "consulted", consulted)).problems == []
    unmarked = {"processes": edits["processes"][:1]}
    assert check(edited_plans(tmp_path / "unmarked", unmarked)).problems == []
