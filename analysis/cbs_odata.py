"""Population on 1 January 2024 per municipality, read from CBS StatLine's OData API.

Why the OData API through ``urllib`` and not the ``cbsodata`` package: the study's
environment is pinned (``requirements.lock``, generated from the shared ``.venv`` by
``tools/lock.py``) and a new dependency would have to go through ``pyproject.toml`` and a
reinstall of that environment, which this change cannot do offline. ``cbsodata`` is itself
a thin layer over the same endpoints (``TableInfos`` and ``TypedDataSet`` of the v3 OData
API, JSON with a ``value`` list), so the standard library gives the same answer, with
the table's modification date, and lets the tests point the client at a local server.

The query selects the totals of the three other dimensions of table 03759ned (both
sexes ``T001038``, all ages ``10000``, every marital status ``T001019``), the period
``2024JJ00`` and the regions whose key starts with ``GM`` (municipalities) or is ``NL01``
(the Netherlands). CBS pads region keys with spaces (``"GM0363    "``); they are stripped.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

BASE_URL = "https://opendata.cbs.nl/ODataApi/odata"
TABLE = "03759ned"
PERIOD = "2024JJ00"
MEASURE = "BevolkingOp1Januari_1"
TOTALS = {"Geslacht": "T001038", "Leeftijd": "10000", "BurgerlijkeStaat": "T001019"}
NATIONAL = "NL01"
STATLINE_PAGE = f"https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{TABLE}/table"
# An instance annotation that only the project's recorded test answers carry: a response
# with it is never written into data/raw/.
TEST_ANNOTATION = "proefdruk.testgegevens"
TIMEOUT = 60


class CbsError(Exception):
    """CBS could not be reached or gave an answer this client cannot use."""


@dataclass(frozen=True)
class Populations:
    """What CBS states: figures per municipality code, the national total, the table."""

    municipalities: dict[str, int]
    national: int | None
    title: str
    modified: str
    test_data: bool


def data_filter(period: str = PERIOD) -> str:
    """The ``$filter`` of the query (totals, one period, municipalities and the country)."""
    totals = " and ".join(f"{dim} eq '{code}'" for dim, code in TOTALS.items())
    return (f"{totals} and Perioden eq '{period}' and "
            f"(startswith(RegioS,'GM') or RegioS eq '{NATIONAL}')")


def get_json(url: str) -> dict[str, Any]:
    """GET ``url`` and parse its JSON; every failure becomes a :class:`CbsError`."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise CbsError(f"CBS answered {url} with HTTP {exc.code} ({exc.reason})") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CbsError(f"CBS cannot be reached at {url} ({reason}); are you online?") from exc
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CbsError(f"the answer of {url} is not JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        raise CbsError(f"the answer of {url} is not an OData answer: expected an object "
                       "with a 'value' list")
    return data


def _rows(url: str) -> tuple[list[dict[str, Any]], bool]:
    """All rows of a (possibly paged) OData collection, and whether any page is test data."""
    rows: list[dict[str, Any]] = []
    test_data = False
    next_url: str | None = url
    while next_url:
        page = get_json(next_url)
        test_data = test_data or TEST_ANNOTATION in page
        rows.extend(page["value"])
        next_url = page.get("odata.nextLink")
    return rows, test_data


def table_info(base_url: str = BASE_URL, table: str = TABLE) -> tuple[str, str, bool]:
    """The table's title and its modification date as CBS states it (``TableInfos``)."""
    rows, test_data = _rows(f"{base_url}/{table}/TableInfos")
    if len(rows) != 1 or not all(isinstance(rows[0].get(k), str) for k in ("Title", "Modified")):
        raise CbsError(f"TableInfos of {table}: expected one record with Title and Modified, "
                       f"found {rows[:1]!r}")
    return rows[0]["Title"], rows[0]["Modified"], test_data


def populations(base_url: str = BASE_URL, table: str = TABLE,
                period: str = PERIOD) -> Populations:
    """Fetch the population on 1 January of ``period`` for every municipality and the country."""
    title, modified, info_test = table_info(base_url, table)
    query = urllib.parse.urlencode({"$filter": data_filter(period),
                                    "$select": f"RegioS,Perioden,{MEASURE}"},
                                   quote_via=urllib.parse.quote)
    rows, data_test = _rows(f"{base_url}/{table}/TypedDataSet?{query}")
    figures: dict[str, int] = {}
    for i, row in enumerate(rows, start=1):
        region, value = row.get("RegioS"), row.get(MEASURE)
        if not isinstance(region, str) or row.get("Perioden", period).strip() != period:
            raise CbsError(f"TypedDataSet record {i}: expected RegioS and Perioden {period}, "
                           f"found {row!r}")
        if value is None:
            continue  # CBS publishes no figure for this region: reported as missing
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CbsError(f"TypedDataSet record {i} ({region.strip()}): {MEASURE} should be "
                           f"a whole number, found {value!r}")
        figures[region.strip()] = value
    national = figures.pop(NATIONAL, None)
    return Populations({k: v for k, v in figures.items() if k.startswith("GM")}, national,
                       title, modified, info_test or data_test)
