"""Progress charts: right traces, fixed category order, readable labels, None when empty."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from engine.vocabulary import CATEGORIES, VERDICTS
from storage.store import ATTEMPT_COLUMNS, CHOICE_COLUMNS
from ui import charts

LABELS = [
    "Imminent danger",
    "Mandatory reporting",
    "Legal process",
    "Client consent",
    "Informed consent",
]


def choice(category: str, verdict: str, points: int, jurisdiction: str = "US-CA") -> dict:
    return {
        "attempt_id": "a1",
        "step": 0,
        "scenario_id": "s1",
        "jurisdiction": jurisdiction,
        "node_id": "n0",
        "choice_index": 0,
        "choice_label": "label",
        "verdict": verdict,
        "points": points,
        "category": category,
        "made_at": pd.Timestamp("2025-01-01", tz="UTC"),
    }


@pytest.fixture
def choices() -> pd.DataFrame:
    rows = [
        choice("legal_process", "best", 100),
        choice("legal_process", "over_disclosure", 0),
        choice("imminent_danger", "under_disclosure", 10, "MODEL"),
        choice("imminent_danger", "under_disclosure", 30, "MODEL"),
        choice("imminent_danger", "acceptable", 70, "US-NY"),
    ]
    return pd.DataFrame(rows, columns=CHOICE_COLUMNS)


@pytest.fixture
def attempts() -> pd.DataFrame:
    data = [
        ("a3", "s3", "MODEL", "legal_process", "2025-01-03", 1, 100),
        ("a1", "s1", "US-CA", "imminent_danger", "2025-01-01", 2, 80),
        ("a2", "s2", "US-CA", "imminent_danger", "2025-01-02", 2, 150),
        ("a4", "s4", "US-CA", "client_consent", "2025-01-04", 0, 0),  # no choices yet
    ]
    frame = pd.DataFrame(
        [(a, s, j, c, pd.Timestamp(t, tz="UTC"), pd.NaT, n, p, p / n if n else math.nan)
         for a, s, j, c, t, n, p in data],
        columns=ATTEMPT_COLUMNS,
    )  # fmt: skip
    return frame


def accessible(fig: go.Figure) -> None:
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_labels_cover_the_engine_vocabulary_in_order() -> None:
    assert tuple(charts.CATEGORY_LABELS) == CATEGORIES
    assert list(charts.CATEGORY_LABELS.values()) == LABELS
    assert set(charts.VERDICT_LABELS) == set(VERDICTS)
    assert charts.category_label("new_thing") == "New thing"


@pytest.mark.parametrize(
    "chart",
    [
        charts.average_points_by_category,
        charts.disclosure_errors_by_category,
        charts.results_by_jurisdiction,
        charts.trend_across_attempts,
    ],
)
def test_empty_frames_give_none(chart) -> None:  # type: ignore[no-untyped-def]
    assert chart(None) is None
    trend = chart is charts.trend_across_attempts
    columns = ATTEMPT_COLUMNS if trend else charts.TALLY_COLUMNS
    assert chart(pd.DataFrame(columns=columns)) is None
    if not trend:
        assert chart(charts.tally(pd.DataFrame(columns=CHOICE_COLUMNS))) is None


def test_average_points_by_category(choices: pd.DataFrame) -> None:
    fig = charts.average_points_by_category(charts.tally(choices))
    assert fig is not None
    accessible(fig)
    [bar] = fig.data
    assert list(bar.x) == LABELS
    assert list(bar.y) == [pytest.approx(110 / 3, abs=0.1), None, 50.0, None, None]
    assert bar.text[0] == "37 (3 choices)" and bar.text[2] == "50 (2 choices)"
    assert list(fig.layout.xaxis.categoryarray) == LABELS
    untried = {a.x for a in fig.layout.annotations if a.text == "not tried yet"}
    assert untried == {"Mandatory reporting", "Client consent", "Informed consent"}


def test_category_order_is_fixed_whatever_the_data_order(choices: pd.DataFrame) -> None:
    shuffled = choices.iloc[::-1].reset_index(drop=True)
    for chart in (charts.average_points_by_category, charts.disclosure_errors_by_category):
        assert list(chart(charts.tally(shuffled)).data[0].x) == LABELS
    extra = pd.concat([choices, pd.DataFrame([choice("zz_new", "best", 100)])])
    assert list(charts.average_points_by_category(charts.tally(extra)).data[0].x) == [
        *LABELS,
        "Zz new",
    ]


def test_disclosure_errors_by_category(choices: pd.DataFrame) -> None:
    fig = charts.disclosure_errors_by_category(charts.tally(choices))
    assert fig is not None
    accessible(fig)
    over, under = fig.data
    assert over.name.startswith("Over-disclosure") and under.name.startswith("Under-disclosure")
    assert list(over.x) == list(under.x) == LABELS
    assert list(over.y) == [0, 0, 1, 0, 0]
    assert list(under.y) == [2, 0, 0, 0, 0]
    assert list(under.text) == ["2", "0", "0", "0", "0"]  # values labelled, not colour only
    assert over.marker.pattern.shape != under.marker.pattern.shape
    assert fig.layout.barmode == "group"


def test_disclosure_errors_with_no_errors_still_draws_zeroes() -> None:
    fig = charts.disclosure_errors_by_category(
        charts.tally(pd.DataFrame([choice("legal_process", "best", 100)], columns=CHOICE_COLUMNS))
    )
    assert fig is not None and [list(t.y) for t in fig.data] == [[0] * 5, [0] * 5]


def test_trend_across_attempts(attempts: pd.DataFrame) -> None:
    fig = charts.trend_across_attempts(attempts)
    assert fig is not None
    accessible(fig)
    overall, *per_category = fig.data
    assert list(overall.x) == [1, 2, 3] and list(overall.y) == [40.0, 75.0, 100.0]
    assert [t.name for t in per_category] == ["Imminent danger", "Legal process"]
    assert list(per_category[0].x) == [1, 2] and list(per_category[0].y) == [40.0, 75.0]
    assert list(per_category[1].x) == [3] and list(per_category[1].y) == [100.0]
    assert per_category[0].marker.symbol != per_category[1].marker.symbol
    assert list(per_category[1].customdata[0]) == ["s3", "MODEL"]


def test_trend_with_only_empty_attempts_is_none(attempts: pd.DataFrame) -> None:
    assert charts.trend_across_attempts(attempts[attempts["choices"] == 0]) is None


def test_results_by_jurisdiction(choices: pd.DataFrame) -> None:
    fig = charts.results_by_jurisdiction(charts.tally(choices))
    assert fig is not None
    accessible(fig)
    assert [t.name for t in fig.data] == list(charts.VERDICT_LABELS.values())
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Best"].y) == ["Model law", "US-CA", "US-NY"]  # model law first
    assert list(by_name["Best"].x) == [0.0, 50.0, 0.0]
    assert list(by_name["Over-disclosure"].x) == [0.0, 50.0, 0.0]
    assert list(by_name["Under-disclosure"].x) == [100.0, 0.0, 0.0]
    assert list(by_name["Under-disclosure"].customdata) == [2, 0, 0]
    assert list(by_name["Acceptable"].x) == [0.0, 0.0, 100.0]
    for i in range(3):  # every jurisdiction's bar adds up to 100%
        assert sum(t.x[i] for t in fig.data) == pytest.approx(100)
    assert len({t.marker.pattern.shape for t in fig.data}) == len(fig.data)
    assert fig.layout.barmode == "stack"


def test_palette_is_colour_blind_safe(choices: pd.DataFrame) -> None:
    okabe_ito = set(charts.OKABE_ITO.values())
    for chart in (charts.results_by_jurisdiction, charts.disclosure_errors_by_category):
        assert {t.marker.color for t in chart(charts.tally(choices)).data} <= okabe_ito


def test_trend_numbers_a_recent_window_and_never_one_tick_per_attempt() -> None:
    """A learner with a long history sees the latest window, numbered as it really is,
    with automatic ticks: one tick per attempt froze the browser at 1,000 attempts."""
    window = pd.DataFrame(
        [
            (f"a{n}", "s", "US-CA", "legal_process", pd.Timestamp("2025-01-01", tz="UTC")
             + pd.Timedelta(minutes=n), pd.NaT, 1, 70, 70.0)
            for n in range(30)
        ],
        columns=ATTEMPT_COLUMNS,
    )  # fmt: skip
    fig = charts.trend_across_attempts(window, first=971)
    assert fig is not None
    assert list(fig.data[0].x) == list(range(971, 1001))
    assert fig.layout.xaxis.dtick is None and fig.layout.xaxis.nticks == 10
    assert "971 to 1,000" in fig.layout.xaxis.title.text


def test_tally_counts_and_sums_by_category_jurisdiction_and_verdict(
    choices: pd.DataFrame,
) -> None:
    counted = charts.tally(choices).set_index(["category", "jurisdiction", "verdict"])
    assert counted.loc[("imminent_danger", "MODEL", "under_disclosure")].tolist() == [2, 40]
    assert counted["choices"].sum() == len(choices)
    assert counted["points"].sum() == choices["points"].sum()


def test_jurisdiction_counts_are_dark_on_the_pale_fill(choices: pd.DataFrame) -> None:
    fig = charts.results_by_jurisdiction(charts.tally(choices))
    assert {t.textfont.color for t in fig.data} == {"#1a1a1a"}
    assert fig.layout.uniformtext.minsize >= 12
