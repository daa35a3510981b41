"""The ticket list as a PDF with its current filters: only the matching tickets, in Greek
and Cyrillic too, a header row on every page, the filter printed, qpdf --check clean."""
import pathlib
import subprocess

from openapi_util import check
from tickets_support import new_ticket, problem, unique

SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def test_the_filtered_list_prints_as_a_paged_table(helpdesk, as_role, tmp_path):
    agent = as_role("Agent")
    tag = unique("pdf")
    urgent = [new_ticket(agent, subject=f"Ωραίο Ζήτημα {n} — Проблема", tags=[tag], priority="urgent") for n in range(60)]
    low = [new_ticket(agent, subject=f"Quiet one {n}", tags=[tag], priority="low") for n in range(5)]
    response = check(helpdesk, "GET", "/api/tickets/export.pdf",
                     agent.get("/api/tickets/export.pdf", params={"tag": tag, "priority": "urgent", "sort": "reference"}))
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="tickets.pdf"'
    pdf = tmp_path / "tickets.pdf"
    pdf.write_bytes(response.content)
    checked = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    assert all("Reference" in p and "Subject" in p for p in pages)  # the header row on every page
    assert all(f"Filter: tag={tag}, priority=urgent" in p for p in pages)
    for ticket in urgent:
        assert ticket["reference"] in text
    assert "Ωραίο Ζήτημα 0 — Проблема" in text and "Urgent" in text
    assert not any(t["reference"] in text for t in low) and "Quiet one" not in text
    assert f"Page {len(pages)} of {len(pages)}" in text and "60 tickets" in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SCREENSHOTS / "ticket-list-pdf")], check=True)
    problem(agent.get("/api/tickets/export.pdf", params={"status": "nope"}), 422, "status")
