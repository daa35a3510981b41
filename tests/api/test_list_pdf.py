"""The ticket list as a PDF with its current filters: only the matching tickets, in Greek
and Cyrillic too, a header row on every page, the filter printed, qpdf --check clean; a list
past 10,000 tickets streamed (chunked) as one valid document with the account's logo; a client
leaving mid-stream."""
import pathlib
import re
import subprocess
import tempfile
import threading

import pytest

from conftest import PASSWORD, Client, cli, start_server, stop_server
from logo_support import ALPHA_PNG, images_on_first_page
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


@pytest.fixture(scope="module")
def long_desk():
    """A server of its own over 10,500 demo tickets (seeded by `helpdesk demo --tickets`) with a
    logo: more than the 10,000 rows the list PDF used to stop at."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-list-pdf-") as data_dir:
        done = cli("user", "add", "--email", "long-list@example.test", "--name", "List Person", "--role", "Administrator",
                   "--password-stdin", data_dir=data_dir, input_text=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        done = cli("demo", "--tickets", str(LONG_LIST), data_dir=data_dir)
        assert done.returncode == 0, done.stderr
        server = start_server(data_dir)
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        try:
            admin = Client(server, "long-list@example.test")
            assert admin.put("/api/account/logo", data=ALPHA_PNG, headers={"Content-Type": "image/png"}).status_code == 200
            yield server, admin
        finally:
            stop_server(server)


LONG_LIST = 10_500


def test_a_list_longer_than_ten_thousand_streams_as_one_valid_pdf(long_desk, tmp_path):
    server, admin = long_desk
    pdf = tmp_path / "all.pdf"
    with admin.http.get(server.url("/api/tickets/export.pdf"), params={"sort": "reference"}, stream=True, timeout=600) as response:
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
        assert response.headers.get("Transfer-Encoding") == "chunked" and "Content-Length" not in response.headers
        with pdf.open("wb") as out:
            for piece in response.iter_content(64 * 1024):
                out.write(piece)
    checked = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert f"{LONG_LIST} tickets" in pages[-1] and "the first" not in text
    assert all("Filter: all tickets" in p for p in pages)  # the sort is no filter
    assert all("Reference" in p and "Subject" in p for p in pages[:-1])  # the last may hold the count alone
    assert f"Page 1 of {len(pages)}" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    references = re.findall(r"^\s*(TKT-\d+)", text, re.MULTILINE)
    assert len(references) == LONG_LIST and len(set(references)) == LONG_LIST
    rows, _ = images_on_first_page(pdf, tmp_path)
    assert [r[2:7] for r in rows] == [["image", "24", "16", "rgb", "3"], ["smask", "24", "16", "gray", "1"]]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SCREENSHOTS / "ticket-list-pdf-streamed")], check=True)


def test_a_client_leaving_mid_stream_stops_the_export_and_the_server_keeps_serving(long_desk):
    server, admin = long_desk
    with admin.http.get(server.url("/api/tickets/export.pdf"), stream=True, timeout=60) as response:
        assert response.status_code == 200
        first = next(response.iter_content(16 * 1024))
        assert first.startswith(b"%PDF-1.7")
    # The connection is gone; the server answers the next request at once.
    assert admin.get("/api/tickets", params={"limit": 1}).status_code == 200
