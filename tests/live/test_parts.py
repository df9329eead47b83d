"""The live pages' pure parts: the join link and its QR code, the reveal chart, the
results export (its spreadsheet safety included)."""

from __future__ import annotations

from io import StringIO

import pandas as pd
import pytest

from engine.scenarios import load_bank
from storage.live import RoundRow
from tests.live.conftest import HOSTILE
from ui.live import export, qr
from ui.live.charts import vote_distribution


def test_the_join_link_follows_the_address_the_facilitator_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(qr.PUBLIC_URL_ENV, raising=False)
    assert qr.app_base("http://127.0.0.1:8501/facilitate?session=abc") == "http://127.0.0.1:8501"
    assert qr.app_base("https://lab.example.org/ce/facilitate") == "https://lab.example.org/ce"
    assert qr.app_base(None) is None
    assert qr.app_base("javascript:alert(1)") is None
    assert qr.join_url("https://lab.example.org/ce", "K7QX2M") == (
        "https://lab.example.org/ce/join?code=K7QX2M"
    )
    monkeypatch.setenv(qr.PUBLIC_URL_ENV, "https://workshop.example.org/")
    assert qr.app_base("http://127.0.0.1:8501/facilitate") == "https://workshop.example.org"


def test_the_qr_code_is_a_png_made_here() -> None:
    one, two = qr.qr_png("http://h/join?code=AAAAAA"), qr.qr_png("http://h/join?code=BBBBBB")
    assert one.startswith(b"\x89PNG\r\n\x1a\n") and two.startswith(b"\x89PNG")
    assert one != two and one == qr.qr_png("http://h/join?code=AAAAAA")


def test_the_reveal_chart_keeps_order_counts_and_labels_as_text() -> None:
    figure = vote_distribution(
        ["A", "B", "C"],
        ["Explain the limits", "<a href='http://x'>link</a>", "Say nothing"],
        ["best", "over_disclosure", "acceptable"],
        [1, 2, 0],
    )
    bar = figure.data[0]
    assert list(bar.x) == [1, 2, 0]
    assert list(bar.text) == ["1 (33%)", "2 (67%)", "0 (0%)"]
    assert bar.y[0].startswith("A · Explain the limits (Best)")
    assert "<a" not in bar.y[1] and "&lt;a href" in bar.y[1]
    assert "3 votes" in figure.layout.title.text


def test_results_count_per_round_and_law_and_stay_spreadsheet_safe() -> None:
    scenario = load_bank(HOSTILE).scenarios["fixture-two-step"]
    nodes = dict(scenario.nodes)
    nodes["intake"] = nodes["intake"].model_copy(update={"text": '=HYPERLINK("http://x")'})
    scenario = scenario.model_copy(update={"nodes": nodes})
    rounds = [
        RoundRow(1, None, 0, "intake", "revealed", 0, True),
        RoundRow(2, 1, 1, "family-call", "revealed", None, True),
    ]
    tally = [
        (1, "MODEL", 0, "best", 2),
        (1, "MODEL", 1, "process_error", 1),
        (1, "US-TX", 0, "acceptable", 1),
    ]
    frame = export.results_frame(scenario, "MODEL", rounds, tally)
    assert list(frame["scored_under"]) == ["all", "MODEL", "US-TX", "all"]
    everyone = frame.iloc[0]
    assert (everyone["voters"], everyone["votes_A"], everyone["votes_B"]) == (4, 3, 1)
    assert everyone["share_best"] == 0.5  # two of four votes were best with their steps
    assert everyone["room_took"] == "A"
    assert frame.iloc[3]["voters"] == 0 and pd.isna(frame.iloc[3]["share_best"])
    text = export.results_csv(frame).decode("utf-8")
    back = pd.read_csv(StringIO(text))
    assert back["scene"][0].startswith("'=HYPERLINK")  # shown as text, never run
