"""Wall and server CPU time of the report exports (PDF, CSV, JSON) on the benchmark database,
through the release server (the server's own CPU per call from /proc/PID/stat).
Usage: HELPDESK_BIN=.build-X/release/helpdesk python benchmarks/report_exports.py DATA_DIR [RUNS]
(DATA_DIR: a TicketsBenchmark database folder; adds the user bench@example.test.)
"""
import os, subprocess, sys, threading, time
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "tests" / "api"))
from conftest import PASSWORD, Client, cli, start_server, stop_server

DATA = sys.argv[1]
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 7
TICKS = os.sysconf("SC_CLK_TCK")

def cpu_ms(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICKS

cli("user", "add", "--email", "bench@example.test", "--name", "Bench", "--role", "Administrator",
    "--password-stdin", data_dir=DATA, input_text=PASSWORD + "\n")
server = start_server(DATA)
threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
try:
    admin = Client(server, "bench@example.test")
    pid = server.process.pid
    for days, first in [(90, "2025-10-03"), (365, "2025-01-01")]:
        for path in ["/api/reports/export.pdf", "/api/reports/export.csv", "/api/reports"]:
            walls, cpus, size = [], [], 0
            for run in range(RUNS):
                params = {"range": "custom", "from": first, "to": "2025-12-31"}
                c0, t0 = cpu_ms(pid), time.time()
                r = admin.get(path, params=params, timeout=600)
                walls.append((time.time() - t0) * 1000); cpus.append(cpu_ms(pid) - c0)
                assert r.status_code == 200, r.text[:300]
                size = len(r.content)
                if path.endswith(".pdf") and run == 0:
                    # Kept for a look, beside the tests' output (git ignores test-output/).
                    os.makedirs("test-output", exist_ok=True)
                    open(f"test-output/report-{days}-days.pdf", "wb").write(r.content)
            walls.sort(); cpus.sort()
            print(f"{path} {days} days: {size/1024:.0f} KB, wall min/median/max {walls[0]:.0f}/{walls[len(walls)//2]:.0f}/{walls[-1]:.0f} ms, "
                  f"server CPU min/median/max {cpus[0]:.0f}/{cpus[len(cpus)//2]:.0f}/{cpus[-1]:.0f} ms", flush=True)
finally:
    stop_server(server)
