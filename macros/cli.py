"""The ``handbook`` command: a thin shell over check, schema and the other tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .check import UsageError, check
from .problems import format_json, format_text


def _cmd_check(args: argparse.Namespace) -> int:
    result = check(Path(args.path))
    render = format_json if args.format == "json" else format_text
    sys.stdout.write(render(result.problems, result.summary()))
    if result.errors or (args.strict and result.warnings):
        return 1
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from .schema import check_schemas, write_schemas

    out = Path(args.dir)
    if args.check:
        stale = check_schemas(out)
        for name in stale:
            print(f"{out / name}: out of date; run 'handbook schema' to regenerate it")
        if not stale:
            print(f"ok: schemas in {out} are up to date")
        return 1 if stale else 0
    for path in write_schemas(out):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handbook", description="Check and work with the social media strategy in plans/."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="validate plans/ and report every problem")
    p.add_argument(
        "path", nargs="?", default="plans", metavar="PATH", help="plans/ or the project (default: plans)"
    )
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.add_argument("--format", choices=["text", "json"], default="text", help="report format")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("schema", help="write the JSON Schema of every plans file")
    p.add_argument("--dir", default="schema", help="output directory (default: schema)")
    p.add_argument("--check", action="store_true", help="only check that the files are up to date")
    p.set_defaults(func=_cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"handbook: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
