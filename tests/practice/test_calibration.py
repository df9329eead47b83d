"""Calibration: the share right at each stated confidence, the one-line reading, and
the vignettes' tally as the whole less practice."""

from __future__ import annotations

import pandas as pd
import pytest

from ui import calibration, charts
from ui.calibration import GAP, MIN_ANSWERS, calibration_chart, reading


def counts(rows: list[tuple[str, int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=calibration.COLUMNS)


def test_too_few_answers_say_so_and_draw_nothing() -> None:
    few = counts([("legal_process", 90, "best", MIN_ANSWERS - 1)])
    assert calibration_chart(few) is None and calibration_chart(None) is None
    text = reading(few)
    assert f"{MIN_ANSWERS} decisions" in text and f"on {MIN_ANSWERS - 1}" in text
    assert "on 0" in reading(counts([]))


def test_over_confidence_is_read_in_the_category_where_it_is() -> None:
    data = counts(
        [
            ("legal_process", 90, "best", 4),
            ("legal_process", 90, "over_disclosure", 8),  # 90% sure, right 4 of 12
            ("imminent_danger", 70, "best", 7),
            ("imminent_danger", 70, "under_disclosure", 3),  # 70% sure, right 7 of 10
        ]
    )
    text = reading(data)
    assert text.startswith("You are over-confident on legal process")
    assert "90% sure" in text and "right 33%" in text and "12 decisions" in text


def test_under_confidence_and_a_good_match() -> None:
    under = counts([("client_consent", 50, "best", 18), ("client_consent", 50, "acceptable", 4)])
    assert reading(under).startswith("You are under-confident on client consent")
    matched = counts(
        [
            ("legal_process", 70, "best", 14),
            ("legal_process", 70, "process_error", 6),
            ("imminent_danger", 90, "best", 9),
            ("imminent_danger", 90, "over_disclosure", 1),
        ]
    )
    assert reading(matched).startswith("Your confidence matches your results")


def test_a_category_with_few_answers_is_not_singled_out() -> None:
    data = counts(
        [
            ("legal_process", 90, "over_disclosure", 3),  # a big gap, but only 3 answers
            ("imminent_danger", 70, "best", 14),
            ("imminent_danger", 70, "under_disclosure", 6),
        ]
    )
    assert "legal process" not in reading(data)


def test_the_chart_shows_share_right_with_counts_beside_the_ideal() -> None:
    data = counts(
        [
            ("legal_process", 50, "best", 5),
            ("legal_process", 50, "under_disclosure", 5),
            ("legal_process", 90, "best", 6),
            ("legal_process", 90, "acceptable", 3),
            ("legal_process", 90, "over_disclosure", 3),
        ]
    )
    fig = calibration_chart(data)
    assert fig is not None
    bars, ideal = fig.data
    assert list(bars.y) == [50.0, None, 75.0]
    assert (
        bars.text[0] == "50% right<br>10 decisions" and bars.text[2] == "75% right<br>12 decisions"
    )
    assert list(ideal.y) == [50, 70, 90] and ideal.line.dash == "dash"
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    assert any(a.text == "no answers yet" for a in fig.layout.annotations)


@pytest.mark.parametrize(("right", "over"), [(16, False), (15, True), (14, True)])
def test_the_gap_threshold(right: int, over: bool) -> None:
    """90% sure on 20 decisions: right 16 times is a 10-point gap (fine), 15 times is
    exactly the threshold, 14 times beyond it."""
    assert GAP == 15
    data = counts(
        [("legal_process", 90, "best", right), ("legal_process", 90, "over_disclosure", 20 - right)]
    )
    assert reading(data).startswith("You are over-confident") == over


def test_vignettes_tally_is_the_whole_less_practice() -> None:
    whole = pd.DataFrame(
        [
            ("legal_process", "MODEL", "best", 5, 500),
            ("legal_process", "US-CA", "over_disclosure", 2, 0),
            ("imminent_danger", "MODEL", "acceptable", 1, 70),
        ],
        columns=charts.TALLY_COLUMNS,
    )
    practice = pd.DataFrame(
        [
            ("legal_process", "MODEL", "best", 3, 300),
            ("imminent_danger", "MODEL", "acceptable", 1, 70),
        ],
        columns=charts.TALLY_COLUMNS,
    )
    left = charts.subtract_tally(whole, practice)
    assert left.values.tolist() == [
        ["legal_process", "MODEL", "best", 2, 200],
        ["legal_process", "US-CA", "over_disclosure", 2, 0],
    ]
    assert charts.subtract_tally(whole, practice.iloc[0:0]) is whole
    assert charts.subtract_tally(practice, practice).empty
