"""The site's image copies (proefdruk/render/editions/media.py, rule site_media): each
image goes where the page links it, and a list that does not match is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proefdruk.errors import BuildError
from proefdruk.render.editions.media import copy_media, media_path


def test_each_image_is_copied_where_the_page_links_it(tmp_path: Path) -> None:
    (tmp_path / "results/figures").mkdir(parents=True)
    (tmp_path / "results/figures/a.svg").write_text("<svg>a</svg>", encoding="utf-8")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures/b.png").write_bytes(b"\x89PNG b")
    images = ["results/figures/a.svg", "figures/b.png"]
    copies = [str(tmp_path / "site" / media_path(i)) for i in images]
    listing = tmp_path / "list.json"
    copy_media(images, copies, listing, root=tmp_path)
    assert (tmp_path / "site/media/figures/a.svg").read_text() == "<svg>a</svg>"
    assert (tmp_path / "site/media/figures/b.png").read_bytes() == b"\x89PNG b"
    assert json.loads(listing.read_text()) == dict(zip(copies, images, strict=True))


def test_copies_in_another_order_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.svg").write_text("a", encoding="utf-8")
    (tmp_path / "b.svg").write_text("b", encoding="utf-8")
    copies = [str(tmp_path / "site" / media_path(i)) for i in ("b.svg", "a.svg")]
    with pytest.raises(BuildError, match="not where the page links it"):
        copy_media(["a.svg", "b.svg"], copies, tmp_path / "list.json", root=tmp_path)
    assert not (tmp_path / "list.json").exists()
    with pytest.raises(BuildError, match="one copy for each image"):
        copy_media(["a.svg"], [], tmp_path / "list.json", root=tmp_path)
