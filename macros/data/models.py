"""The models of plans/: one file model per YAML file, mirroring what people write.

Every record with an ``id`` declares its ``kind`` (used for references and
duplicate checks). Records people maintain carry ``owner`` (a role) and
``reviewed`` (a date). The JSON Schema for editors is generated from here.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from .fields import (
    Audience,
    Cadence,
    Date,
    Duration,
    EditPath,
    Handle,
    Hours,
    Id,
    Int,
    Level,
    Model,
    Number,
    Priority,
    SiteName,
    SitePath,
    Text,
    Time,
    Url,
    Visibility,
    many,
    ref,
    refs,
    texts,
)
from .vocabularies import choice

ROLE = "role"
EXPERT = "expert"


VISIBILITY_HELP = "Who may see it: public, internal (default) or confidential."


class Restricted(Model):
    """An entry that a build leaves out when its audience may not see it."""

    visibility: Visibility = Field("internal", description=VISIBILITY_HELP)


class Record(Model):
    """A record with a stable id."""

    kind: ClassVar[str] = ""
    id: Id
    visibility: Visibility = Field("internal", description=VISIBILITY_HELP)


HIDEABLE = (Record, Restricted)
"""Models whose entries a build leaves out when its audience may not see them."""


class Owned(Record):
    """A record somebody keeps current."""

    owner: ref(ROLE) = Field(description="Role (id from roles.yml) that keeps this record current.")
    reviewed: Date = Field(description="Date of the last review (YYYY-MM-DD).")


APPROVAL_STATUSES = ("draft", "in_review", "approved", "superseded")
DRAFT = "draft"
SUPERSEDED = "superseded"
APPROVAL_KINDS = ("guideline",)
"""Kinds whose records carry an approval (``approval_field``): a superseded one names its
replacement among them. A kind that gets ``approval_field()`` is added here."""


class ApprovalEntry(Model):
    """One approval of a text: who gave it and when."""

    by: ref(ROLE, EXPERT) = Field(
        description="Who approved: a role or expert (id from roles.yml or experts.yml), e.g. the "
        "works council, the legal department or the data protection officer."
    )
    on: Date = Field(description="Date of the approval (YYYY-MM-DD).")


class Approval(Model):
    """Where a text stands in its approval: for rules that a body such as the works council must
    approve before they apply. A draft appears only in a preview build."""

    status: Literal[APPROVAL_STATUSES] = Field(  # type: ignore[valid-type]
        description="draft (shown only in a preview build), in_review, approved or superseded."
    )
    approvals: many(ApprovalEntry) = Field(
        default_factory=list, description="Approvals given so far, each with who and when."
    )
    replaced_by: ref(*APPROVAL_KINDS) | None = Field(
        None,
        description="For a superseded text: the record (id) whose text applies instead. Its page "
        "points readers there; without it the page says that the text no longer applies.",
    )


def superseded(record: Any) -> bool:
    """Whether ``record`` carries an approval whose status is superseded: its text no longer applies."""
    approval = getattr(record, "approval", None)
    return approval is not None and approval.status == SUPERSEDED


def approval_field() -> Any:
    """The ``approval`` field of a record kind whose text needs approval (see Approval)."""
    return Field(
        None, description="Approval status and approvals; without it the record has no approval record."
    )


class Maintained(Model):
    """File-level owner and review date for files that form one unit."""

    owner: ref(ROLE) = Field(description="Role (id from roles.yml) that keeps this file current.")
    reviewed: Date = Field(description="Date of the last review (YYYY-MM-DD).")


# --- organisation.yml -------------------------------------------------------


class Company(Model):
    name: Text = Field(description="Company name as readers know it.")
    description: Text = Field(description="What the company does, in two or three sentences.")
    location: Text | None = Field(None, description="Headquarters or main sites.")
    employees: Int | None = Field(
        None, ge=1, description="How many people the organisation has, counted as 'people' names them."
    )
    people: Literal["employees", "members", "volunteers"] = Field(
        "employees",
        description="Who the organisation's people are: employees, members (a club or association) "
        "or volunteers. Pages name them accordingly: 'Mitarbeitende', 'Mitglieder', 'Ehrenamtliche'.",
    )
    website: Url | None = Field(None, description="Public website address (https://…).")


class Responsibility(Model):
    kind: Literal["person", "team", "working_group"] = Field(
        description="Who owns social media: one person, a team or a cross-department working group."
    )
    name: Text = Field(description="Name of the person, team or working group.")
    description: Text = Field(description="What this unit is responsible for.")
    lead: ref(ROLE) = Field(description="Role that leads it.")
    members: refs(ROLE) = Field(default_factory=list, description="Roles that belong to it.")
    mandate: texts() = Field(default_factory=list, description="Decisions this unit may take without asking.")
    mandate_visibility: Visibility = Field(
        "internal", description="Who may see the mandate. " + VISIBILITY_HELP
    )
    meets: Text | None = Field(None, description="When and how the unit meets.")
    meeting: Text | None = Field(
        None,
        description="The regular meeting where colleagues raise ideas, problems and absences, as a "
        "phrase with 'in': 'in der Wochenrunde', 'im Jour fixe'. Pages say 'Stellen Sie die Idee "
        "… vor'; without it they name the unit's lead.",
    )
    contact: Text | None = Field(
        None, description="How colleagues reach the unit: a channel or shared mailbox, not a person's data."
    )
    approvers: refs(ROLE, EXPERT) = Field(
        default_factory=list, description="Roles or experts who review and approve changes to the handbook."
    )
    staff_representation: ref(ROLE, EXPERT) | None = Field(
        None,
        description="Role or expert that represents the staff (works or staff council) and is "
        "involved when rules, goals or analyses affect employees.",
    )


# Material for MkDocs' named colours (theme.palette): all may be primary, the first 16 accent.
ACCENT_COLOURS = (
    "red", "pink", "purple", "deep purple", "indigo", "blue", "light blue", "cyan",
    "teal", "green", "light green", "lime", "yellow", "amber", "orange", "deep orange",
)  # fmt: skip
PRIMARY_COLOURS = (*ACCENT_COLOURS, "brown", "grey", "blue grey", "black", "white")


class Colours(Model):
    primary: Literal[PRIMARY_COLOURS] = Field("indigo", description="Colour of header and links.")  # type: ignore[valid-type]
    accent: Literal[ACCENT_COLOURS] = Field("deep orange", description="Colour of active elements.")  # type: ignore[valid-type]


class Site(Model):
    """The published handbook's identity: the one place for its name, language, look and links."""

    name: SiteName = Field(
        "Social-Media-Handbuch",
        description="Site name in the header and browser tab; plain text on one line.",
    )
    language: Literal["de"] = Field(
        "de", description="Language of the site; the handbook's pages are German."
    )
    address: Literal["sie", "du"] = Field(
        "sie",
        description="How the handbook's own pages address the reader: 'sie' (formal) or 'du' "
        "(informal). Write the plans' free texts in the same form.",
    )
    logo: SitePath | None = Field(
        None, description="Logo file inside content/ (e.g. assets/logo.svg); without it the theme's icon."
    )
    favicon: SitePath | None = Field(None, description="Browser tab icon file inside content/.")
    colours: Colours = Field(default_factory=Colours, description="Theme colours (Material's named colours).")
    repository: Url | None = Field(
        None, description="Web address of the handbook's repository; pages get 'edit' links into it."
    )
    edit_path: EditPath = Field(
        "edit/main/",
        description="Path of the repository's web editor after the address, with the branch "
        "(GitHub, Gitea: edit/main/; GitLab: -/edit/main/).",
    )


class OrganisationFile(Maintained):
    company: Company = Field(description="The company the handbook is for.")
    responsibility: Responsibility = Field(description="Who owns social media, with what mandate.")
    site: Site = Field(
        default_factory=Site, description="The published handbook's name, language, look and links."
    )


# --- roles.yml --------------------------------------------------------------


class Role(Record):
    kind: ClassVar[str] = "role"
    name: Text = Field(description="Role name, e.g. 'Social-Media-Managerin'.")
    holders: texts() = Field(default_factory=list, description="People who hold the role now.")
    department: Text | None = Field(None, description="Department the role sits in.")
    summary: Text | None = Field(None, description="The role in one sentence.")
    duties: texts() = Field(default_factory=list, description="What the role does.")
    hours_per_week: Hours | None = Field(
        None, description="Weekly time budget for social media work, in hours per person holding the role."
    )
    reports_to: ref(ROLE) | None = Field(None, description="Role this one reports to.")
    deputy: ref(ROLE) | None = Field(None, description="Role that stands in during absence.")
    codeowners: many(Handle) = Field(
        default_factory=list,
        description="Git hosting handles for CODEOWNERS, e.g. '@acme/social-media'.",
    )


class RolesFile(Model):
    roles: many(Role) = Field(description="Roles in social media work.")


# --- experts.yml ------------------------------------------------------------


class Expert(Record):
    kind: ClassVar[str] = "expert"
    name: Text = Field(description="Function or person, e.g. 'Pressestelle' or 'Datenschutzbeauftragte'.")
    department: Text = Field(description="Department.")
    topics: texts() = Field(description="Questions this expert answers.")
    supports: refs(ROLE) = Field(default_factory=list, description="Roles this expert supports.")
    contact: Text = Field(description="How to reach the expert (channel, not personal data).")
    contact_visibility: Visibility = Field(
        "internal", description="Who may see the contact data. " + VISIBILITY_HELP
    )
    response_time: Duration | None = Field(None, description="Agreed time to answer a request.")
    hours_per_month: Hours | None = Field(None, description="Agreed time budget per month.")


class ExpertsFile(Model):
    experts: many(Expert) = Field(description="Experts who support the social media team.")


# --- strategy.yml -----------------------------------------------------------


class LeadIdea(Model):
    title: Text = Field(description="The creative lead idea in a few words.")
    description: Text = Field(description="What it means and how it shows in our content.")
    story: texts() = Field(default_factory=list, description="Story lines that carry the idea.")


class Usp(Model):
    statement: Text = Field(description="What makes us unique, in one sentence.")
    proof_points: texts() = Field(default_factory=list, description="Facts that prove it.")
    derived_from: refs("swot") = Field(
        default_factory=list, description="Analysis entries (ids from analysis.yml) it rests on."
    )


class StrategyReview(Model):
    cadence: Cadence = Field(description="How often the strategy is reviewed.")
    next: Date | None = Field(None, description="Date of the next review.")
    participants: refs(ROLE) = Field(default_factory=list, description="Roles that take part.")


class StrategyFile(Maintained):
    mission: Text = Field(description="Why we are on social media at all.")
    vision: Text | None = Field(None, description="Where we want to be in two to three years.")
    lead_idea: LeadIdea | None = Field(None, description="The creative lead idea.")
    usp: Usp | None = Field(None, description="Our unique selling proposition.")
    principles: texts() = Field(default_factory=list, description="Principles for all activity.")
    review: StrategyReview | None = Field(None, description="Review cadence of the strategy.")
    review_interval_days: Int = Field(
        365, ge=7, le=3650, description="Days after which a record's review is overdue (7 to 3650)."
    )


# --- goals.yml --------------------------------------------------------------


class Goal(Owned):
    kind: ClassVar[str] = "goal"
    title: Text = Field(description="The goal in a few words.")
    description: Text | None = Field(None, description="Why the goal matters.")
    category: choice("goal_categories") | None = Field(
        None, description="Kind of goal: a built-in category or one defined in vocabularies.yml."
    )
    priority: Priority = Field("medium", description="high, medium or low.")
    kpi: Text = Field(description="What is measured.")
    unit: Text = Field(description="Unit of the KPI, e.g. 'Follower', '%', 'Stunden'.")
    direction: Literal["increase", "decrease"] = Field(
        "increase", description="Whether the KPI should rise or fall."
    )
    baseline: Number | None = Field(None, description="Value when the goal was set.")
    baseline_date: Date | None = Field(None, description="When the baseline was measured.")
    target: Number | None = Field(None, description="Value to reach.")
    deadline: Date | None = Field(None, description="Date by which the target is reached.")
    current: Number | None = Field(None, description="Latest measured value.")
    measured: Date | None = Field(None, description="When 'current' was measured.")
    source: Text | None = Field(None, description="Where the KPI comes from (tool, report).")
    target_groups: refs("target_group") = Field(
        default_factory=list, description="Target groups (ids) the goal is about."
    )
    channels: refs("channel") = Field(default_factory=list, description="Channels (ids) that contribute.")

    @model_validator(mode="after")
    def _deadline_after_baseline(self) -> Goal:
        if self.deadline and self.baseline_date and self.deadline < self.baseline_date:
            raise PydanticCustomError(
                "deadline_before_baseline",
                "deadline {deadline} is before the baseline date {baseline}",
                {"deadline": self.deadline.isoformat(), "baseline": self.baseline_date.isoformat()},
            )
        return self


class GoalsFile(Model):
    goals: many(Goal) = Field(description="SMART goals.")


# --- target-groups.yml ------------------------------------------------------


class TargetGroup(Owned):
    kind: ClassVar[str] = "target_group"
    name: Text = Field(description="Name of the target or dialogue group.")
    group_kind: choice("target_group_kinds") = Field(
        alias="type",
        description="What kind of group it is: a built-in type or one defined in vocabularies.yml.",
    )
    priority: Priority = Field(description="high, medium or low.")
    influence: Level | None = Field(None, description="Influence on our success: high/medium/low.")
    interest: Level | None = Field(None, description="Interest in our topics: high/medium/low.")
    description: Text = Field(description="Who they are.")
    needs: texts() = Field(default_factory=list, description="What they need and wish for.")
    value: texts() = Field(default_factory=list, description="The value we offer them that others do not.")
    where: texts() = Field(default_factory=list, description="Where they are: networks, communities, events.")
    engagement: texts() = Field(default_factory=list, description="How we engage them.")
    size: Text | None = Field(None, description="Estimated size.")


class TargetGroupsFile(Model):
    target_groups: many(TargetGroup) = Field(description="Target and dialogue groups.")


# --- channels.yml -----------------------------------------------------------


class Tone(Model):
    address: Literal["du", "sie", "mixed"] = Field(description="Du, Sie or mixed.")
    description: Text = Field(description="How we sound on this channel.")


class Channel(Owned):
    kind: ClassVar[str] = "channel"
    name: Text = Field(description="Channel name as readers know it.")
    platform: Text = Field(description="Network or platform.")
    url: Url | None = Field(None, description="Address of our presence (https://…).")
    status: Literal["planned", "active", "paused", "retired"] = Field(description="Lifecycle status.")
    purpose: Text = Field(description="What the channel is for.")
    target_groups: refs("target_group") = Field(
        default_factory=list, description="Target groups (ids) it serves."
    )
    tone: Tone = Field(description="Tone of voice on this channel.")
    frequency: Text = Field(description="How often we post, e.g. '3 Beiträge pro Woche'.")
    formats: texts() = Field(default_factory=list, description="Formats we use there.")
    culture: texts() = Field(default_factory=list, description="Culture and etiquette learned by listening.")
    response_time: Duration | None = Field(None, description="Promised time to answer.")


class ChannelsFile(Model):
    channels: many(Channel) = Field(description="Channels and their rules.")


# --- analysis.yml -----------------------------------------------------------


class SwotEntry(Record):
    kind: ClassVar[str] = "swot"
    category: Literal["strength", "weakness", "opportunity", "threat"] = Field(
        alias="type", description="strength, weakness, opportunity or threat."
    )
    perspective: Literal["leadership", "employees", "stakeholders"] = Field(description="Whose view this is.")
    statement: Text = Field(description="The finding.")
    evidence: Text | None = Field(None, description="What supports it.")


class ListeningInsight(Record):
    kind: ClassVar[str] = "insight"
    channel: ref("channel") | None = Field(None, description="Channel (id) it was observed on.")
    target_groups: refs("target_group") = Field(default_factory=list, description="Groups observed.")
    source: Text = Field(description="Where it was observed.")
    date: Date = Field(description="When it was observed.")
    insight: Text = Field(description="What we learned.")
    implication: Text | None = Field(None, description="What we do because of it.")


class AnalysisFile(Maintained):
    swot: many(SwotEntry) = Field(
        description="Strengths, weaknesses, opportunities and threats, each from one perspective."
    )
    listening: many(ListeningInsight) = Field(
        description="What we learned by listening in the networks.", default_factory=list
    )


# --- processes.yml ----------------------------------------------------------


class Step(Model):
    name: Text = Field(description="What happens in this step.")
    description: Text | None = Field(None, description="Details.")
    responsible: refs(ROLE, EXPERT) = Field(description="R: who does the work.")
    accountable: ref(ROLE) = Field(description="A: the one role that answers for it.")
    consulted: refs(ROLE, EXPERT) = Field(default_factory=list, description="C: asked before.")
    informed: refs(ROLE, EXPERT) = Field(default_factory=list, description="I: told after.")
    tool: Text | None = Field(None, description="Tool used in this step.")


class ServiceLevel(Model):
    name: Text = Field(description="What is promised, e.g. 'Erste Antwort auf Kommentare'.")
    within: Duration = Field(description="Time limit.")
    applies: Text | None = Field(None, description="When it applies, e.g. 'Mo–Fr 8–18 Uhr'.")
    first_response: StrictBool = Field(
        False,
        description="true when this is the time to the first answer to comments and messages in the "
        "process's channels (all channels when it names none); check warns when a channel promises "
        "a longer 'response_time'.",
    )
    expert_answer: StrictBool = Field(
        False,
        description="true when this is the time in which an expert answers a request; check warns "
        "when an expert responsible for a step of the process promises a longer 'response_time'.",
    )


class Process(Owned):
    kind: ClassVar[str] = "process"
    name: Text = Field(description="Name of the process.")
    purpose: Text = Field(description="Why the process exists.")
    trigger: Text = Field(description="What starts it.")
    steps: many(Step) = Field(description="The workflow, in order.")
    service_levels: many(ServiceLevel) = Field(
        description="Promised response or turnaround times.", default_factory=list
    )
    tools: texts() = Field(default_factory=list, description="Tools used.")
    channels: refs("channel") = Field(default_factory=list, description="Channels it applies to.")


class ProcessesFile(Model):
    processes: many(Process) = Field(description="Workflows with RACI and service levels.")


# --- guidelines.yml ---------------------------------------------------------


class Rule(Record):
    kind: ClassVar[str] = "rule"
    title: Text = Field(description="The rule in a few words.")
    question: Text | None = Field(
        None,
        description="The question a reader asks that this rule answers, e.g. 'Darf ich privat über "
        "meine Arbeit posten?'. The page 'Das Wichtigste für alle' shows the rule as its answer.",
    )
    rule: Text = Field(description="The rule itself.")
    rationale: Text = Field(description="Why the rule exists.")
    obligation: Literal["must", "should"] = Field(description="must or should.")
    audience: Audience = Field(
        description="Who the rule is for: a built-in audience or one defined in vocabularies.yml."
    )
    channels: refs("channel") = Field(
        default_factory=list, description="Only on these channels (empty: everywhere)."
    )
    do: texts() = Field(default_factory=list, description="Good examples.")
    dont: texts() = Field(default_factory=list, description="Bad examples.")
    legal_basis: Text | None = Field(None, description="Law or contract behind it, if any.")


class GuidelineTopic(Owned):
    kind: ClassVar[str] = "guideline"
    title: Text = Field(description="Topic, e.g. 'Datenschutz'.")
    summary: Text = Field(description="The topic in two sentences.")
    rules: many(Rule) = Field(description="The rules of this topic.")
    approval: Approval | None = approval_field()


class GuidelinesFile(Model):
    guidelines: many(GuidelineTopic) = Field(description="Guideline topics, each with its rules.")
    everyone: Audience = Field(
        "all_employees",
        description="The audience whose rules apply to everyone the handbook speaks to (default: "
        "all_employees). Its rules make up the page 'Das Wichtigste für alle'.",
    )


# --- training.yml -----------------------------------------------------------


class Exercise(Model):
    title: Text = Field(description="Name of the exercise.")
    task: Text = Field(description="What the learner does.")


class SelfCheck(Model):
    question: Text = Field(description="A question learners answer themselves.")
    answer: Text = Field(description="The expected answer.")


class Module(Owned):
    kind: ClassVar[str] = "module"
    title: Text = Field(description="Title of the module.")
    summary: Text = Field(description="What the module is about.")
    audience: many(Audience) = Field(
        description="Who takes it: built-in audiences or ones defined in vocabularies.yml."
    )
    format: Text = Field(description="Workshop, E-Learning, Coaching …")
    duration_minutes: Int = Field(ge=5, le=2400, description="Duration in minutes.")
    trainer: ref(ROLE, EXPERT) | None = Field(None, description="Role or expert who teaches it.")
    prerequisites: refs("module") = Field(default_factory=list, description="Modules to take first.")
    objectives: texts() = Field(description="What learners can do afterwards.")
    agenda: texts() = Field(default_factory=list, description="Contents in order.")
    exercises: many(Exercise) = Field(description="Practical exercises.", default_factory=list)
    self_check: many(SelfCheck) = Field(
        description="Questions with answers to check understanding.", default_factory=list
    )
    guidelines: refs("guideline") = Field(default_factory=list, description="Guideline topics taught.")


class TrainingFile(Model):
    modules: many(Module) = Field(description="Training modules.")


# --- onboarding.yml ---------------------------------------------------------


class OnboardingTask(Restricted):
    task: Text = Field(description="What the newcomer does.")
    mentor: ref(ROLE, EXPERT) = Field(description="Who helps with it.")
    module: ref("module") | None = Field(None, description="Training module that belongs to it.")
    done_when: Text | None = Field(None, description="How to tell the task is done.")


class OnboardingWeek(Restricted):
    week: Int = Field(description="Week number, starting at 1.", ge=1, le=52)
    title: Text = Field(description="Theme of the week.")
    goal: Text = Field(description="What the newcomer can do at the end of the week.")
    tasks: many(OnboardingTask) = Field(description="Tasks of the week.")


class OnboardingQuestion(Restricted):
    question: Text = Field(description="A question newcomers in this role ask.")
    answer: Text = Field(description="The answer, with where to read more.")


class OnboardingFile(Maintained):
    role: ref(ROLE) = Field(description="Role being onboarded.")
    intro: Text | None = Field(None, description="Welcome text for the newcomer.")
    weeks: many(OnboardingWeek) = Field(description="The plan, week by week.")
    questions: many(OnboardingQuestion) = Field(
        default_factory=list,
        description="Questions of this organisation's newcomers, shown after the general ones.",
    )


# --- actions.yml ------------------------------------------------------------


class Measure(Owned):
    kind: ClassVar[str] = "measure"
    title: Text = Field(description="The measure in a few words.")
    description: Text | None = Field(None, description="What is done and how.")
    goals: refs("goal") = Field(default_factory=list, description="Goals (ids) it serves.")
    channels: refs("channel") = Field(description="Channels (ids) it uses.", default_factory=list)
    target_groups: refs("target_group") = Field(
        description="Target groups (ids) it addresses.", default_factory=list
    )
    start: Date = Field(description="Start date.")
    end: Date = Field(description="End date (not before start).")
    status: Literal["planned", "in_progress", "done", "on_hold", "cancelled"] = Field(
        description="planned, in_progress, done, on_hold or cancelled."
    )
    budget_eur: Number | None = Field(None, ge=0, description="Budget in euros.")

    @model_validator(mode="after")
    def _end_after_start(self) -> Measure:
        if self.end < self.start:
            raise PydanticCustomError(
                "end_before_start",
                "end {end} is before start {start}",
                {"end": self.end.isoformat(), "start": self.start.isoformat()},
            )
        return self


class ActionsFile(Model):
    measures: many(Measure) = Field(description="The action plan.")


# --- content.yml ------------------------------------------------------------


class Pillar(Record):
    kind: ClassVar[str] = "pillar"
    name: Text = Field(description="Name of the content pillar.")
    description: Text = Field(description="What content belongs here.")
    share_percent: Int = Field(ge=0, le=100, description="Share of all content, in percent.")
    target_groups: refs("target_group") = Field(
        description="Target groups (ids) it is for.", default_factory=list
    )
    goals: refs("goal") = Field(description="Goals (ids) it serves.", default_factory=list)
    examples: texts() = Field(description="Example topics.", default_factory=list)


class Format(Record):
    kind: ClassVar[str] = "format"
    name: Text = Field(description="Name of the format.")
    description: Text = Field(description="What the format looks like.")
    channels: refs("channel") = Field(description="Channels (ids) it is used on.", default_factory=list)
    effort: Text | None = Field(None, description="Typical effort to produce one piece.")


class RhythmSlot(Record):
    kind: ClassVar[str] = "slot"
    title: Text = Field(description="Name of the recurring item.")
    cadence: Cadence = Field(description="How often it appears.")
    day: Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] | None = Field(
        None, description="Weekday it appears on."
    )
    time: Time | None = Field(None, description="Time of day it appears, HH:MM, e.g. '18:30'.")
    channel: ref("channel") = Field(description="Channel (id).")
    format: ref("format") = Field(description="Content format (id).")
    pillar: ref("pillar") = Field(description="Content pillar (id).")
    owner: ref(ROLE) = Field(description="Role (id) that delivers it.")


class ContentFile(Maintained):
    pillars: many(Pillar) = Field(description="Content pillars; shares add up to 100%.")
    formats: many(Format) = Field(description="Content formats.", default_factory=list)
    rhythm: many(RhythmSlot) = Field(description="The recurring editorial rhythm.", default_factory=list)


# --- crisis.yml -------------------------------------------------------------


class CrisisLevel(Record):
    kind: ClassVar[str] = "crisis_level"
    level: Int = Field(ge=0, le=9, description="0 = lowest.")
    name: Text = Field(description="Name of the level.")
    criteria: texts() = Field(description="When a situation has this level.")
    examples: texts() = Field(description="Typical examples.", default_factory=list)
    response_time: Duration = Field(description="Time to the first public response.")
    lead: ref(ROLE) = Field(description="Role (id) that leads at this level.")
    notify: refs(ROLE, EXPERT) = Field(description="Roles or experts (ids) to inform.", default_factory=list)


class EscalationStep(Restricted):
    who: ref(ROLE, EXPERT) = Field(description="Role or expert (id) to escalate to.")
    when: Text = Field(description="When this step is taken.")
    reach: Text | None = Field(None, description="How to reach them, also out of hours.")
    reach_visibility: Visibility = Field(
        "internal", description="Who may see the contact data in 'reach'. " + VISIBILITY_HELP
    )


class ResponseTemplate(Record):
    kind: ClassVar[str] = "template"
    title: Text = Field(description="Name of the template.")
    situation: Text = Field(description="When to use it.")
    text: Text = Field(description="The pre-approved text.")
    approved_by: ref(ROLE) = Field(description="Role (id) that approved it.")
    approved: Date = Field(description="Date of approval.")
    levels: refs("crisis_level") = Field(description="Crisis levels (ids) it fits.", default_factory=list)


class ChecklistItem(Restricted):
    phase: Literal["prepare", "detect", "respond", "recover"] = Field(
        description="prepare, detect, respond or recover."
    )
    item: Text = Field(description="What to check or do.")


class CrisisFolder(Restricted):
    place: Text = Field(description="Where the crisis folder is kept and how to reach it, also out of hours.")
    contents: texts() = Field(description="What the folder holds.", default_factory=list)
    keeper: ref(ROLE, EXPERT) | None = Field(None, description="Role or expert (id) who keeps it current.")


class CrisisFile(Maintained):
    levels: many(CrisisLevel) = Field(description="Severity levels, 0 = lowest.")
    escalation: many(EscalationStep) = Field(description="Escalation chain, in order.")
    templates: many(ResponseTemplate) = Field(
        description="Pre-approved response templates.", default_factory=list
    )
    checklist: many(ChecklistItem) = Field(description="Crisis checklist.", default_factory=list)
    folder: CrisisFolder | None = Field(
        None, description="The crisis folder: where it is, what it holds, who keeps it current."
    )


# --- improvement.yml --------------------------------------------------------


class Review(Record):
    kind: ClassVar[str] = "review"
    name: Text = Field(description="Name of the review.")
    cadence: Cadence = Field(description="How often it takes place.")
    participants: refs(ROLE, EXPERT) = Field(description="Roles or experts (ids) taking part.")
    inputs: texts() = Field(description="What is looked at.", default_factory=list)
    outputs: texts() = Field(description="What comes out.", default_factory=list)


class LogEntry(Record):
    kind: ClassVar[str] = "log_entry"
    date: Date = Field(description="When it was learned or decided.")
    entry_kind: Literal["learning", "decision", "experiment"] = Field(
        alias="type", description="learning, decision or experiment."
    )
    title: Text = Field(description="The learning or decision in a few words.")
    description: Text = Field(description="Details and reasons.")
    decided_by: ref(ROLE) | None = Field(None, description="Role (id) that decided.")
    goals: refs("goal") = Field(description="Goals (ids) concerned.", default_factory=list)
    channels: refs("channel") = Field(description="Channels (ids) concerned.", default_factory=list)


class ImprovementFile(Maintained):
    reviews: many(Review) = Field(description="The KPI review rhythm.")
    log: many(LogEntry) = Field(description="Log of learnings and decisions.", default_factory=list)


# --- glossary.yml -----------------------------------------------------------


class Term(Record):
    kind: ClassVar[str] = "term"
    term: Text = Field(description="The term.")
    definition: Text = Field(description="What it means here.")
    aliases: texts() = Field(description="Other spellings that also get the tooltip.", default_factory=list)


class GlossaryFile(Model):
    terms: many(Term) = Field(description="Glossary terms.")


# --- vocabularies.yml -------------------------------------------------------


class VocabularyValue(Model):
    id: Id = Field(description="The value as records write it, e.g. 'patients'.")
    label: Text = Field(description="German label the handbook shows, e.g. 'Patientinnen und Patienten'.")


class TimeUnitValue(Model):
    id: Id = Field(description="The unit as durations write it, e.g. 'shifts'.")
    label: Text = Field(description="German singular, e.g. 'Schicht'.")
    plural: Text = Field(description="German plural, e.g. 'Schichten'.")


class VocabulariesFile(Model):
    target_group_kinds: many(VocabularyValue) = Field(
        default_factory=list, description="Types of target groups beyond the built-in ones."
    )
    audiences: many(VocabularyValue) = Field(
        default_factory=list, description="Audiences of rules and training modules beyond the built-in ones."
    )
    goal_categories: many(VocabularyValue) = Field(
        default_factory=list, description="Goal categories beyond the built-in ones."
    )
    time_units: many(TimeUnitValue) = Field(
        default_factory=list, description="Time units of durations beyond the built-in ones."
    )
