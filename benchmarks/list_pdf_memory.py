"""Peak RSS of the release server while it streams the list PDF of N tickets (demo data).
Usage: HELPDESK_BIN=.build-X/release/helpdesk python benchmarks/list_pdf_memory.py 10000 100000
"""
import os, subprocess, sys, tempfile, threading, time
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[1] / "tests" / "api"))
from conftest import PASSWORD, Client, cli, start_server, stop_server

def status(pid, key):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])

for n in [int(a) for a in sys.argv[1:]]:
    with tempfile.TemporaryDirectory(prefix=f"list-pdf-{n}-") as d:
        assert cli("user", "add", "--email", "rss@example.test", "--name", "RSS", "--role", "Administrator",
                   "--password-stdin", data_dir=d, input_text=PASSWORD + "\n").returncode == 0
        t = time.time()
        done = subprocess.run([os.environ["HELPDESK_BIN"], "demo", "--tickets", str(n), "--data", d], capture_output=True, text=True, timeout=3600)
        assert done.returncode == 0, done.stderr
        seeded = time.time() - t
        server = start_server(d)
        threading.Thread(target=lambda: [None for _ in server.process.stdout], daemon=True).start()
        try:
            admin = Client(server, "rss@example.test")
            pid = server.process.pid
            admin.get("/api/tickets", params={"limit": 1})
            before_rss, before_hwm = status(pid, "VmRSS"), status(pid, "VmHWM")
            f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split(); cpu0 = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
            t = time.time(); size = 0; first = None
            with admin.http.get(server.url("/api/tickets/export.pdf"), stream=True, timeout=3600) as r:
                assert r.status_code == 200
                for piece in r.iter_content(64 * 1024):
                    if first is None: first = time.time() - t
                    size += len(piece)
            took = time.time() - t
            after_rss, after_hwm = status(pid, "VmRSS"), status(pid, "VmHWM")
            f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split(); cpu = (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK") - cpu0
            print(f"server CPU for the export: {cpu:.1f} s", flush=True)
            print(f"rows={n} seed={seeded:.1f}s pdf={size/1e6:.1f}MB first_byte={first:.2f}s total={took:.1f}s "
                  f"rss_before={before_rss/1024:.1f}MiB hwm_before={before_hwm/1024:.1f}MiB rss_after={after_rss/1024:.1f}MiB hwm_after={after_hwm/1024:.1f}MiB", flush=True)
        finally:
            stop_server(server)
