"""One reminder issue per owner on GitHub or GitLab: opened or updated while something is due,
closed when nothing is.

Each issue carries the label ``handbook-due`` and a marker ``<!-- handbook-due: ROLE -->`` in its
body that ties it to its owner role. ``sync`` lists the open reminder issues, then creates,
updates (only when the text changed) or closes. The requests go through ``send`` (standard
library ``urllib`` with the platform's token from the environment); with ``dry_run`` the
changes are only printed, as method, URL and JSON body.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .due import Due, owner_markdown

LABEL = "handbook-due"
MARKER = re.compile(r"<!-- handbook-due: ([A-Za-z0-9_.-]+) -->")
PER_PAGE = 100  # the most either platform gives per page
MAX_PAGES = 50  # listing stops after 5,000 issues


class ReminderError(Exception):
    """The platform cannot be reached or refused a request (the message says which and why)."""


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    body: dict[str, Any] | None = None

    def __str__(self) -> str:
        body = "" if self.body is None else " " + json.dumps(self.body, ensure_ascii=False, sort_keys=True)
        return f"{self.method} {self.url}{body}"


Send = Callable[[Call], Any]


@dataclass(frozen=True)
class Platform:
    """Where the issues live and how the API spells them."""

    name: str
    api: str  # e.g. https://api.github.com/repos/OWNER/REPO or https://gitlab.example/api/v4/projects/7
    token: str

    @classmethod
    def from_env(cls, name: str, env: Mapping[str, str]) -> Platform:
        if name == "github":
            repo = env.get("GITHUB_REPOSITORY", "")
            if not repo:
                raise ReminderError("GITHUB_REPOSITORY is not set (owner/name; GitHub Actions sets it)")
            base = env.get("GITHUB_API_URL") or "https://api.github.com"
            return cls(name, f"{base}/repos/{repo}", env.get("GITHUB_TOKEN", ""))
        api, project = env.get("CI_API_V4_URL", ""), env.get("CI_PROJECT_ID", "")
        if not api or not project:
            raise ReminderError("CI_API_V4_URL and CI_PROJECT_ID are not set (GitLab CI sets them)")
        project = urllib.parse.quote(project, safe="")
        return cls(name, f"{api}/projects/{project}", env.get("HANDBOOK_BOT_TOKEN", ""))

    def list_open(self, page: int = 1) -> Call:
        """One page of the open issues carrying the label (``page`` counts from 1)."""
        state = "open" if self.name == "github" else "opened"
        more = f"&page={page}" if page > 1 else ""
        return Call("GET", f"{self.api}/issues?labels={LABEL}&state={state}&per_page={PER_PAGE}{more}")

    def create(self, title: str, body: str) -> Call:
        if self.name == "github":
            return Call("POST", f"{self.api}/issues", {"title": title, "body": body, "labels": [LABEL]})
        return Call("POST", f"{self.api}/issues", {"title": title, "description": body, "labels": LABEL})

    def update(self, number: int, title: str, body: str) -> Call:
        if self.name == "github":
            return Call("PATCH", f"{self.api}/issues/{number}", {"title": title, "body": body})
        return Call("PUT", f"{self.api}/issues/{number}", {"title": title, "description": body})

    def close(self, number: int) -> Call:
        if self.name == "github":
            closed = {"state": "closed", "state_reason": "completed"}
            return Call("PATCH", f"{self.api}/issues/{number}", closed)
        return Call("PUT", f"{self.api}/issues/{number}", {"state_event": "close"})

    def existing(self, listed: Any) -> tuple[dict[str, tuple[int, str, str]], list[int]]:
        """Role -> (number, title, body) of the open reminder issues in a listing, the first one
        per role; and the numbers of further ones for a role (a run that failed half-way, an issue
        reopened by hand), which are closed."""
        found: dict[str, tuple[int, str, str]] = {}
        extra: list[int] = []
        for issue in listed if isinstance(listed, list) else []:
            if not isinstance(issue, dict) or "pull_request" in issue:  # GitHub lists pull requests too
                continue
            body = issue.get("body" if self.name == "github" else "description") or ""
            number = issue.get("number" if self.name == "github" else "iid")
            match = MARKER.search(body)
            if not match or not isinstance(number, int):
                continue
            if match.group(1) in found:
                extra.append(number)
            else:
                found[match.group(1)] = (number, issue.get("title") or "", body)
        return found, extra

    def require_token(self) -> None:
        if not self.token:
            variable = "GITHUB_TOKEN" if self.name == "github" else "HANDBOOK_BOT_TOKEN"
            raise ReminderError(f"{variable} is not set: reminder issues need a token that may write issues")

    def send(self, call: Call) -> Any:
        """The request, made with the token; the decoded JSON answer."""
        self.require_token()
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.name == "github":
            headers["Authorization"] = f"Bearer {self.token}"
            headers["X-GitHub-Api-Version"] = "2022-11-28"
        else:
            headers["PRIVATE-TOKEN"] = self.token
        data = None if call.body is None else json.dumps(call.body).encode("utf-8")
        request = urllib.request.Request(call.url, data=data, headers=headers, method=call.method)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                text = answer.read().decode("utf-8")
        except (OSError, ValueError) as exc:
            raise ReminderError(f"{call.method} {call.url} failed: {exc}") from None
        return json.loads(text) if text.strip() else None


def title(name: str) -> str:
    return f"Handbuch: fällige Überprüfungen für {' '.join(name.split())}"


def body(d: Due, owner: Any) -> str:
    return (
        f"<!-- handbook-due: {owner.role} -->\n"
        + owner_markdown(d, owner)
        + "\nDieses Issue schreibt der geplante Lauf von `handbook due` neu und schließt es, "
        "sobald nichts mehr fällig ist.\n"
    )


def plan_calls(
    d: Due, platform: Platform, existing: dict[str, tuple[int, str, str]], extra: Sequence[int] = ()
) -> list[Call]:
    """The changes that bring the open reminder issues in line with ``d``; ``extra`` are further
    issues of a role that has one already."""
    calls = []
    for owner in d.owners:
        wanted_title, wanted_body = title(owner.name), body(d, owner)
        if owner.role not in existing:
            calls.append(platform.create(wanted_title, wanted_body))
            continue
        number, old_title, old_body = existing[owner.role]
        if (old_title, old_body.replace("\r\n", "\n")) != (wanted_title, wanted_body):
            calls.append(platform.update(number, wanted_title, wanted_body))
    due_roles = {o.role for o in d.owners}
    for role, (number, _, _) in sorted(existing.items()):
        if role not in due_roles:
            calls.append(platform.close(number))
    calls.extend(platform.close(number) for number in extra)
    return calls


def _list_open(platform: Platform, out: Callable[[str], None], send: Send) -> Any:
    """Every open reminder issue, page by page until a page is not full; an error if there are
    more pages than it reads."""
    listed: list[Any] = []
    for page in range(1, MAX_PAGES + 1):
        listing = platform.list_open(page)
        out(str(listing))
        answer = send(listing)
        if not isinstance(answer, list):
            return answer if page == 1 else listed
        listed.extend(answer)
        if len(answer) < PER_PAGE:
            return listed
    raise ReminderError(  # unread issues would be opened again for their owners
        f"more than {MAX_PAGES * PER_PAGE} open issues carry the label '{LABEL}'; close those that "
        "'handbook due' did not open, then run it again"
    )


def sync(
    d: Due, platform: Platform, dry_run: bool, out: Callable[[str], None], send: Send | None = None
) -> int:
    """List the open reminder issues, then make (or with ``dry_run`` print) the changes. The listing
    is read even in a dry run when a token is there; without one a dry run assumes no open issues.
    Returns the number of changes."""
    if send is None and not dry_run:
        platform.require_token()
    if dry_run and not platform.token and send is None:
        out(f"{platform.list_open()}  # dry run without a token: assuming no open reminder issues")
        listed: Any = []
    else:
        listed = _list_open(platform, out, send or platform.send)
    calls = plan_calls(d, platform, *platform.existing(listed))
    for call in calls:
        out(str(call))
        if not dry_run:
            (send or platform.send)(call)
    return len(calls)
