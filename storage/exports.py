"""Class exports: CSV for spreadsheets and gradebooks, xAPI 1.0.3 statements for an LMS
or a Learning Record Store. The page, the command line and the LRS sender share them.

Only what a class's members agreed to share is exported (``storage.cohorts``), and a
learner appears as the class's random pseudonym: never the learner code (a bearer
secret that would let anyone resume their history), never an email.

CSV cells a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with ``'`` so they stay text (OWASP's
advice for CSV injection); numbers stay numbers.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from engine import InvalidInput, rule
from engine.scenarios.schema import Scenario
from storage.cohorts import CHOICE_EXPORT_COLUMNS, Cohort

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOME_PAGE_ENV = "CONFLAB_HOME_PAGE"
DEFAULT_HOME_PAGE = "http://localhost:8501"
STATEMENT_NAMESPACE = uuid.UUID("6f1c1d53-55a4-4d0e-9a59-6c7f1f0f5e11")
"""Statement ids are UUID5s under this namespace, so exporting twice gives the same ids
and an LRS treats a re-send as the same statement."""

ATTEMPT_EXPORT_COLUMNS = [
    "cohort",
    "pseudonym",
    "display_name",
    "attempt_id",
    "scenario_id",
    "jurisdiction",
    "category",
    "started_at",
    "finished_at",
    "choices",
    "points",
    "percent",
    "passed",
]
CHOICES_COLUMNS = ["cohort", *CHOICE_EXPORT_COLUMNS]

VERBS = {
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
COURSE = "http://adlnet.gov/expapi/activities/course"


# -- CSV -------------------------------------------------------------------------------


def spreadsheet_safe(value: Any) -> Any:
    """``value`` as a spreadsheet will show it, never run it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of ``frame`` with every text cell made spreadsheet-safe."""
    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            safe[name] = column.map(spreadsheet_safe)
    # RFC 4180 line ends: a cell holding a bare carriage return is then quoted too
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def choices_export(cohort: Cohort, shared: pd.DataFrame) -> pd.DataFrame:
    """One row per shared choice, columns ``CHOICES_COLUMNS``."""
    frame = shared.copy()
    frame.insert(0, "cohort", cohort.join_code)
    return frame[CHOICES_COLUMNS]


def attempts_export(cohort: Cohort, shared: pd.DataFrame) -> pd.DataFrame:
    """One row per shared attempt: its choices, points, percent (mean points per
    choice) and whether a finished attempt reached the class's pass mark."""
    if shared.empty:
        return pd.DataFrame(columns=ATTEMPT_EXPORT_COLUMNS)
    keys = [
        "pseudonym",
        "display_name",
        "attempt_id",
        "scenario_id",
        "jurisdiction",
        "category",
        "started_at",
        "finished_at",
    ]
    grouped = shared.groupby(keys, dropna=False, sort=False, as_index=False).agg(
        choices=("points", "size"), points=("points", "sum")
    )
    grouped["percent"] = (grouped["points"] / grouped["choices"]).round(1)
    grouped["passed"] = grouped["finished_at"].notna() & (grouped["percent"] >= cohort.pass_mark)
    grouped.insert(0, "cohort", cohort.join_code)
    return grouped[ATTEMPT_EXPORT_COLUMNS].sort_values("started_at").reset_index(drop=True)


# -- xAPI ------------------------------------------------------------------------------


def home_page(secrets: Mapping[str, Any] | None = None) -> str:
    """The deployment's address, for actor accounts and activity ids: env
    ``CONFLAB_HOME_PAGE``, else secrets ``[xapi] home_page``, else localhost."""
    env = os.environ.get(HOME_PAGE_ENV, "").strip()
    if env:
        return env.rstrip("/")
    try:
        value = (secrets or {})["xapi"]["home_page"]
    except (KeyError, TypeError):
        value = None
    return (value or DEFAULT_HOME_PAGE).strip().rstrip("/")


def _iso(moment: datetime | pd.Timestamp) -> str:
    return pd.Timestamp(moment).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def iso_duration(span: timedelta | pd.Timedelta) -> str:
    """ISO 8601 duration, as xAPI wants it (``PT1M5.25S``); negative spans are 0."""
    seconds = max(0.0, pd.Timedelta(span).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{int(hours)}H"
    if minutes:
        text += f"{int(minutes)}M"
    return text + f"{round(secs, 2):g}S"


class StatementBuilder:
    """Builds the statements of one class; caches what the engine says per decision."""

    def __init__(self, cohort: Cohort, scenarios: Mapping[str, Scenario], home: str) -> None:
        self.cohort = cohort
        self.scenarios = scenarios
        self.home = home
        self._rules: dict[tuple[str, str, str], list[str]] = {}

    def _iri(self, *parts: str) -> str:
        return "/".join([self.home, "xapi", *(iri_segment(p) for p in parts)])

    def _extension(self, name: str) -> str:
        return self._iri("extensions", name)

    def actor(self, pseudonym: str) -> dict[str, Any]:
        return {
            "objectType": "Agent",
            "account": {"homePage": self.home, "name": pseudonym},
        }

    def _grouping(self) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": self._iri("classes", self.cohort.cohort_id),
            "definition": {"name": {"en-US": self.cohort.name}, "type": COURSE},
        }

    def vignette(self, scenario_id: str) -> dict[str, Any]:
        scenario = self.scenarios.get(scenario_id)
        title = scenario.title if scenario else scenario_id
        return {
            "objectType": "Activity",
            "id": self._iri("vignettes", scenario_id),
            "definition": {"name": {"en-US": title}, "type": SIMULATION},
        }

    def decision(self, scenario_id: str, node_id: str, jurisdiction: str) -> dict[str, Any]:
        activity: dict[str, Any] = {
            "objectType": "Activity",
            "id": self._iri("vignettes", scenario_id, "decisions", node_id),
            "definition": {
                "name": {"en-US": f"{scenario_id} / {node_id}"},
                "type": INTERACTION,
                "interactionType": "choice",
            },
        }
        scenario = self.scenarios.get(scenario_id)
        if scenario is None or node_id not in scenario.nodes:
            return activity  # a vignette edited since: the id still identifies it
        node = scenario.nodes[node_id]
        decisions = scenario.decision_nodes()
        number = decisions.index(node_id) + 1 if node_id in decisions else 0
        definition = activity["definition"]
        definition["name"] = {"en-US": f"{scenario.title}: decision {number}"}
        definition["description"] = {"en-US": node.text.strip()}
        definition["choices"] = [
            {"id": f"option-{i}", "description": {"en-US": c.label}}
            for i, c in enumerate(node.choices)
        ]
        best = []
        for i in range(len(node.choices)):
            try:
                law = scenario.override_for(jurisdiction)
                if scenario.score_choice(node_id, i, law).verdict == "best":
                    best.append(f"option-{i}")
            except InvalidInput:
                pass
        if best:
            definition["correctResponsesPattern"] = best
        return activity

    def rule_ids(self, scenario_id: str, node_id: str, jurisdiction: str) -> list[str]:
        key = (scenario_id, node_id, jurisdiction)
        if key not in self._rules:
            scenario = self.scenarios.get(scenario_id)
            ids: list[str] = []
            if scenario is not None and node_id in scenario.nodes:
                try:
                    ruling = rule(scenario.node_facts(node_id), scenario.override_for(jurisdiction))
                    ids = [ref.id for ref in ruling.rules]
                except InvalidInput:
                    ids = []
            self._rules[key] = ids
        return self._rules[key]

    def statement_id(self, *parts: Any) -> str:
        return str(uuid.uuid5(STATEMENT_NAMESPACE, "/".join(str(p) for p in parts)))

    def answered(self, row: Any, previous_at: datetime | pd.Timestamp) -> dict[str, Any]:
        points = int(row.points)
        extensions = {
            self._extension("category"): row.category,
            self._extension("verdict"): row.verdict,
            self._extension("jurisdiction"): row.jurisdiction,
            self._extension("rule-ids"): self.rule_ids(
                row.scenario_id, row.node_id, row.jurisdiction
            ),
            self._extension("steps"): (
                str(row.steps).split() if isinstance(row.steps, str) else []
            ),
        }
        return {
            "id": self.statement_id(row.attempt_id, row.step, "answered"),
            "actor": self.actor(row.pseudonym),
            "verb": {"id": VERBS["answered"], "display": {"en-US": "answered"}},
            "object": self.decision(row.scenario_id, row.node_id, row.jurisdiction),
            "result": {
                "score": {"raw": points, "min": 0, "max": 100, "scaled": points / 100},
                "success": row.verdict == "best",
                "response": f"option-{int(row.choice_index)}",
                "duration": iso_duration(row.made_at - previous_at),
                "extensions": extensions,
            },
            "context": self._context(row.attempt_id, row.scenario_id),
            "timestamp": _iso(row.made_at),
        }

    def _context(self, attempt_id: str, scenario_id: str) -> dict[str, Any]:
        return {
            "registration": str(uuid.UUID(hex=attempt_id)),
            "contextActivities": {
                "parent": [self.vignette(scenario_id)],
                "grouping": [self._grouping()],
            },
            "platform": "Confidentiality Lab",
            "language": "en-US",
        }

    def finished(self, attempt: Any) -> list[dict[str, Any]]:
        """``completed``, then ``passed`` or ``failed``, for a finished attempt."""
        percent = float(attempt.percent)
        passed = percent >= self.cohort.pass_mark
        result = {
            "score": {
                "raw": round(percent, 1),
                "min": 0,
                "max": 100,
                "scaled": round(percent / 100, 4),
            },
            "success": passed,
            "completion": True,
            "duration": iso_duration(attempt.finished_at - attempt.started_at),
            "extensions": {
                self._extension("category"): attempt.category,
                self._extension("jurisdiction"): attempt.jurisdiction,
            },
        }
        out = []
        for verb in ("completed", "passed" if passed else "failed"):
            out.append(
                {
                    "id": self.statement_id(attempt.attempt_id, verb),
                    "actor": self.actor(attempt.pseudonym),
                    "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
                    "object": self.vignette(attempt.scenario_id),
                    "result": result,
                    "context": self._context(attempt.attempt_id, attempt.scenario_id),
                    "timestamp": _iso(attempt.finished_at),
                }
            )
        return out


def iri_segment(part: str) -> str:
    """An id as one IRI path segment (ids are slugs already; this guards the rest)."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in str(part)) or "-"


def statements(
    cohort: Cohort,
    shared: pd.DataFrame,
    scenarios: Mapping[str, Scenario],
    home: str,
) -> list[dict[str, Any]]:
    """Every statement of the class: ``answered`` per choice, ``completed`` and
    ``passed``/``failed`` per finished attempt, in time order."""
    builder = StatementBuilder(cohort, scenarios, home)
    out: list[tuple[Any, dict[str, Any]]] = []
    if shared.empty:
        return []
    ordered = shared.sort_values(["attempt_id", "step"])
    previous: dict[str, Any] = {}
    for row in ordered.itertuples(index=False):
        started = previous.get(row.attempt_id, row.started_at)
        out.append((row.made_at, builder.answered(row, started)))
        previous[row.attempt_id] = row.made_at
    for attempt in attempts_export(cohort, shared).itertuples(index=False):
        if pd.notna(attempt.finished_at):
            for statement in builder.finished(attempt):
                out.append((attempt.finished_at, statement))
    out.sort(key=lambda pair: pd.Timestamp(pair[0]))
    return [statement for _, statement in out]


def statements_json(items: Iterable[dict[str, Any]]) -> bytes:
    """One JSON list, as an LRS's POST /statements accepts it."""
    return json.dumps(list(items), ensure_ascii=False, indent=1).encode("utf-8")
