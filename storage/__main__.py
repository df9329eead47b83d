"""Administration from the command line: ``python -m storage COMMAND``.

* ``export --format csv|xapi --out DIR [--cohort CODE]``: the files the instructor page
  downloads (``attempts.csv`` and ``choices.csv``, or ``statements.json``), for one class
  or every class; for a scheduled export into an LMS.
* ``demo --learners N --choices M [--cohort CODE | --new-cohort NAME]``: synthetic
  learners who play the real bank through the real engine (``storage.demo``).
* ``lrs-send [--cohort CODE]``: send the statements waiting for the configured LRS.
* ``passcode-hash``: read an instructor passcode (twice, without echo) and print the hash
  to configure.
* ``check``: is the database reachable, at the schema this code expects? One JSON line;
  exit 0 if so, 1 if not (``storage.health``; for deploy scripts and load balancers).

The database is the app's: ``DATABASE_URL``, else ``.streamlit/secrets.toml``
(``[connections.sql] url``), else the default SQLite file. Bad arguments exit 2 with one
line saying what is wrong; a failure to reach the database exits 1.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from storage.db import database_url, make_engine
from storage.repository import StorageError

ROOT = Path(__file__).resolve().parents[1]


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 1")
    return value


def _parser() -> OneLineParser:
    parser = OneLineParser(prog="python -m storage", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    export = commands.add_parser("export", help="write a class's CSV or xAPI export")
    export.add_argument("--format", choices=("csv", "xapi"), required=True)
    export.add_argument("--out", required=True, help="folder to write into (created if absent)")
    export.add_argument("--cohort", help="a class's join code (default: every class)")
    demo = commands.add_parser("demo", help="fill the database with synthetic learners")
    demo.add_argument("--learners", type=_positive, required=True)
    demo.add_argument("--choices", type=_positive, required=True)
    group = demo.add_mutually_exclusive_group()
    group.add_argument("--cohort", help="an existing class's join code to join")
    group.add_argument("--new-cohort", metavar="NAME", help="create a class with this name")
    demo.add_argument("--seed", type=int, default=1)
    send = commands.add_parser("lrs-send", help="send waiting xAPI statements to the LRS")
    send.add_argument("--cohort", help="a class's join code (default: every class)")
    commands.add_parser("passcode-hash", help="print the hash of an instructor passcode")
    commands.add_parser(
        "check", help="is the database ready? one JSON line; exit 0 if so, 1 if not"
    )
    return parser


def _secrets() -> dict[str, Any] | None:
    path = Path(".streamlit") / "secrets.toml"
    if not path.is_file():
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None


def _bank() -> Any:
    from engine.scenarios import load_bank

    return load_bank(os.environ.get("CONFLAB_SCENARIOS") or ROOT / "scenarios")


def _cohorts(engine: Any, code: str | None) -> list[Any]:
    from storage.cohorts import Cohorts, normal_join_code

    repo = Cohorts(engine)
    if code is not None:
        if normal_join_code(code) is None:
            raise UsageError(f"--cohort: {code!r} is not a join code (7 letters and digits)")
        cohort = repo.cohort_by_join_code(code)
        if cohort is None:
            raise UsageError(f"--cohort: no class has the join code {code}")
        return [cohort]
    return repo.all_cohorts()


class UsageError(Exception):
    """A bad argument found after parsing (exit 2)."""


def _export(args: argparse.Namespace, engine: Any) -> str:
    import pandas as pd

    from storage.cohorts import Cohorts
    from storage.exports import (
        attempts_export,
        choices_export,
        csv_bytes,
        home_page,
        statements,
        statements_json,
    )

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} exists and is not a folder")
    classes = _cohorts(engine, args.cohort)
    repo = Cohorts(engine)
    out.mkdir(parents=True, exist_ok=True)
    if args.format == "csv":
        attempts_frames, choice_frames = [], []
        for cohort in classes:
            shared = repo.class_choices(cohort)
            attempts_frames.append(attempts_export(cohort, shared))
            choice_frames.append(choices_export(cohort, shared))
        attempts = pd.concat(attempts_frames) if attempts_frames else attempts_export_empty()
        chosen = pd.concat(choice_frames) if choice_frames else choices_export_empty()
        (out / "attempts.csv").write_bytes(csv_bytes(attempts))
        (out / "choices.csv").write_bytes(csv_bytes(chosen))
        return f"wrote {len(attempts)} attempts and {len(chosen)} choices to {out}"
    bank = _bank()
    home = home_page(_secrets())
    everything = []
    for cohort in classes:
        everything.extend(statements(cohort, repo.class_choices(cohort), bank.scenarios, home))
    (out / "statements.json").write_bytes(statements_json(everything))
    return f"wrote {len(everything)} statements to {out / 'statements.json'}"


def attempts_export_empty() -> Any:
    import pandas as pd

    from storage.exports import ATTEMPT_EXPORT_COLUMNS

    return pd.DataFrame(columns=ATTEMPT_EXPORT_COLUMNS)


def choices_export_empty() -> Any:
    import pandas as pd

    from storage.exports import CHOICES_COLUMNS

    return pd.DataFrame(columns=CHOICES_COLUMNS)


def _demo(args: argparse.Namespace, engine: Any) -> str:
    from storage.demo import demo_cohort, fill

    bank = _bank()
    if args.cohort is not None:
        _cohorts(engine, args.cohort)  # a clear usage error for a bad code
    cohort, instructor = demo_cohort(engine, bank, join_code=args.cohort, name=args.new_cohort)
    result = fill(
        engine,
        bank,
        learner_count=args.learners,
        choice_count=args.choices,
        cohort=cohort,
        seed=args.seed,
    )
    lines = [
        f"added {result.learners} learners, {result.attempts} attempts, {result.choices} choices"
    ]
    if cohort is not None:
        lines.append(f"class {cohort.name!r}: join code {cohort.join_code}")
    if instructor is not None:
        lines.append(f"instructor code (sign in with it on /instructor): {instructor}")
    return "\n".join(lines)


def _lrs_send(args: argparse.Namespace, engine: Any) -> str:
    from storage.lrs import Outbox, lrs_config

    config = lrs_config(_secrets())
    if config is None:
        raise UsageError("no LRS configured: set CONFLAB_LRS_ENDPOINT (and _USERNAME, _PASSWORD)")
    cohort_id = _cohorts(engine, args.cohort)[0].cohort_id if args.cohort else None
    report = Outbox(engine).send(config, cohort_id)
    line = f"sent {report.sent}; {report.waiting} waiting"
    if report.error:
        raise StorageError(f"{line}; {report.error}")
    return line


def _passcode_hash() -> str:
    from storage.passcode import hash_passcode

    first = getpass.getpass("Instructor passcode: ")
    if len(first) < 12:
        raise UsageError("use a passcode of at least 12 characters")
    if getpass.getpass("Again: ") != first:
        raise UsageError("the two passcodes differ")
    return hash_passcode(first)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "passcode-hash":
            print(_passcode_hash())
            return 0
        if args.command == "check":
            from storage import health

            return health.report(database_url(_secrets()))
        engine = make_engine(database_url(_secrets()))
        handler = {"export": _export, "demo": _demo, "lrs-send": _lrs_send}[args.command]
        print(handler(args, engine))
        return 0
    except UsageError as exc:
        parser.exit(2, f"{parser.prog} {args.command}: error: {exc}\n")
    except StorageError as exc:
        print(f"{parser.prog} {args.command}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the database unreachable, a file not writable...
        print(f"{parser.prog} {args.command}: failed ({type(exc).__name__})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
