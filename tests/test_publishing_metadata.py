"""Scholarly metadata from _quarto.yml: CFF and DataCite valid against their published
schemas, placeholders never published as facts, citations in the house style."""

from __future__ import annotations

import json
from pathlib import Path

import datacite.schema45
import jsonschema
import pytest
import yaml

from proefdruk import bookmeta, citation_files
from proefdruk.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent
# The Citation File Format 1.2.0 schema, vendored as test data (see tests/data/README.md).
CFF_SCHEMA = json.loads((ROOT / "tests/data/schemas/citation-file-format-1.2.0.json")
                        .read_text(encoding="utf-8"))

FILLED = {
    "lang": "nl",
    "book": {
        "title": "Het internationale beleid van Nederlandse gemeenten",
        "subtitle": "Ontwikkeling sinds 1945",
        "author": [{"name": "Jan van der Berg", "orcid": "0000-0002-1825-0097",
                    "affiliations": [{"name": "Universiteit Leiden"}]}],
        "date": "2026-03-12", "doi": "https://doi.org/10.5281/zenodo.1234567",
        "license": "CC BY 4.0", "site-url": "https://example.org/proefschrift/",
        "keywords": ["gemeenten", "buitenlands beleid"], "output-file": "boek",
    },
    "citation": {"type": "thesis", "genre": "Proefschrift",
                 "publisher": "Universiteit Leiden"},
    "thesis": {"promotors": [{"name": "Anna de Vries"}],
               "edition": {"version": "1.0", "label": "Leesversie voor de commissie",
                           "date": "2026-03"}},
}


def _cff_errors(text: str) -> list[str]:
    validator = jsonschema.Draft7Validator(CFF_SCHEMA)
    return [e.message for e in validator.iter_errors(yaml.safe_load(text))]


def test_the_project_metadata_gives_valid_cff_and_datacite() -> None:
    meta = bookmeta.load(ROOT)
    assert _cff_errors(citation_files.citation_cff(meta, "x.zip")) == []
    datacite.schema45.validator.validate(citation_files.datacite(meta))


def test_filled_metadata_carries_orcid_doi_licence_and_promotors() -> None:
    meta = bookmeta.from_config(FILLED)
    cff = yaml.safe_load(citation_files.citation_cff(meta))
    assert _cff_errors(citation_files.citation_cff(meta)) == []
    author = cff["preferred-citation"]["authors"][0]
    assert author == {"family-names": "van der Berg", "given-names": "Jan",
                      "affiliation": "Universiteit Leiden",
                      "orcid": "https://orcid.org/0000-0002-1825-0097"}
    assert cff["doi"] == "10.5281/zenodo.1234567" and cff["license"] == "CC-BY-4.0"
    assert cff["preferred-citation"]["institution"] == {"name": "Universiteit Leiden"}
    dc = citation_files.datacite(meta)
    datacite.schema45.validator.validate(dc)
    assert dc["types"]["resourceTypeGeneral"] == "Dissertation"
    assert dc["contributors"][0]["contributorType"] == "Supervisor"
    assert dc["contributors"][0]["familyName"] == "de Vries"
    assert dc["rightsList"][0]["rightsIdentifier"] == "CC-BY-4.0"
    assert meta.edition_line == "Leesversie voor de commissie, 2026-03 (versie 1.0)"
    assert bookmeta.missing(meta) == []


def test_placeholders_are_listed_and_never_published_as_identifiers() -> None:
    data = json.loads(json.dumps(FILLED))
    data["book"]["author"][0]["orcid"] = "[ORCID iD]"
    data["book"]["license"] = "[licentie]"
    data["book"]["doi"] = "[DOI]"
    meta = bookmeta.from_config(data)
    cff = citation_files.citation_cff(meta)
    assert "orcid" not in cff and "doi" not in cff and "license" not in cff
    assert {"book.author.orcid", "book.license"} <= set(bookmeta.missing(meta))
    assert "[" not in citation_files.bibtex(meta)


def test_a_malformed_orcid_is_a_clear_error() -> None:
    data = json.loads(json.dumps(FILLED))
    data["book"]["author"][0]["orcid"] = "1234"
    with pytest.raises(BuildError) as exc:
        bookmeta.from_config(data)
    assert "book.author.orcid" in str(exc.value) and "0000-0000-0000-0000" in str(exc.value)


def test_bibtex_and_ris_describe_a_thesis() -> None:
    meta = bookmeta.from_config(FILLED)
    bib = citation_files.bibtex(meta)
    assert bib.startswith("@phdthesis{vanderberg2026,")
    assert "school = {Universiteit Leiden}" in bib and "doi = {10.5281/zenodo.1234567}" in bib
    ris = citation_files.ris(meta)
    assert ris.startswith("TY  - THES\r\n") and ris.endswith("ER  - \r\n")
    assert "AU  - van der Berg, Jan\r\n" in ris and "PY  - 2026\r\n" in ris


def test_the_house_style_citation_comes_from_the_project_csl() -> None:
    meta = bookmeta.from_config(FILLED)
    cited = citation_files.house_style(meta, ROOT / "bibliography/dissertatie-nl.csl",
                                       cwd=ROOT)
    # The note form of the house style is "Particle Family year." (cf. README: citations).
    assert cited["note"] == "Van der Berg 2026."
    # ... and the list sorts Dutch particles after the family name, like the references.
    assert cited["entry"] == (
        "Berg, J. van der (2026). Het internationale beleid van Nederlandse gemeenten: "
        "Ontwikkeling sinds 1945 [Proefschrift, Universiteit Leiden]. "
        "https://doi.org/10.5281/zenodo.1234567")
