"""Statistics Netherlands (CBS): jobs of employees by SBI 2008 sector for one COROP region and the Netherlands.

Table 83582NED, *Banen van werknemers in december; economische activiteit (SBI2008), regio*, counts the jobs of
employees in December (x 1 000), by the sector and the location of the establishment, from 2010 on. SBI 2008 uses
the letters of NACE Rev. 2, so its sections are the report's; where CBS suppresses a section for a region (small
counts), both files fall back to Eurostat's ten groups (``helpers.sector_levels``), using the aggregates CBS
publishes (``B-E``, ``G-I``, ``R-U``, ...) or the sum of their sections. The region's name is the table's title for
it ("Utrecht (CR)"), or the COROP code list's in ``data/`` where the table has none.

Read through the ``cbsodata`` client (OData v3 at opendata.cbs.nl): the table's periods, the unit of its measure
and its regions first, then the data of the region and the country in one query. Or read from the folder
``cbsodata.download_data("83582NED", dir=...)`` wrote earlier (``from_file``): the same feeds, one JSON list each.
"""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

from . import code_lists
from .common import Source
from .writer import Area, FetchError, Written, file_record

SERVICE = "Statistics Netherlands"
HOST = "opendata.cbs.nl"
TABLE_ID = "83582NED"
TABLE_TITLE = "Banen van werknemers in december; economische activiteit (SBI2008), regio"
SECTOR_DIM, REGION_DIM, PERIOD_DIM = "BedrijfstakkenBranchesSBI2008", "RegioS", "Perioden"
MEASURE = "BanenVanWerknemersInDecember_1"
COUNTRY_KEY = "NL01"
FIRST_YEAR = 2010
CONCEPT = "jobs of employees"
CONCEPT_DETAIL = (
    "jobs of employees in December (banen van werknemers in december), by the location of the "
    "establishment; the report's Tabel 1.1 counts employees in December 2013"
)
SOURCE_LABEL = f"CBS StatLine {TABLE_ID}"

_COROP = re.compile(r"^(?:CR)?\s*(\d{1,2})$", re.IGNORECASE)
#: A sector's title starts with its SBI code: "A Landbouw, bosbouw en visserij", "B-E Nijverheid (geen bouw) ...".
_SECTOR_CODE = re.compile(r"^\s*([A-U](?:-[A-U])?)\s")
#: The unit of the measure, without spaces: "x 1 000" (thousands) or a plain count.
_UNIT_FACTORS = {"x1000": 1.0, "aantal": 0.001}


def corop_code(text: str) -> str:
    """``"CR17"`` for "CR17", "cr17", "17" or "CR7"; a ValueError naming the valid choices otherwise."""
    match = _COROP.match(text.strip())
    number = int(match.group(1)) if match else 0
    if not 1 <= number <= 40:
        raise ValueError(f"unknown COROP region {text!r}; valid: CR01 to CR40 (CBS's COROP codes, e.g. CR17)")
    return f"CR{number:02d}"


def data_filter(corop: str, year: int) -> str:
    """The OData ``$filter`` for the region and the country in one year (region keys carry trailing spaces)."""
    return (
        f"(startswith({REGION_DIM},'{corop}') or startswith({REGION_DIM},'{COUNTRY_KEY}')) "
        f"and {PERIOD_DIM} eq '{year}JJ00'"
    )


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
    with SOURCE.request_errors():
        return function(*args, timeout=(15, 300), **kwargs)


class _Network:
    """The table's feeds from opendata.cbs.nl through ``cbsodata`` (the data rows come with titles, not keys)."""

    def __init__(self):
        import cbsodata

        self.client = cbsodata
        self.where = f"table {TABLE_ID}"

    def feed(self, name: str) -> list[dict]:
        return _call(self.client.get_meta, TABLE_ID, name)

    def rows(self, corop: str, year: int) -> list[dict]:
        return _call(self.client.get_data, TABLE_ID, filters=data_filter(corop, year), select=data_select())


#: The data feed of a folder ``cbsodata.download_data`` wrote: typed (its default) or untyped.
DATA_FEEDS = ("TypedDataSet", "UntypedDataSet")


class _SavedFolder:
    """The folder ``cbsodata.download_data(TABLE_ID, dir=...)`` writes: one JSON list per feed, the data with keys."""

    def __init__(self, folder: Path | str):
        from .. import user_files

        self.folder = Path(user_files.display(folder))
        self.where = str(self.folder)
        if not self.folder.is_dir():
            what = "a file" if self.folder.is_file() else "missing"
            raise FetchError(
                f"{self.folder}: {what}; expected the folder cbsodata.download_data('{TABLE_ID}', "
                f"dir=...) writes (TypedDataSet.json, RegioS.json, ...)"
            )
        self.files: dict[str, str] = {}
        self._read = user_files.read_bytes

    def feed(self, name: str, required: bool = True) -> list[dict] | None:
        path = self.folder / f"{name}.json"
        if not path.exists() and not required:
            return None
        raw = self._read(
            path,
            f"the {name} feed of table {TABLE_ID} as cbsodata.download_data saves it (JSON)",
            kind="saved answer",
            error=FetchError,
        )
        self.files[path.name] = file_record(path, raw)["sha256"]
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except ValueError as exc:
            raise FetchError(f"{path}: not readable JSON ({exc})") from None
        rows = document.get("value") if isinstance(document, dict) else document
        if not isinstance(rows, list):
            raise FetchError(f"{path}: expected a JSON list of records, as cbsodata.download_data writes")
        return rows

    def rows(self, corop: str, year: int) -> list[dict]:
        """The data rows of the region and the country in ``year``, keys replaced by titles as ``get_data`` does."""
        data = next((rows for name in DATA_FEEDS if (rows := self.feed(name, required=False)) is not None), None)
        if data is None:
            raise FetchError(
                f"{self.folder}: no TypedDataSet.json or UntypedDataSet.json; expected the folder "
                f"cbsodata.download_data('{TABLE_ID}', dir=...) writes"
            )
        titles = {
            dim: {str(r["Key"]).strip(): r.get("Title") for r in self.feed(dim)} for dim in (SECTOR_DIM, REGION_DIM)
        }
        wanted = {corop, COUNTRY_KEY}
        out = []
        for row in data:
            region = str(row.get(REGION_DIM, "")).strip()
            if region in wanted and str(row.get(PERIOD_DIM, "")).strip() == f"{year}JJ00":
                out.append(
                    {
                        SECTOR_DIM: titles[SECTOR_DIM].get(str(row.get(SECTOR_DIM, "")).strip()),
                        REGION_DIM: titles[REGION_DIM].get(region),
                        MEASURE: row.get(MEASURE),
                    }
                )
        return out

    def record(self) -> dict:
        """What the provenance records of the folder: each file read and its SHA-256, and the table's own date."""
        infos = self.feed("TableInfos", required=False) or [{}]
        identifier = str(infos[0].get("Identifier") or TABLE_ID)
        if identifier != TABLE_ID:
            raise FetchError(f"{self.folder}: holds table {identifier}, not {TABLE_ID}")
        return {
            "folder": str(self.folder),
            "format": "cbsodata.download_data folder (OData v3 JSON lists)",
            "files_sha256": dict(sorted(self.files.items())),
            "table_modified": infos[0].get("Modified"),
            "retrieved_note": "the files state no download date: 'retrieved' is the data file's modification date",
        }

    def modified(self) -> date:
        name = next(f"{n}.json" for n in DATA_FEEDS if (self.folder / f"{n}.json").exists())
        return date.fromtimestamp(os.stat(self.folder / name).st_mtime)


def _period_status(feeds, year: int) -> str:
    periods = {p["Key"].strip(): p for p in feeds.feed(PERIOD_DIM)}
    key = f"{year}JJ00"
    if key not in periods:
        years = sorted(k[:4] for k in periods if k.endswith("JJ00"))
        covered = f"{years[0]} to {years[-1]}" if years else "no years"
        raise FetchError(f"{feeds.where} has no figures for {year}; it holds {covered}")
    return str(periods[key].get("Status") or "")


def _unit_factor(feeds) -> tuple[float, str]:
    properties = {p.get("Key"): p for p in feeds.feed("DataProperties")}
    if MEASURE not in properties:
        raise FetchError(f"{feeds.where} no longer has the measure {MEASURE}; this fetcher needs updating")
    unit = str(properties[MEASURE].get("Unit") or "")
    factor = _UNIT_FACTORS.get("".join(unit.split()).lower())
    if factor is None:
        raise FetchError(f"{feeds.where} gives {MEASURE} in {unit!r}, not 'x 1 000'; this fetcher needs updating")
    return factor, unit


def _region_titles(feeds, corop: str) -> tuple[str, str]:
    """The titles the table gives the COROP region and the country (the code list's name where it has none)."""
    regions = {r["Key"].strip(): r.get("Title") for r in feeds.feed(REGION_DIM)}
    names = code_lists.corop_names()
    if corop not in regions:
        known = sorted(k for k in regions if k in names)  # COROP regions only: no CR99 or other keys
        held = f"it holds {known[0]} to {known[-1]}" if known else "it holds no COROP region"
        raise FetchError(f"{feeds.where} has no COROP region {corop} ({names[corop]}); {held}; valid: CR01 to CR40")
    return regions[corop] or f"{names[corop]} (CR)", regions.get(COUNTRY_KEY) or "Nederland"


def fetch(
    corop: str,
    year: int,
    out_dir: Path | str,
    *,
    name: str | None = None,
    retrieved: date | None = None,
    from_file: Path | str | None = None,
) -> Written:
    """Fetch table 83582NED for COROP region ``corop`` and the Netherlands in ``year`` (from the network, or from
    the folder ``cbsodata.download_data`` wrote) and write the files."""
    corop, year, name = SOURCE.arguments(corop, year, name)
    feeds = _Network() if from_file is None else _SavedFolder(from_file)
    status = _period_status(feeds, year)
    factor, unit = _unit_factor(feeds)
    region_title, country_title = _region_titles(feeds, corop)
    rows = feeds.rows(corop, year)
    # get_data replaces each key by its title (the region "Utrecht (CR)", the sector "A Landbouw, ...").
    published: dict[str, dict[str, float | None]] = {region_title: {}, country_title: {}}
    for row in rows:
        code = sector_code(row.get(SECTOR_DIM) or "")
        area = published.get(row.get(REGION_DIM))
        if code is None or area is None:
            continue
        value = _number(row.get(MEASURE))
        area[code] = None if value is None else value * factor
    if not any(v is not None for v in published[region_title].values()):
        raise FetchError(f"{feeds.where} has no figures for {corop} ({region_title}) in {year}")
    rid = SOURCE.region_id(corop)
    base_name = re.sub(r"\s*\(CR\)\s*$", "", region_title)
    region = Area(
        rid,
        name or f"{base_name} (COROP {corop})",
        "NL",
        published[region_title],
        extra={"published_total_thousands": published[region_title].get("A-U")},
    )
    reference = Area(
        f"{rid}-reference",
        country_title,
        "NL",
        published[country_title],
        nuts_code="NL",
        extra={"published_total_thousands": published[country_title].get("A-U")},
    )
    if from_file is None:
        source = {
            "query": query_url(corop, year),
            "query_filter": data_filter(corop, year),
            "client": f"cbsodata {getattr(feeds.client, '__version__', '')}".strip(),
        }
    else:
        source = {
            "query": f"saved folder {feeds.folder.name}: {REGION_DIM} {corop} and {COUNTRY_KEY}, "
            f"{PERIOD_DIM} {year}JJ00",
            "saved_answer": feeds.record(),
        }
        retrieved = retrieved or feeds.modified()
    provenance = SOURCE.provenance(
        f"{SERVICE} (CBS), StatLine open data", source, unit, figures_status=status, corop_code=corop
    )
    return SOURCE.write(out_dir, region, reference, year=year, provenance=provenance, retrieved=retrieved)


SOURCE = Source(
    name="cbs",
    service=SERVICE,
    host=HOST,
    table=f"table {TABLE_ID}",
    table_id=TABLE_ID,
    table_title=TABLE_TITLE,
    concept=CONCEPT,
    concept_detail=CONCEPT_DETAIL,
    source_label=SOURCE_LABEL,
    first_year=FIRST_YEAR,
    option="--corop",
    check_code=corop_code,
    id_prefix="corop",
    help=f"Statistics Netherlands table {TABLE_ID}: jobs of employees in December by SBI sector and COROP region",
    option_help="COROP region, CR01 to CR40 (e.g. CR17)",
    label=f"CBS {TABLE_ID}, {CONCEPT}",
    from_file_help=f"the folder cbsodata.download_data('{TABLE_ID}', dir=...) wrote, instead of the network",
    fetch=fetch,
)
