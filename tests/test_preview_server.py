"""The preview server on a real socket: what it serves, what it refuses, what it tells tabs.

No build and no browser: a small site folder in a temporary directory, the real
:class:`PreviewServer` on 127.0.0.1, plain HTTP requests and its event stream read as
a browser's EventSource would.
"""

from __future__ import annotations

import http.client
import json
import os
from pathlib import Path

import pytest

from proefdruk.preview import site as site_mod
from proefdruk.preview.server import CLIENT, PreviewServer, inject

PAGE = b"<!doctype html><html><body><p>Hallo</p><img src=\"media/f.svg\"></body></html>"


@pytest.fixture()
def served(tmp_path: Path):
    site = tmp_path / "_book"
    (site / "media").mkdir(parents=True)
    (site / "index.html").write_bytes(PAGE)
    (site / "media" / "f.svg").write_text("<svg>1</svg>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the browser", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", site / "link.txt")
    server = PreviewServer(site)
    server.start()
    try:
        yield server, site
    finally:
        server.stop()


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.putrequest("GET", path, skip_host=host is not None, skip_accept_encoding=True)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body, dict(resp.getheaders())


def read_event(resp: http.client.HTTPResponse) -> tuple[str, object]:
    """The next named event of a server-sent-events stream."""
    kind, data = None, None
    while True:
        line = resp.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            data = json.loads(line[6:])
        elif line == "" and kind is not None:
            return kind, data


def test_pages_get_the_client_but_the_file_on_disk_does_not(served) -> None:
    server, site = served
    status, body, headers = get(server, "/")
    assert status == 200
    assert f'<script src="{CLIENT}"'.encode() in body
    assert body.index(b"<script src=") < body.index(b"</body>")
    assert headers["Cache-Control"] == "no-store"
    assert (site / "index.html").read_bytes() == PAGE
    status, body, _ = get(server, "/media/f.svg")
    assert (status, body) == (200, b"<svg>1</svg>")
    assert get(server, CLIENT)[0] == 200


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/media/../../secret.txt", "/link.txt",
    "/..%2fsecret.txt", "/%00index.html",
])
def test_nothing_outside_the_site_folder_is_served(served, path: str) -> None:
    server, _ = served
    status, body, _ = get(server, path)
    assert status == 403, (path, status)
    assert b"not for the browser" not in body


def test_a_foreign_host_name_is_refused(served) -> None:
    server, _ = served
    assert get(server, "/", host="evil.example:80")[0] == 403
    assert get(server, "/", host=f"localhost:{server.server_address[1]}")[0] == 200


def test_a_missing_page_is_a_404_that_still_listens_for_the_build(served) -> None:
    server, _ = served
    status, body, _ = get(server, "/nog-niet.html")
    assert status == 404
    assert CLIENT.encode() in body


def test_the_server_listens_on_loopback_only(served) -> None:
    server, _ = served
    assert server.server_address[0] == "127.0.0.1"


def test_only_tabs_whose_page_changed_reload_and_problems_reach_every_tab(served) -> None:
    server, site = served
    (site / "other.html").write_bytes(PAGE.replace(b"Hallo", b"Anders"))
    hub = server.hub
    streams = {}
    for page in ("/", "/other.html"):
        conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        served_digest = site_mod.digest(site / site_mod.page_key(page))
        conn.request("GET", f"/__proefdruk/events?page={page}&digest={served_digest}")
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.getheader("Content-Type") == "text/event-stream"
        streams[page] = resp
    assert hub.open_pages() == ["index.html", "other.html"]

    hub.show_problem("error: x\n  where:    chapters/a.qmd:3")
    for resp in streams.values():
        assert read_event(resp) == ("problem", "error: x\n  where:    chapters/a.qmd:3")

    # Only the figure of index.html changes: that tab reloads, the other does not.
    (site / "media" / "f.svg").write_text("<svg>2</svg>", encoding="utf-8")
    assert hub.refresh() == ["index.html", "other.html"]  # both embed media/f.svg
    (site / "other.html").write_bytes(b"<html><body>Nieuw</body></html>")
    (site / "index.html").write_bytes(PAGE)
    assert hub.refresh() == ["other.html"]
    assert hub.refresh() == []
    hub.clear_problem()
    assert read_event(streams["/"]) == ("reload", "index.html")
    assert read_event(streams["/"]) == ("clear", "")
    assert [read_event(streams["/other.html"]) for _ in range(3)] == [
        ("reload", "other.html"), ("reload", "other.html"), ("clear", "")]


def test_inject_without_a_body_tag_appends() -> None:
    assert inject(b"<p>x</p>", "abc").endswith(b'data-digest="abc"></script>')


def test_digest_follows_embedded_files_only_inside_the_page_folder(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_bytes(b'<img src="a.svg"><img src="https://example.org/x.svg">')
    before = site_mod.digest(page)
    (tmp_path / "a.svg").write_text("<svg/>", encoding="utf-8")
    assert site_mod.digest(page) != before
    assert site_mod.digest(tmp_path / "missing.html") == ""


def test_a_draft_is_served_in_place_of_the_page_until_dropped(served, tmp_path: Path) -> None:
    server, site = served
    draft_site = tmp_path / "drafts" / "1" / "site"
    draft = draft_site / "chapters" / "c.html"
    draft.parent.mkdir(parents=True)
    page = PAGE.replace(b"Hallo", b"Ontwerp").replace(b'src="media', b'src="../media')
    draft.write_bytes(page)
    hub = server.hub
    hub.show_drafts({"chapters/c.html": draft})
    assert b"Ontwerp" in get(server, "/chapters/c.html")[1]
    # A figure the draft's folder lacks is the site's ...
    shown = hub.page_digest("chapters/c.html")
    (site / "media" / "f.svg").write_text("<svg>2</svg>", encoding="utf-8")
    assert hub.page_digest("chapters/c.html") != shown
    # ... and one it holds (a figure the draft's new data made) is its own.
    (draft_site / "media").mkdir()
    (draft_site / "media" / "f.svg").write_text("<svg>3</svg>", encoding="utf-8")
    assert get(server, "/media/f.svg")[1] == b"<svg>3</svg>"
    with_own_figure = hub.page_digest("chapters/c.html")
    assert hub.drop_drafts() == {"chapters/c.html": draft}
    assert get(server, "/media/f.svg")[1] == b"<svg>2</svg>"
    assert get(server, "/chapters/c.html")[0] == 404
    # Snakemake's page and figure equal to the draft's: the tab need not reload.
    (site / "chapters").mkdir()
    (site / "chapters" / "c.html").write_bytes(page)
    (site / "media" / "f.svg").write_text("<svg>3</svg>", encoding="utf-8")
    assert hub.page_digest("chapters/c.html") == with_own_figure


def test_figures_and_styles_are_revalidated_pages_never_cached(served) -> None:
    server, site = served
    status, _, headers = get(server, "/media/f.svg")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request("GET", "/media/f.svg", headers={"If-None-Match": headers["ETag"]})
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (304, b"")
    conn.close()
    (site / "media" / "f.svg").write_text("<svg>2</svg>", encoding="utf-8")
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request("GET", "/media/f.svg", headers={"If-None-Match": headers["ETag"]})
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b"<svg>2</svg>")
    conn.close()
    assert "ETag" not in get(server, "/")[2]


def test_the_next_build_waits_until_a_reloaded_tab_has_settled(served) -> None:
    """After a reload order the hub waits for the reloaded tab's word that the new page
    has loaded (figures, fonts): only then may a build take the cores."""
    server, site = served
    hub = server.hub
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request("GET", f"/__proefdruk/events?page=/&digest={site_mod.digest(site / 'index.html')}")
    stream = conn.getresponse()
    assert hub.wait_settled(0.0)  # nothing ordered: nothing to wait for
    (site / "index.html").write_bytes(PAGE.replace(b"Hallo", b"Dag"))
    assert hub.refresh() == ["index.html"]
    assert read_event(stream) == ("reload", "index.html")
    new = site_mod.digest(site / "index.html")
    # Word about another version of the page is not the reloaded tab's.
    assert get(server, "/__proefdruk/settled?page=/&digest=old")[0] == 204
    assert not hub.wait_settled(0.2)
    assert hub.wait_settled(0.0)  # a tab that never settled is not waited for twice
    (site / "index.html").write_bytes(PAGE)
    assert hub.refresh() == ["index.html"]
    assert get(server, f"/__proefdruk/settled?page=/&digest={site_mod.digest(site / 'index.html')}"
               )[0] == 204
    assert hub.wait_settled(5.0)
    assert new != site_mod.digest(site / "index.html")
