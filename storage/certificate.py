"""The CE completion certificate as a PDF (fpdf2).

What a continuing-education provider expects on one page: the name the learner entered,
the course (the class's name), the hours (the assigned vignettes' minutes), the date,
the jurisdiction, the learning objectives covered, the score, and a certificate id the
instructor can look up on the instructor page to confirm it. The product's own
disclaimer is printed too: the certificate records education, not legal advice.

DejaVu Sans is embedded (``storage/fonts``, under its own licence) so any name prints
as typed, in any script the font covers, rather than the Latin-1 of PDF's core fonts.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

from engine import law_reviewed

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"


def hours_text(minutes: int) -> str:
    """Minutes as CE hours, to the quarter hour as most boards count them."""
    quarters = round(minutes / 15)
    hours = quarters / 4
    return f"{hours:g} hour" + ("" if hours == 1 else "s") + f" ({minutes} minutes)"


def certificate_pdf(record: dict[str, Any]) -> bytes:
    """The PDF for a certificate ``record`` (as ``Cohorts.record_certificate`` returns)."""
    pdf = FPDF(orientation="landscape", format="Letter")
    pdf.set_title("Certificate of completion")
    pdf.set_author("Confidentiality Lab")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: int, style: str = "", gap: float = 2) -> None:
        pdf.set_font(FAMILY, style, size)
        pdf.multi_cell(width, size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    issued: datetime = record["issued_at"]
    line("Certificate of completion", 28, "B", 6)
    line("This certifies that", 13)
    line(record["display_name"], 24, "B", 4)
    line("completed the course", 13)
    line(record["course"], 18, "B", 4)
    line(
        f"Hours: {hours_text(int(record['minutes']))}    "
        f"Score: {int(record['percent'])}%    "
        f"Jurisdiction: {record['jurisdiction']}    "
        f"Date: {issued:%d %B %Y}",
        12,
        gap=5,
    )
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(width, 7, "Learning objectives covered", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    for objective in record["objectives"]:
        pdf.multi_cell(width, 5, f"• {objective}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(width, 6, f"Certificate id: {record['certificate_id']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(
        width,
        4.5,
        "The instructor can confirm this certificate by its id on the instructor page of "
        "Confidentiality Lab. Confidentiality Lab is education, not legal advice; its law "
        f"was last reviewed {law_reviewed()}.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
