"""The CE certificate PDF, read back as text: every field a board asks for is on it."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from engine import law_reviewed
from storage.certificate import certificate_pdf, hours_text


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_certificate_carries_every_field() -> None:
    record = {
        "certificate_id": "K7M2QXDAB3CD",
        "display_name": "Dr. Zoë Ångström-Núñez",
        "course": "CE: Duty to protect in California",
        "minutes": 95,
        "jurisdiction": "US-CA",
        "objectives": ["Recognise a serious threat of violence", "Discharge the duty"],
        "percent": 91,
        "issued_at": datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
    }
    pdf = certificate_pdf(record)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in (
        "Certificate of completion",
        "Dr. Zoë Ångström-Núñez",
        "CE: Duty to protect in California",
        "1.5 hours (95 minutes)",
        "Score: 91%",
        "Jurisdiction: US-CA",
        "30 November 2026",
        "Recognise a serious threat of violence",
        "Discharge the duty",
        "Certificate id: K7M2QXDAB3CD",
        "education, not legal advice",
        law_reviewed(),
    ):
        assert expected in text, expected


def test_hours_are_counted_in_quarter_hours() -> None:
    assert hours_text(60) == "1 hour (60 minutes)"
    assert hours_text(50) == "0.75 hours (50 minutes)"
    assert hours_text(8) == "0.25 hours (8 minutes)"
