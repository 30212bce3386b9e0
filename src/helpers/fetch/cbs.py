"""Statistics Netherlands (CBS): jobs of employees by SBI 2008 sector for one COROP region and the Netherlands.

Table 83582NED, *Banen van werknemers in december; economische activiteit (SBI2008), regio*, counts the jobs of
employees in December (x 1 000), by the sector and the location of the establishment, from 2010 on. SBI 2008 uses
the letters of NACE Rev. 2, so its sections are the report's; where CBS suppresses a section for a region (small
counts), both files fall back to the coarser groups of Eurostat's NUTS 3 table, using the aggregates CBS publishes
(``B-E``, ``G-I``, ``R-U``, ...) or the sum of their sections.

Read through the ``cbsodata`` client (OData v3 at opendata.cbs.nl): the table's periods, the unit of its measure
and its regions first, then the data of the region and the country in one query.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from . import common
from .writer import Area, FetchError, ServiceUnreachable, Written, write_region_files

SERVICE = "Statistics Netherlands"
HOST = "opendata.cbs.nl"
TABLE_ID = "83582NED"
TABLE_TITLE = "Banen van werknemers in december; economische activiteit (SBI2008), regio"
SECTOR_DIM, REGION_DIM, PERIOD_DIM = "BedrijfstakkenBranchesSBI2008", "RegioS", "Perioden"
MEASURE = "BanenVanWerknemersInDecember_1"
COUNTRY_KEY = "NL01"
FIRST_YEAR = 2010
CONCEPT = "jobs of employees"
CONCEPT_DETAIL = ("jobs of employees in December (banen van werknemers in december), by the location of the "
                  "establishment; the report's Tabel 1.1 counts employees in December 2013")
SOURCE_LABEL = f"CBS StatLine {TABLE_ID}"

_COROP = re.compile(r"^(?:CR)?\s*(\d{1,2})$", re.IGNORECASE)
#: A sector's title starts with its SBI code: "A Landbouw, bosbouw en visserij", "B-E Nijverheid (geen bouw) ...".
_SECTOR_CODE = re.compile(r"^\s*([A-U](?:-[A-U])?)\s")
#: The unit of the measure, without spaces: "x 1 000" (thousands) or a plain count.
_UNIT_FACTORS = {"x1000": 1.0, "aantal": 0.001}


def last_year() -> int:
    """The latest year a fetch may ask for (CBS publishes a year's December figures the next year)."""
    return date.today().year - 1


def corop_code(text: str) -> str:
    """``"CR17"`` for "CR17", "cr17", "17" or "CR7"; a ValueError naming the valid choices otherwise."""
    match = _COROP.match(text.strip())
    number = int(match.group(1)) if match else 0
    if not 1 <= number <= 40:
        raise ValueError(f"unknown COROP region {text!r}; valid: CR01 to CR40 (CBS's COROP codes, e.g. CR17)")
    return f"CR{number:02d}"


def check_year(year: int) -> int:
    """``year`` if the table has it (``FIRST_YEAR`` to ``last_year()``); a ValueError naming the range otherwise."""
    return common.check_year(year, FIRST_YEAR, last_year(), f"table {TABLE_ID}")


def region_id(corop: str) -> str:
    """The region file's id, e.g. ``corop-cr17``."""
    return common.region_id("corop", corop)


def data_filter(corop: str, year: int) -> str:
    """The OData ``$filter`` for the region and the country in one year (region keys carry trailing spaces)."""
    return (f"(startswith({REGION_DIM},'{corop}') or startswith({REGION_DIM},'{COUNTRY_KEY}')) "
            f"and {PERIOD_DIM} eq '{year}JJ00'")


def data_select() -> list[str]:
    return [SECTOR_DIM, REGION_DIM, PERIOD_DIM, MEASURE]


def query_url(corop: str, year: int) -> str:
    """The exact URL of the data request ``cbsodata.get_data`` sends (recorded in the provenance)."""
    import requests

    params = {"$format": "json", "$select": ",".join(data_select()), "$filter": data_filter(corop, year)}
    url = f"https://{HOST}/ODataFeed/odata/{TABLE_ID}/TypedDataSet"
    return requests.Request("GET", url, params=params).prepare().url


def sector_code(title: str) -> str | None:
    """The SBI/NACE code a sector title starts with ("A", "B-E", ...), or None (e.g. a division "10-12 ...")."""
    match = _SECTOR_CODE.match(title or "")
    return match.group(1) if match else None


def _number(value) -> float | None:
    """A typed value (float or None), or an untyped one ("   12.3", "       ." for suppressed)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        return None


def _call(function, *args, **kwargs):
    """Call the client; a connection failure becomes ``ServiceUnreachable``, an HTTP error a ``FetchError``."""
    import requests

    try:
        return function(*args, timeout=(15, 300), **kwargs)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise ServiceUnreachable(SERVICE, HOST, exc) from None
    except requests.HTTPError as exc:
        raise FetchError(f"{SERVICE} answered with an error for table {TABLE_ID}: {exc}") from None


def _period_status(cbsodata, year: int) -> str:
    periods = {p["Key"].strip(): p for p in _call(cbsodata.get_meta, TABLE_ID, PERIOD_DIM)}
    key = f"{year}JJ00"
    if key not in periods:
        years = sorted(k[:4] for k in periods if k.endswith("JJ00"))
        covered = f"{years[0]} to {years[-1]}" if years else "no years"
        raise FetchError(f"table {TABLE_ID} has no figures for {year} yet; it covers {covered}")
    return str(periods[key].get("Status") or "")


def _unit_factor(cbsodata) -> tuple[float, str]:
    properties = {p.get("Key"): p for p in _call(cbsodata.get_meta, TABLE_ID, "DataProperties")}
    if MEASURE not in properties:
        raise FetchError(f"table {TABLE_ID} no longer has the measure {MEASURE}; this fetcher needs updating")
    unit = str(properties[MEASURE].get("Unit") or "")
    factor = _UNIT_FACTORS.get("".join(unit.split()).lower())
    if factor is None:
        raise FetchError(f"table {TABLE_ID} gives {MEASURE} in {unit!r}, not 'x 1 000'; this fetcher needs updating")
    return factor, unit


def _region_titles(cbsodata, corop: str) -> tuple[str, str]:
    regions = {r["Key"].strip(): r["Title"] for r in _call(cbsodata.get_meta, TABLE_ID, REGION_DIM)}
    if corop not in regions:
        known = sorted(k for k in regions if k.startswith("CR"))
        valid = f"{known[0]} to {known[-1]}" if known else "none"
        raise FetchError(f"table {TABLE_ID} has no COROP region {corop}; valid: {valid}")
    return regions[corop], regions.get(COUNTRY_KEY, "Nederland")


def fetch(corop: str, year: int, out_dir: Path | str, *, name: str | None = None,
          retrieved: date | None = None) -> Written:
    """Fetch table 83582NED for COROP region ``corop`` and the Netherlands in ``year`` and write the files."""
    corop, year = corop_code(corop), check_year(year)
    import cbsodata

    status = _period_status(cbsodata, year)
    factor, unit = _unit_factor(cbsodata)
    region_title, country_title = _region_titles(cbsodata, corop)
    rows = _call(cbsodata.get_data, TABLE_ID, filters=data_filter(corop, year), select=data_select())
    # get_data replaces each key by its title (the region "Utrecht (CR)", the sector "A Landbouw, ...").
    published: dict[str, dict[str, float | None]] = {region_title: {}, country_title: {}}
    for row in rows:
        code = sector_code(row.get(SECTOR_DIM, ""))
        area = published.get(row.get(REGION_DIM))
        if code is None or area is None:
            continue
        value = _number(row.get(MEASURE))
        area[code] = None if value is None else value * factor
    if not any(v is not None for v in published[region_title].values()):
        raise FetchError(f"table {TABLE_ID} returned no figures for {corop} ({region_title}) in {year}")
    rid = region_id(corop)
    base_name = re.sub(r"\s*\(CR\)\s*$", "", region_title)
    region = Area(rid, name or f"{base_name} (COROP {corop})", "NL", published[region_title],
                  extra={"published_total_thousands": published[region_title].get("A-U")})
    reference = Area(f"{rid}-reference", country_title, "NL", published[country_title], nuts_code="NL",
                     extra={"published_total_thousands": published[country_title].get("A-U")})
    provenance = {
        "source": f"{SERVICE} (CBS), StatLine open data",
        "table_id": TABLE_ID,
        "table_title": TABLE_TITLE,
        "query": query_url(corop, year),
        "query_filter": data_filter(corop, year),
        "client": f"cbsodata {getattr(cbsodata, '__version__', '')}".strip(),
        "concept": CONCEPT,
        "concept_detail": CONCEPT_DETAIL,
        "source_unit": unit,
        "figures_status": status,
        "corop_code": corop,
    }
    return write_region_files(out_dir, region, reference, year=year, source_label=SOURCE_LABEL,
                              provenance=provenance, retrieved=retrieved)
