"""data/fetch_cbs.py against a recorded CBS OData answer served by a real local HTTP server.

The answers in tests/fixtures/cbs/ are invented test data in CBS's own format; the
register the command updates is a copy in a temporary folder, never data/raw/.
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import socket
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.cbs_odata import data_filter  # noqa: E402
from analysis.register import load_register  # noqa: E402

# data/ is a folder of commands, not a package: load the command from its file
_spec = importlib.util.spec_from_file_location("fetch_cbs", ROOT / "data/fetch_cbs.py")
fetch_cbs = importlib.util.module_from_spec(_spec)
sys.modules["fetch_cbs"] = fetch_cbs  # dataclasses look their module up there
_spec.loader.exec_module(fetch_cbs)
REGISTER, main = fetch_cbs.REGISTER, fetch_cbs.main

FIXTURES = ROOT / "tests/fixtures/cbs"
HEADER = "gemeentecode,gemeentenaam,provincie,inwoners_2024,inwoners_bron\n"
OLD_SOURCE = "https://example.org/oud (testbron; 1 januari 2024)"
REGISTER_TEXT = (
    HEADER
    + "GM0014,Groningen,Groningen,,\n"
    + f"GM0034,Almere,Flevoland,99999,{OLD_SOURCE}\n"
    + "GM0088,Schiermonnikoog,Fryslân,,\n"
    + f"GM0363,Amsterdam,Noord-Holland,111000,{OLD_SOURCE}\n"
    + "GM0599,Rotterdam,Zuid-Holland,,\n"
)


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``routes`` (path -> (status, body)); checks the query CBS would need."""

    routes: dict[str, tuple[int, bytes]] = {}
    queries: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parsed = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(parsed.query)
        type(self).queries.append(query)
        status, body = self.routes.get(parsed.path, (404, b'{"odata.error": "not found"}'))
        if parsed.path.endswith("/TypedDataSet") and query.get("$filter") != [data_filter()]:
            status, body = 400, b'{"odata.error": {"message": {"value": "bad filter"}}}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _routes(data: bytes | None = None, status: int = 200) -> dict[str, tuple[int, bytes]]:
    return {
        "/odata/03759ned/TableInfos": (200, (FIXTURES / "TableInfos.json").read_bytes()),
        "/odata/03759ned/TypedDataSet":
            (status, data if data is not None else (FIXTURES / "TypedDataSet.json").read_bytes()),
    }


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {"routes": _routes(), "queries": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/odata", handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "gemeenten-2024.csv"
    path.write_text(REGISTER_TEXT, encoding="utf-8")
    return path


def _run(register: Path, url: str, *extra: str) -> int:
    return main(["--register", str(register), "--base-url", url,
                 "--retrieved", "2026-12-08", *extra])


def _rows(register: Path) -> dict[str, tuple[str, str]]:
    df = load_register(register, with_sources=True)
    return {r.gemeentecode: ("" if r.inwoners_2024 is None or str(r.inwoners_2024) == "<NA>"
                             else str(r.inwoners_2024), r.inwoners_bron)
            for r in df.itertuples()}


def test_fills_empty_reports_changed_and_unlisted(server, register, capsys):
    url, handler = server
    assert _run(register, url) == 0
    out = capsys.readouterr().out
    rows = _rows(register)  # the updated file still passes the register's own checks
    assert rows["GM0014"][0] == "111111"
    assert "tabel 03759ned" in rows["GM0014"][1] and "2024JJ00" in rows["GM0014"][1]
    assert "tabel gewijzigd 2099-01-02 volgens CBS" in rows["GM0014"][1]
    assert "opgehaald 2026-12-08" in rows["GM0014"][1]
    # a differing figure is reported with the old source and kept
    assert rows["GM0034"] == ("99999", OLD_SOURCE)
    assert f"GM0034 Almere: 99999 -> 222222 (old source: {OLD_SOURCE})" in out
    assert "run with --replace" in out
    # the same figure gets StatLine as its source
    assert rows["GM0363"][0] == "111000" and "CBS StatLine" in rows["GM0363"][1]
    # not listed (absent, or listed without a figure): reported, never guessed
    assert rows["GM0088"] == ("", "") and rows["GM0599"] == ("", "")
    assert "GM0088 Schiermonnikoog: CBS lists no figure" in out
    assert "GM0599 Rotterdam: CBS lists no figure" in out
    assert "CBS national total 2024JJ00: 444.444" in out
    assert "not in the register (not added" in out and "GM9999: 333" in out
    assert "GM9999" not in register.read_text(encoding="utf-8")
    # only the population columns changed, every other byte is as it was
    before = [line.split(",")[:3] for line in REGISTER_TEXT.splitlines()]
    after = [line.split(",")[:3] for line in register.read_text(encoding="utf-8").splitlines()]
    assert before == after
    assert handler.queries[-1]["$select"] == ["RegioS,Perioden,BevolkingOp1Januari_1"]


def test_idempotent(server, register, capsys):
    url, _ = server
    assert _run(register, url) == 0
    first = register.read_bytes()
    assert main(["--register", str(register), "--base-url", url,
                 "--retrieved", "2027-01-01"]) == 0
    assert register.read_bytes() == first
    assert "unchanged:" in capsys.readouterr().out


def test_replace_takes_the_cbs_figure(server, register, capsys):
    url, _ = server
    assert _run(register, url, "--replace") == 0
    rows = _rows(register)
    assert rows["GM0034"][0] == "222222" and "CBS StatLine" in rows["GM0034"][1]
    assert "GM0034 Almere: 99999 -> 222222" in capsys.readouterr().out


@pytest.mark.parametrize(("body", "status", "says"), [
    (b"<html>Service Unavailable</html>", 503, "HTTP 503"),
    (b"{not json", 200, "is not JSON"),
    (b'{"value": "no list"}', 200, "not an OData answer"),
    (json.dumps({"value": [{"RegioS": "GM0014    ", "Perioden": "2024JJ00",
                            "BevolkingOp1Januari_1": "111.111"}]}).encode(), 200,
     "should be a whole number"),
    (json.dumps({"value": [{"Perioden": "2024JJ00"}]}).encode(), 200, "expected RegioS"),
])
def test_malformed_or_error_answer_leaves_register_byte_identical(
        server, register, capsys, body, status, says):
    url, handler = server
    handler.routes = _routes(body, status)
    before = register.read_bytes()
    assert _run(register, url, "--replace") == 2
    err = capsys.readouterr().err
    assert says in err and "the register was not changed" in err
    assert register.read_bytes() == before
    assert [p.name for p in register.parent.iterdir()] == [register.name]  # no temp file left


def test_follows_the_next_page_link(server, register, capsys):
    """CBS's API answers at most 10,000 records per page and links to the next one."""
    url, handler = server
    first = json.loads((FIXTURES / "TypedDataSet.json").read_text(encoding="utf-8"))
    rest = first["value"][2:]
    first["value"] = first["value"][:2]
    first["odata.nextLink"] = url + "/page2"
    handler.routes = {**_routes(json.dumps(first).encode()),
                      "/odata/page2": (200, json.dumps({"value": rest}).encode())}
    assert _run(register, url) == 0
    assert _rows(register)["GM0363"][0] == "111000"  # from the second page
    assert "CBS StatLine" in _rows(register)["GM0363"][1]


def test_no_network_leaves_register_byte_identical(register, capsys):
    before = register.read_bytes()
    # a port nobody listens on: the connection is refused, as offline
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert _run(register, f"http://127.0.0.1:{port}/odata") == 2
    err = capsys.readouterr().err
    assert "CBS cannot be reached" in err and "are you online?" in err
    assert register.read_bytes() == before


def test_test_data_never_reaches_data_raw(server, capsys):
    url, _ = server
    before = REGISTER.read_bytes()
    assert main(["--base-url", url, "--retrieved", "2026-12-08"]) == 2
    assert "marked as test data" in capsys.readouterr().err
    assert REGISTER.read_bytes() == before


def test_round_trip_of_the_real_register_is_byte_identical():
    text, header, rows = fetch_cbs.read_register(REGISTER)
    assert fetch_cbs.render(header, rows) == text
