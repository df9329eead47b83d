"""The command line of ENGINE_CONTRACT.md: rule, score, jurisdictions, validate, map; and
the law explorer's compare and counterfactuals.

Bad input prints one line on stderr naming the field and exits 2, with nothing on
stdout, so scripts can trust that stdout is JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from engine.core import rule, score
from engine.errors import InvalidInput
from engine.explore import compare, counterfactuals
from engine.profiles import load_profiles

EXIT_INVALID = 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one line (argparse's own code is also 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"error: {message}\n")
        raise SystemExit(EXIT_INVALID)


def _read_mapping(path: str, what: str) -> Any:
    """Read JSON or YAML (a JSON superset) from a file or '-' for stdin, safely."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{what}: cannot read {path}: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InvalidInput(f"{what}: {path} is not valid JSON or YAML{where}") from None


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _cmd_rule(args: argparse.Namespace) -> int:
    _print_json(rule(_read_mapping(args.facts, "facts"), args.jurisdiction).to_dict())
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    facts = _read_mapping(args.facts, "facts")
    action = _read_mapping(args.action, "action")
    result = score(action, facts, args.jurisdiction)
    assert result.ruling is not None
    _print_json({"ruling": result.ruling.to_dict(), "score": result.to_dict()})
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    _print_json(compare(_read_mapping(args.facts, "facts")))
    return 0


def _cmd_counterfactuals(args: argparse.Namespace) -> int:
    _print_json(counterfactuals(_read_mapping(args.facts, "facts"), args.jurisdiction))
    return 0


def _cmd_jurisdictions(args: argparse.Namespace) -> int:
    _print_json(
        [
            {
                "code": p.code,
                "name": p.name,
                "reviewed": p.reviewed,
                "duty_to_protect": p.duty_to_protect,
                "elder_abuse_reporting": p.elder_abuse_reporting,
                "verified": p.verified,
            }
            for p in load_profiles().values()
        ]
    )
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from engine.scenarios.validate import run_validate

    return run_validate(args.paths or ["scenarios"])


def _cmd_map(args: argparse.Namespace) -> int:
    from engine.scenarios.branch_map import run_map

    return run_map(args.scenario_id, args.scenarios, args.verdicts, args.jurisdiction)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m engine", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p_rule = commands.add_parser("rule", help="print the ruling for a facts file as JSON")
    p_rule.add_argument("--facts", required=True, help="facts file (JSON or YAML), '-' = stdin")
    p_rule.add_argument("--jurisdiction", help="override the facts' jurisdiction (e.g. US-CA)")
    p_rule.set_defaults(run=_cmd_rule)

    p_score = commands.add_parser("score", help="score an action against the ruling")
    p_score.add_argument("--facts", required=True)
    p_score.add_argument("--action", required=True)
    p_score.add_argument("--jurisdiction")
    p_score.set_defaults(run=_cmd_score)

    p_cmp = commands.add_parser(
        "compare", help="print every jurisdiction's obligation and recipients as JSON"
    )
    p_cmp.add_argument("--facts", required=True, help="facts file (JSON or YAML), '-' = stdin")
    p_cmp.set_defaults(run=_cmd_compare)

    p_cf = commands.add_parser(
        "counterfactuals", help="print the single-fact changes that change the obligation"
    )
    p_cf.add_argument("--facts", required=True, help="facts file (JSON or YAML), '-' = stdin")
    p_cf.add_argument("--jurisdiction", help="the jurisdiction (default: the facts' own)")
    p_cf.set_defaults(run=_cmd_counterfactuals)

    p_jur = commands.add_parser("jurisdictions", help="list the jurisdiction profiles")
    p_jur.set_defaults(run=_cmd_jurisdictions)

    p_val = commands.add_parser("validate", help="check scenario files (default scenarios/)")
    p_val.add_argument("paths", nargs="*", help="files or folders")
    p_val.set_defaults(run=_cmd_validate)

    p_map = commands.add_parser("map", help="print a vignette's branch graph as Graphviz DOT")
    p_map.add_argument("scenario_id")
    p_map.add_argument("--scenarios", default="scenarios", help="scenario folder")
    p_map.add_argument("--verdicts", action="store_true", help="label choices with verdicts")
    p_map.add_argument("--jurisdiction", help="score the verdicts under this jurisdiction")
    p_map.set_defaults(run=_cmd_map)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except InvalidInput as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_INVALID
