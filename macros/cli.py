"""The ``handbook`` command: a thin shell over check, schema and the other tools."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .data.gc_thresholds import collect_less
from .data.today import SettingError

if TYPE_CHECKING:
    from .checks.problems import Problem
    from .data.plan import Plan

# The rest of the engine is imported where a command needs it: a check whose result is stored
# (checks.result_cache) prints it without loading the models.


class UsageError(Exception):
    """The command was called wrongly (exit code 2)."""


def _plans_path(text: str) -> Path:
    """PATH of check and codeowners: a folder, or ``plans`` whatever it is (check says what is wrong)."""
    path = Path(text)
    if os.path.isdir(path) or (path.name == "plans" and os.path.lexists(path)):
        return path
    if not os.path.lexists(path):
        raise UsageError(f"{path}: no such directory")
    raise UsageError(f"{path}: not a directory (give the plans/ directory or the project)")


def _reason(exc: Exception) -> str:
    """Why a file given on the command line cannot be read or written, in a few words."""
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return str(getattr(exc, "strerror", None) or exc)


def _cmd_check(args: argparse.Namespace) -> int:
    path = _plans_path(args.path)
    if not args.cache:
        return _check(args, path)
    from .checks.result_cache import CheckCache

    cache = CheckCache.open(args.argv, path)
    if cache is None:
        return _check(args, path)
    replayed = cache.replay()
    if replayed is not None:
        return replayed
    with cache.recording() as store:
        code = _check(args, path)
        store(code)
    return code


def _check(args: argparse.Namespace, path: Path) -> int:
    from .checks.check import check
    from .checks.clashes import default_content_dir
    from .checks.problems import Problem, format_json, format_text, plural
    from .review.approval import approval_changes

    result = check(path, stored=args.cache)
    if result.plan is not None and result.plans_dir is not None:  # approved texts changed since (git)
        result.problems = sorted(
            [*result.problems, *approval_changes(result.plan, result.plans_dir, result.documents)],
            key=Problem.sort_key,
        )
    content = default_content_dir(result.plans_dir) if result.plans_dir is not None else None
    if content is not None:  # macro calls on the written pages that cannot work
        pages = _page_problems(content, result.plans_dir, args.cache)
        result.problems = sorted([*result.problems, *pages], key=Problem.sort_key)
    if args.ignore:  # warnings only: every error has a code too, and an error is never ignored
        result.problems = [p for p in result.problems if p.severity == "error" or p.code not in args.ignore]
    summary = result.summary()
    dated = sum(p.dated for p in result.problems)
    if dated and args.dates == "warn":
        summary += f"; {plural(dated, 'warning')} from dates alone, failing only with --dates fail"
    if args.format == "gitlab":
        from .checks.annotations import format_gitlab

        sys.stdout.write(format_gitlab(result.problems))
        print(summary, file=sys.stderr)
    elif args.format == "github":
        from .checks.annotations import format_github

        sys.stdout.write(format_github(result.problems, summary))
    else:
        render = format_json if args.format == "json" else format_text
        sys.stdout.write(render(result.problems, summary))
    gating = [p for p in result.problems if p.severity == "warning" and not p.dated]
    if result.errors or (args.strict and gating) or (args.dates == "fail" and dated):
        return 1
    return 0


def _page_problems(content: Path, plans_dir: Path, stored: bool) -> list[Problem]:
    """The page check's problems; kept between runs (``checks.stored``) unless ``stored`` is False,
    so that a check after an edit of the plans does not parse the pages again."""

    def compute() -> list[Problem]:
        from .site.page_check import page_problems

        return page_problems(content)

    from .checks.problems import Problem
    from .checks.stored import Store

    store = Store.beside(plans_dir) if stored else None
    if store is None:
        return compute()

    def fits(found: object) -> bool:
        return isinstance(found, list) and all(type(p) is Problem for p in found)

    def inputs() -> list[bytes | str | None]:
        return list(_page_check_inputs(content))

    return store.reuse("pages", inputs(), compute, fits, again=inputs)


def _page_check_inputs(content: Path) -> Iterator[bytes | str | None]:
    """What the page check of ``content`` depends on besides the engine: the working directory and
    where each page's path leads (the paths it shows), whether the project has macros of its own
    (``mkdocs.yml``, ``!ENV`` settings included), and every page by name and bytes (None: not a
    readable file)."""
    import stat

    from .data.positions import display_path
    from .site.settings import adds_macros

    yield os.getcwd()
    yield str(content.resolve())
    yield str(adds_macros(content.parent))
    for path in sorted(content.rglob("*.md")):
        yield str(path.relative_to(content))
        yield display_path(path)
        try:
            yield path.read_bytes() if stat.S_ISREG(path.stat().st_mode) else None  # a pipe: never read
        except OSError:
            yield None


def _cmd_schema(args: argparse.Namespace) -> int:
    from .data.kinds import MODELS
    from .data.positions import find_plans_dir
    from .data.schema import check_schemas, write_schemas

    out = Path(args.dir)
    plans = find_plans_dir(_plans_path(args.plans)) if args.plans is not None else None
    if plans is not None and not any((plans / f"{stem}.yml").is_file() for stem in MODELS):
        # Schemas without the vocabularies meant: built-in values only, a mistake that stays silent
        raise UsageError(
            f"{args.plans}: no plans files there (give the plans/ directory or the project holding it)"
        )
    if args.check:
        try:
            stale = check_schemas(out, plans)
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{out}: cannot read the schemas: {_reason(exc)}") from None
        again = shlex.join(
            ["handbook", "schema"]
            + (["--dir", args.dir] if args.dir != "schema" else [])
            + (["--plans", args.plans] if args.plans is not None else [])
        )
        for name in stale:
            print(f"{out / name}: out of date; run '{again}' to regenerate it")
        if not stale:
            print(f"ok: schemas in {out} are up to date")
        return 1 if stale else 0
    try:
        written = write_schemas(out, plans)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write the schemas: {_reason(exc)}") from None
    for path in written:
        print(f"wrote {path}")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from .checks.problems import format_json, format_text, plural
    from .review.diff import Snapshot, diff, to_json, to_markdown
    from .review.gitdata import (
        WORKTREE,
        GitError,
        UnreadablePlans,
        default_base,
        read_plans,
        repo_root,
        short,
    )

    try:
        root = repo_root(Path(args.repo))
        base = args.base or default_base(root)
        head = args.head or WORKTREE
        base_texts = read_plans(root, base, args.plans)
        head_texts = read_plans(root, head, args.plans)
        labels = (short(root, base), short(root, head))
    except UnreadablePlans as exc:  # the working tree: positioned, like 'handbook check' reports them
        summary = (
            f"{plural(len(exc.problems), 'error')}: the diff needs every plans file in the working tree "
            "readable (or give a revision as HEAD)"
        )
        render = format_json if args.format == "json" else format_text
        sys.stdout.write(render(exc.problems, summary))
        return 1
    except GitError as exc:
        raise UsageError(str(exc)) from None
    result = diff(Snapshot.load(base_texts, args.plans), Snapshot.load(head_texts, args.plans), *labels)
    sys.stdout.write(to_json(result) if args.format == "json" else to_markdown(result, args.lang))
    return 0


def _checked_plan(path: str) -> tuple[Plan, Path] | None:
    """The plan at ``path`` and its plans folder when the check finds no error; else None, with
    the errors printed."""
    from .checks.check import check
    from .checks.problems import format_text

    result = check(_plans_path(path))
    if result.plan is None:
        sys.stdout.write(format_text([p for p in result.problems if p.severity == "error"], result.summary()))
        return None
    return result.plan, result.plans_dir or Path("plans")


def _cmd_due(args: argparse.Namespace) -> int:
    from .checks.problems import plural
    from .review.due import due, to_json, to_markdown, to_text

    if args.within < 0:
        raise UsageError(f"--within must be 0 or more days, not {args.within}")
    if args.dry_run and not args.issues:
        raise UsageError("--dry-run goes with --issues github|gitlab")
    checked = _checked_plan(args.path)
    if checked is None:
        return 1
    plan, plans_dir = checked
    found = due(plan, args.within, plans_dir.as_posix())
    if args.issues:
        from .review.reminders import Platform, ReminderError, sync

        try:
            platform = Platform.from_env(args.issues, os.environ)
            changes = sync(found, platform, args.dry_run, print)
        except ReminderError as exc:
            raise UsageError(str(exc)) from None
        owners = plural(len(found.owners), "owner")
        done = "dry run, nothing changed" if args.dry_run else "done"
        print(f"{done}: {plural(changes, 'change')} to the reminder issues ({owners} with something due)")
        return 0
    render = {"json": to_json, "markdown": to_markdown}.get(args.format, to_text)
    sys.stdout.write(render(found))
    return 0


def _cmd_codeowners(args: argparse.Namespace) -> int:
    from .review.codeowners import codeowners_text

    checked = _checked_plan(args.path)
    if checked is None:
        return 1
    text = codeowners_text(checked[0])
    target = Path(args.file)
    if args.check:
        try:
            current = target.read_text(encoding="utf-8") if os.path.exists(target) else None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{target}: cannot be read: {_reason(exc)}") from None
        if current != text:
            print(f"{target}: out of date with the owners in plans/; run 'handbook codeowners --write'")
            return 1
        print(f"ok: {target} matches the owners in plans/")
        return 0
    if args.write:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{target}: cannot be written: {_reason(exc)}") from None
        print(f"wrote {target}")
        return 0
    sys.stdout.write(text)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .site.build import PlanError
    from .site.export import ExportError, export

    config = Path(args.config_file)
    if not config.is_file():
        raise UsageError(f"{config}: no such file (give the project's mkdocs.yml with -f)")
    try:
        result = export(config, Path(args.out))
    except PlanError as exc:
        sys.stdout.write(
            f"the plans have errors; nothing was exported\n{exc.report}" if exc.report else f"{exc}\n"
        )
        return 1
    except (ExportError, SettingError) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{args.out}: cannot be written: {_reason(exc)}") from None
    print(
        f"wrote {args.out}: {result.pages} pages ({result.generated} generated); "
        f"build it with 'mkdocs build -f {Path(args.out) / 'mkdocs.yml'}'"
    )
    return 0


def _ask(question: str, default: str = "") -> str:
    shown = f" [{default}]" if default else ""
    while True:
        answer = input(f"{question}{shown}: ").strip() or default
        if answer:
            return answer


def _cmd_init(args: argparse.Namespace) -> int:
    from .site.starter import KINDS, Answers, StarterError, init

    interactive = sys.stdin.isatty() and not args.yes
    name, description = args.name, args.description
    kind, repository = args.responsibility, args.repository
    try:
        if interactive:
            name = name or _ask("Organisation name")
            description = description or _ask("What does it do, in one sentence (German)")
            kind = kind or _ask(f"Who is responsible for social media ({', '.join(KINDS)})", "team")
            repository = (
                repository if repository is not None else input("Repository web address (optional): ")
            )
    except (EOFError, KeyboardInterrupt):
        print()
        return 130
    if not name or not description:
        raise UsageError("give --name and --description (or run it in a terminal to be asked)")
    answers = Answers(
        organisation=name,
        description=description,
        kind=kind or "team",
        site_name=args.site_name,
        repository=(repository or "").strip(),
        hours=args.hours,
    )
    target = Path(args.dir)
    try:
        files = init(target, answers)
    except StarterError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{exc.filename or target}: cannot be written: {_reason(exc)}") from None
    print(f"created {target} ({len(files)} files). Next:")
    print(f"  cd {target} && git init && ./run.sh serve     # the handbook on http://127.0.0.1:8000")
    print("  ./run.sh check                                 # what to do next, step by step")
    return 0


def _cmd_upgrade(args: argparse.Namespace) -> int:
    from .site.starter import StarterError, upgrade, version

    root = Path(args.dir)
    try:
        done = upgrade(root)
    except StarterError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{exc.filename or root}: cannot be upgraded: {_reason(exc)}") from None
    for name, what in done:
        print(f"{name}: {what}")
    print(f"ok: managed files match engine {version()}" + ("" if done else " (nothing to do)"))
    return 0


EPILOG = """\
examples:
  handbook check                      check plans/ (errors fail; warnings lead through the method)
  handbook check --strict --format json plans
  handbook diff origin/main HEAD      what a change does to the strategy, field by field
  handbook due --format markdown      reviews and goal deadlines due, per owner
  handbook init ../our-handbook       start a handbook repository for an organisation

exit codes:
  0  done; for check: no errors (and with --strict no warnings but date-driven ones)
  1  check, due, codeowners --check, schema --check or export found problems (they are printed);
     check also with date-driven warnings (review-overdue, goal-deadline-passed) and --dates fail
  2  the command line or a file given on it is wrong (the message says what to do)
"""


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("social-media-handbook")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _VersionAction(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata takes a twentieth of a second)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"handbook (social-media-handbook) {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook",
        description="Check and work with the social media strategy in plans/.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="show the installed version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate plans/ and report every problem")
    p.add_argument(
        "path", nargs="?", default="plans", metavar="PATH", help="plans/ or the project (default: plans)"
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument(
        "--format",
        choices=["text", "json", "github", "gitlab"],
        default="text",
        help="report format; github: workflow commands (annotations), gitlab: Code Quality report JSON",
    )
    p.add_argument(
        "--dates",
        choices=["warn", "fail"],
        default="warn",
        help="date-driven warnings (review-overdue, goal-deadline-passed): shown but never failing "
        "(warn, the default, also with --strict), or failing like errors (fail)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODE",
        help="leave out warnings with this code, e.g. review-overdue (repeatable)",
    )
    p.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="check afresh: neither replay the last check's result when nothing changed nor reuse "
        "what unchanged files gave (both kept in .cache/handbook/ beside plans/)",
    )
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("diff", help="semantic diff of plans/ between two git revisions")
    p.add_argument("base", nargs="?", help="base revision (default: merge-base with the main branch)")
    p.add_argument("head", nargs="?", help="head revision (default: the working tree)")
    p.add_argument("--format", choices=["markdown", "json"], default="markdown", help="output format")
    p.add_argument(
        "--lang",
        choices=["de", "en"],
        default="de",
        help="language of the Markdown: de (default, the handbook's: field labels) or en (YAML paths)",
    )
    p.add_argument("--repo", default=".", help="the git repository (default: current directory)")
    p.add_argument("--plans", default="plans", help="plans folder inside the repository (default: plans)")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser(
        "due",
        help="list reviews and goal deadlines overdue or due soon, per owner; keep reminder issues",
        description="List what is overdue or due within --within days, per owner role with its holders "
        "and code-owner handles. With --issues, open or update one reminder issue per owner on GitHub "
        "(GITHUB_TOKEN, GITHUB_REPOSITORY) or GitLab (HANDBOOK_BOT_TOKEN, CI_API_V4_URL, CI_PROJECT_ID) "
        "and close those of owners with nothing due; --dry-run prints the requests instead. "
        "Example: handbook due --format markdown",
    )
    p.add_argument("path", nargs="?", default="plans", metavar="PATH", help="plans/ (default: plans)")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text", help="output format")
    p.add_argument(
        "--within", type=int, default=30, metavar="DAYS", help="days ahead that count (default: 30)"
    )
    p.add_argument("--issues", choices=["github", "gitlab"], help="keep one reminder issue per owner there")
    p.add_argument("--dry-run", action="store_true", help="with --issues: print the requests, change nothing")
    p.set_defaults(func=_cmd_due)

    p = sub.add_parser("codeowners", help="print, write or check CODEOWNERS from the owners in plans/")
    p.add_argument("path", nargs="?", default="plans", metavar="PATH", help="plans/ (default: plans)")
    p.add_argument("--file", default="CODEOWNERS", help="CODEOWNERS file (default: CODEOWNERS)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="write the file")
    mode.add_argument("--check", action="store_true", help="fail when the file is out of date")
    p.set_defaults(func=_cmd_codeowners)

    p = sub.add_parser(
        "export", help="write the handbook as a plain MkDocs project (pages rendered, no hooks or macros)"
    )
    p.add_argument("out", metavar="OUT", help="new folder for the exported project")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", help="the project's mkdocs.yml")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser(
        "init",
        help="create a handbook repository for an organisation",
        description="Create a handbook repository: plans/ to start from, mkdocs.yml, run.sh, CI templates, "
        "pre-commit, CODEOWNERS and a README. Asks in a terminal; scripts give the flags. "
        "Example: handbook init stadtwerke-handbuch --name 'Stadtwerke Beispielstadt' "
        "--description 'Versorgt die Stadt mit Strom, Wasser und Wärme.' --responsibility team",
    )
    p.add_argument("dir", metavar="DIR", help="new (or empty) folder for the repository")
    p.add_argument("--name", help="the organisation's name")
    p.add_argument("--description", help="what it does, in one sentence (German)")
    p.add_argument(
        "--responsibility",
        choices=["person", "team", "working_group"],
        help="who owns social media (default: team)",
    )
    p.add_argument("--site-name", default="Social-Media-Handbuch", help="the site's name")
    p.add_argument("--repository", help="web address of the repository (edit links)")
    p.add_argument("--hours", type=int, default=8, help="weekly hours of the social media lead (default: 8)")
    p.add_argument("--yes", action="store_true", help="do not ask, even in a terminal")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser(
        "upgrade",
        help="refresh the engine's files of a handbook repository after installing a newer engine",
        description="Rewrite the files marked \"Managed by 'handbook upgrade'\" and schema/ as the installed "
        "engine writes them; plans/, content/, site_overrides/, mkdocs.yml, CODEOWNERS and README.md "
        "are never touched.",
    )
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the repository (default: .)")
    p.set_defaults(func=_cmd_upgrade)

    p = sub.add_parser("schema", help="write the JSON Schema of every plans file")
    p.add_argument("--dir", default="schema", help="output directory (default: schema)")
    p.add_argument(
        "--plans",
        metavar="PATH",
        help="the plans folder (or the project holding it) whose vocabularies.yml the schemas accept "
        "(default: plans/ beside the output directory)",
    )
    p.add_argument("--check", action="store_true", help="only check that the files are up to date")
    p.set_defaults(func=_cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    """The command. Only as the command itself (``argv`` None) does check replay a stored result:
    a caller passing ``argv`` (a test, a script) gets a fresh check."""
    if argv is None:  # a process of its own (a caller passing argv keeps its collector as it is)
        collect_less()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        os.getcwd()
    except FileNotFoundError:  # every relative path, git and the check's cache need it
        print(
            "handbook: error: the working directory no longer exists (deleted or moved); "
            "change into the project again",
            file=sys.stderr,
        )
        return 2
    args.argv = sys.argv[1:] if argv is None else argv
    if argv is not None and getattr(args, "cache", None):
        args.cache = False
    try:
        return args.func(args)
    except (UsageError, SettingError) as exc:
        print(f"handbook: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
