"""The browser app under a content version (/assets/<version>/...), against the real binary:
the HTML documents name their files under the current version and stay no-cache, versioned
files are cacheable for good, another version is a 404 no cache keeps, nothing escapes the
folder under the versioned prefix, and the version follows the files (--static-dir)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, start_server
from wire import Conn, get

IMMUTABLE = "public, max-age=31536000, immutable"
VERSIONED = re.compile(r'"/assets/([0-9a-f]{16})/')
STATIC = REPO / "static"
HTML_ACCEPT = "Accept: text/html,application/xhtml+xml\r\n"


def fetch(server, path: str, extra: str = "", method: str = "GET"):
    with Conn(server.port) as c:
        c.send(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}Connection: close\r\n\r\n".encode())
        return c.read_response(head_request=method == "HEAD")


def version_of(server) -> str:
    """The version the app shell names (every versioned URL in it names the same one)."""
    shell = fetch(server, "/", HTML_ACCEPT)
    assert shell.status == 200
    versions = set(VERSIONED.findall(shell.body.decode()))
    assert len(versions) == 1, versions
    return versions.pop()


def static_files() -> list[str]:
    """Every file under static/ (hidden ones are never served), relative to it."""
    return sorted(str(p.relative_to(STATIC)) for p in STATIC.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(STATIC).parts))


@pytest.mark.parametrize("path", ["/", "/tickets/42", "/portal", "/survey", "/static/index.html"])
def test_html_documents_name_their_files_under_the_current_version_and_are_not_cached(helpdesk_server, path):
    """Each HTML document is no-cache and names its scripts, stylesheets and icon only under /assets/<version>/."""
    version = version_of(helpdesk_server)
    page = fetch(helpdesk_server, path, HTML_ACCEPT)
    assert page.status == 200
    assert page.header("Cache-Control") == "no-cache"
    text = page.body.decode()
    assert '"/static/' not in text
    assert set(VERSIONED.findall(text)) == {version}
    assert re.search(r'<script type="module" src="/assets/[0-9a-f]{16}/(app|portal)/[a-z-]+\.js">', text)


def test_every_file_is_served_under_the_version_cacheable_for_good(helpdesk_server):
    """Every file of static/ answers under /assets/<version>/ with the bytes of /static/; all but HTML immutable."""
    version = version_of(helpdesk_server)
    for relative in static_files():
        versioned = fetch(helpdesk_server, f"/assets/{version}/{relative}")
        plain = fetch(helpdesk_server, f"/static/{relative}")
        assert versioned.status == 200 and plain.status == 200, relative
        expected = "no-cache" if relative.endswith(".html") else IMMUTABLE
        assert versioned.header("Cache-Control") == expected, relative
        assert plain.header("Cache-Control") == "no-cache", relative
        assert versioned.header("ETag") and versioned.header("ETag") == plain.header("ETag"), relative
        assert versioned.body == plain.body, relative


def test_no_module_or_stylesheet_names_an_unversioned_app_url():
    """Modules and stylesheets reach other app files by relative URL (or import.meta.url), never /static/ or /assets/."""
    absolute = re.compile(r"""['"`(]\s*/(static|assets)/""")
    offenders = [relative for relative in static_files() if relative.endswith((".js", ".css"))
                 and absolute.search((STATIC / relative).read_text())]
    assert offenders == []


def test_a_versioned_file_revalidates_and_answers_head(helpdesk_server):
    """If-None-Match on a versioned file is a 304 that keeps the immutable policy; HEAD answers the head only."""
    version = version_of(helpdesk_server)
    first = fetch(helpdesk_server, f"/assets/{version}/app/main.js")
    again = fetch(helpdesk_server, f"/assets/{version}/app/main.js", f"If-None-Match: {first.header('ETag')}\r\n")
    assert again.status == 304 and again.body == b""
    assert again.header("Cache-Control") == IMMUTABLE
    head = fetch(helpdesk_server, f"/assets/{version}/app/main.js", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.header("Content-Type") == "text/javascript; charset=utf-8"


@pytest.mark.parametrize("other", ["0000000000000000", "abc", "%2e%2e", "STATIC"])
def test_another_version_is_a_404_no_cache_keeps(helpdesk_server, other):
    """A version that is not the current one answers 404 no-store with problem+json, for GET and HEAD."""
    version = version_of(helpdesk_server)
    assert other != version
    for method in ("GET", "HEAD"):
        answer = fetch(helpdesk_server, f"/assets/{other}/app/main.js", method=method)
        assert answer.status == 404, (method, other)
        assert answer.header("Cache-Control") == "no-store"
        assert answer.header("Content-Type") == "application/problem+json"
    assert b"no longer served" in fetch(helpdesk_server, f"/assets/{other}/app/main.js").body


def test_a_missing_file_under_the_version_is_a_404_even_for_a_browser_navigation(helpdesk_server):
    """/assets/ is the server's: a navigation there gets a 404, not the app shell."""
    version = version_of(helpdesk_server)
    for path in (f"/assets/{version}/app/nope.js", f"/assets/{version}", "/assets", "/assets/"):
        answer = fetch(helpdesk_server, path, HTML_ACCEPT)
        assert answer.status == 404, path
        assert b"<!doctype html>" not in answer.body.lower()


@pytest.mark.parametrize("tail", ["../../Package.swift", "%2e%2e/%2e%2e/Package.swift", "..%2f..%2fPackage.swift",
                                  "%2e%2e%2f%2e%2e%2fPackage.swift", "/etc/passwd", "styles/../../../Package.swift",
                                  "app/%2e%2e/%2e%2e/Package.swift", ".hidden", "%2eenv", "app%5c..%5c..%5cPackage.swift",
                                  "app/main.js%00.png"])
def test_no_path_under_the_versioned_prefix_leaves_the_app(helpdesk_server, tail):
    """Traversal, encoded traversal, absolute paths, hidden names, backslashes and NUL under /assets/<version>/ are refused."""
    version = version_of(helpdesk_server)
    answer = fetch(helpdesk_server, f"/assets/{version}/{tail}")
    assert answer.status in (400, 404), f"{tail}: {answer.status}"
    assert b"PackageDescription" not in answer.body and b"root:" not in answer.body
    assert answer.header("Cache-Control") != IMMUTABLE


def serve_folder(bins: Path, folder: str, data: str):
    return start_server("helpdesk --static-dir",
                        lambda p: [str(bins / "helpdesk"), "serve", "--host", "127.0.0.1", "--port", str(p),
                                   "--data", data, "--static-dir", folder], r"browser app served from")


def test_the_version_follows_the_files_of_a_static_dir(bins):
    """--static-dir is versioned at start-up: a changed file gives a new version (the old one is then a 404),
    the same files the same version."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-assets-") as base:
        folder = os.path.join(base, "static")
        shutil.copytree(STATIC, folder)
        main = Path(folder) / "app" / "main.js"
        original = main.read_bytes()
        versions = []
        for content in (original, original + b"\n// changed\n", original):
            main.write_bytes(content)
            server = serve_folder(bins, folder, os.path.join(base, f"data{len(versions)}"))
            try:
                versions.append(version_of(server))
                served = fetch(server, f"/assets/{versions[-1]}/app/main.js")
                assert served.body == content and served.header("Cache-Control") == IMMUTABLE
                assert f"version {versions[-1]}" in server.log()
                if len(versions) == 2:
                    assert fetch(server, f"/assets/{versions[0]}/app/main.js").status == 404
            finally:
                server.terminate()
        assert versions[0] != versions[1]
        assert versions[0] == versions[2]


def test_a_static_dir_is_read_once_without_its_hidden_files(bins):
    """--static-dir is read at start-up: an edit afterwards is not served under the version it would
    contradict (restart to serve it), and hidden files are never read or served."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-assets-") as base:
        folder = Path(base) / "static"
        (folder / "app").mkdir(parents=True)
        (folder / "index.html").write_text('<!doctype html><script type="module" src="/static/app/x.js"></script>')
        (folder / "app" / "x.js").write_text("export const x = 1;\n")
        (folder / ".env").write_text("SECRET=1\n")
        (folder / "app" / ".x.js.swp").write_text("swap\n")
        server = serve_folder(bins, str(folder), str(Path(base) / "data"))
        try:
            version = version_of(server)
            (folder / "app" / "x.js").write_text("export const x = 2;\n")
            assert fetch(server, f"/assets/{version}/app/x.js").body == b"export const x = 1;\n"
            assert fetch(server, "/static/app/x.js").body == b"export const x = 1;\n"
            for path in (f"/assets/{version}/.env", "/static/.env", f"/assets/{version}/app/.x.js.swp", f"/assets/{version}/%2eenv"):
                answer = fetch(server, path)
                assert answer.status == 404, path
                assert b"SECRET" not in answer.body and b"swap" not in answer.body
        finally:
            server.terminate()


def test_a_static_dir_too_large_to_hold_is_refused_at_start(bins):
    """A --static-dir over 64 MiB (it is read into memory) stops the start with a clear message."""
    with tempfile.TemporaryDirectory(prefix="helpdesk-assets-") as base:
        folder = Path(base) / "static"
        folder.mkdir()
        (folder / "index.html").write_text("<!doctype html>")
        with open(folder / "huge.bin", "wb") as huge:
            huge.truncate(65 * 1024 * 1024)  # sparse: no disk used
        done = subprocess.run([str(bins / "helpdesk"), "serve", "--port", "1", "--data", str(Path(base) / "data"),
                               "--static-dir", str(folder)], capture_output=True, text=True, timeout=30)
        assert done.returncode != 0
        assert "--static-dir" in done.stderr and "at most 64 MiB" in done.stderr, done.stderr


def test_a_warm_load_s_few_requests_share_one_kept_alive_connection(helpdesk_server):
    """The requests a warm load still makes (the shell revalidated to a 304) and an old version's 404
    keep the connection open for the next request, as curl sees it."""
    version = version_of(helpdesk_server)
    etag = fetch(helpdesk_server, "/tickets/1", HTML_ACCEPT).header("ETag")
    urls = [("/tickets/1", ["-H", "Accept: text/html", "-H", f"If-None-Match: {etag}"]),
            (f"/assets/{version}/app/main.js", []), ("/assets/0000000000000000/app/main.js", []), ("/healthz", [])]
    # --next gives each URL its own headers; curl still reuses the connection across them.
    args = [arg for path, headers in urls for arg in ("--next", "-sS", "--max-time", "15", "-w", "%{http_code} %{num_connects}\n",
                                                      *headers, "-o", "/dev/null", helpdesk_server.url(path))]
    done = subprocess.run(["curl", *args[1:]], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["304", "1", "200", "0", "404", "0", "200", "0"], done.stdout
