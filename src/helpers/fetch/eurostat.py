"""Eurostat: employment by NUTS 3 region and activity, for one NUTS 3 region of any country and that country.

Dataset ``nama_10r_3empers``, *Employment (thousand persons) by NUTS 3 regions*, from the regional accounts: persons
employed (``wstatus=EMP``: employees and the self-employed), annual average, in thousands (``unit=THS``). What it
publishes depends on the country: most NUTS 3 regions have Eurostat's ten groups (A, B-E, F, G-I, J, K, L, M_N,
O-Q, R-U) and C; German NUTS 3 regions only A, B-E, C, F, G-J, K-N and O-U. The writer takes the finest level
complete for the region and its country (``helpers.sector_levels``), with ``M_N`` written ``M-N``.

Read through the ``sdmx1`` client (SDMX 2.1 REST at ec.europa.eu), one query for the region and the country, or
from an answer saved earlier (``from_file``): SDMX-ML 2.1, generic (the API's default) or structure-specific, or
SDMX-CSV 1.0 as the data browser downloads it. The key's dimensions are, in the dataset's order,
freq.unit.wstatus.nace_r2.geo. The region's name comes from the NUTS code list kept in ``data/``.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from . import code_lists
from .common import Source
from .writer import Area, FetchError, Written, file_record

SERVICE = "Eurostat"
HOST = "ec.europa.eu"
DATASET = "nama_10r_3empers"
DATASET_TITLE = "Employment (thousand persons) by NUTS 3 regions"
FREQ, UNIT, WSTATUS = "A", "THS", "EMP"
FIRST_YEAR = 2000
CONCEPT = "persons employed (self-employed included), annual"
CONCEPT_DETAIL = (
    "persons employed (employees and self-employed), annual average, national accounts concept, by "
    "place of work; the report's Tabel 1.1 counts employees in December 2013"
)
SOURCE_LABEL = f"Eurostat {DATASET}"
NUTS_HINT = (
    "check the code against the NUTS version of the answer: Eurostat's regional tables use the NUTS "
    "version current when they were published, and codes change between NUTS 2013, 2016 and 2021"
)
#: The columns an SDMX-CSV 1.0 answer must have, and all the data browser writes for this dataset.
CSV_COLUMNS = ("unit", "wstatus", "nace_r2", "geo", "TIME_PERIOD", "OBS_VALUE")
BROWSER_COLUMNS = (
    "DATAFLOW",
    "LAST UPDATE",
    "freq",
    "unit",
    "wstatus",
    "nace_r2",
    "geo",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_FLAG",
)

_NUTS3 = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}$")


def nuts3_code(text: str) -> str:
    """``"DE94B"`` for "de94b"; a ValueError naming the valid shape for anything that is not a NUTS 3 code."""
    code = text.strip().upper()
    if not _NUTS3.match(code):
        raise ValueError(
            f"{text!r} is not a NUTS 3 code; valid: the country's two letters followed by three "
            "letters or digits (e.g. DE94B, NL414, BE332, FR101)"
        )
    return code


def data_key(nuts: str) -> str:
    """The SDMX key: annual, thousands, persons employed, every activity, the region and its country."""
    return f"{FREQ}.{UNIT}.{WSTATUS}..{nuts}+{nuts[:2]}"


def _params(year: int) -> dict[str, str]:
    return {"startPeriod": str(year), "endPeriod": str(year)}


def group_code(code: str) -> str:
    """Eurostat's activity code in the region file's spelling (``M_N`` -> ``M-N``)."""
    return code.replace("_", "-")


@dataclass
class Observation:
    """One observation of the answer: geo, activity (Eurostat's code), year, thousands (None: not published)."""

    geo: str
    activity: str
    year: str
    value: float | None


def _number(text) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def observations_from_series(series) -> list[Observation]:
    """The answer as ``sdmx.to_pandas`` gives it (index: TIME_PERIOD, freq, unit, wstatus, nace_r2, geo), persons
    employed in thousands only."""
    frame = series.rename("value").reset_index()
    frame = frame[(frame["unit"] == UNIT) & (frame["wstatus"] == WSTATUS)]
    return [
        Observation(str(geo), str(activity), str(year), _number(value))
        for geo, activity, year, value in zip(frame["geo"], frame["nace_r2"], frame["TIME_PERIOD"], frame["value"])
    ]


def _code(text: str) -> str:
    """A dimension's code from an SDMX-CSV cell, which the data browser may write as ``CODE:Label``."""
    return text.split(":", 1)[0].strip()


def observations_from_csv(text: str, path: Path) -> tuple[list[Observation], str | None]:
    """An SDMX-CSV 1.0 answer: its observations (persons employed, thousands) and its LAST UPDATE as an ISO date."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise FetchError(
            f"{path}: not an SDMX-CSV answer of {DATASET}: column(s) {', '.join(missing)} missing; "
            f"expected the data browser's columns {','.join(BROWSER_COLUMNS)}"
        )
    at = {name: header.index(name) for name in header}
    out, updated = [], None
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda name: row[at[name]] if at[name] < len(row) else ""  # noqa: E731, B023 - used in this iteration only
        if _code(cell("unit")) != UNIT or _code(cell("wstatus")) != WSTATUS:
            continue
        out.append(
            Observation(
                _code(cell("geo")),
                _code(cell("nace_r2")),
                cell("TIME_PERIOD").strip(),
                _number(cell("OBS_VALUE").strip()),
            )
        )
        if updated is None and "LAST UPDATE" in at:
            updated = _last_update(cell("LAST UPDATE"))
    return out, updated


def _last_update(text: str) -> str | None:
    """The data browser's ``LAST UPDATE`` ("21/06/24 23:00:00") as an ISO date, None when unreadable."""
    for fmt in ("%d/%m/%y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _quiet_sdmx():
    """sdmx1 warns that it reads structure-specific data without their structure: they need none."""
    sdmx_log = logging.getLogger("sdmx")
    level = sdmx_log.level
    sdmx_log.setLevel(logging.ERROR)
    return sdmx_log, level


def _series(message):
    import pandas as pd
    import sdmx

    series = sdmx.to_pandas(message)
    if isinstance(series, list):  # one Series per data set
        series = pd.concat(series) if series else pd.Series(dtype=float)
    return series


@dataclass
class SavedAnswer:
    """An answer saved from Eurostat: its observations and what the provenance records of it."""

    observations: list[Observation]
    record: dict  # file, sha256, format, the dates the file states
    retrieved: date  # the date it says it was extracted; else the file's modification date


def read_saved_answer(path: Path | str) -> SavedAnswer:
    """Read an answer saved from Eurostat: SDMX-ML 2.1 (generic or structure-specific) or SDMX-CSV 1.0."""
    from .. import user_files

    shown = Path(user_files.display(path))
    raw = user_files.read_bytes(
        shown, f"an answer saved from Eurostat ({DATASET}, SDMX-ML or SDMX-CSV)", kind="saved answer", error=FetchError
    )
    record = file_record(shown, raw)
    text = raw.decode("utf-8-sig", errors="replace").lstrip()
    modified = date.fromtimestamp(os.stat(shown).st_mtime)
    if text.startswith("<"):
        import sdmx

        sdmx_log, level = _quiet_sdmx()
        try:
            message = sdmx.read_sdmx(io.BytesIO(raw))
        except Exception as exc:  # noqa: BLE001 - the reader raises many kinds for a file that is not SDMX-ML
            raise FetchError(
                f"{shown}: not an SDMX-ML answer Eurostat gives ({type(exc).__name__}: "
                f"{' '.join(str(exc).split())[:120]})"
            ) from None
        finally:
            sdmx_log.setLevel(level)
        header = getattr(message, "header", None)
        stamp = getattr(header, "extracted", None) or getattr(header, "prepared", None)
        extracted = stamp.date() if isinstance(stamp, datetime) else None
        form = "SDMX-ML 2.1 " + ("structure-specific" if "StructureSpecificData" in text[:400] else "generic")
        record.update({"format": form, "extracted": extracted.isoformat() if extracted else None})
        series = _series(message)
        found = observations_from_series(series) if len(series) else []
        return SavedAnswer(found, record, extracted or modified)
    found, updated = observations_from_csv(text, shown)
    record.update(
        {
            "format": "SDMX-CSV 1.0",
            "source_last_update": updated,
            "retrieved_note": "the file states no extraction date: 'retrieved' is its modification date",
        }
    )
    return SavedAnswer(found, record, modified)


def _published(found: list[Observation], nuts: str, year: int, where: str) -> dict[str, dict[str, float | None]]:
    """Values by group code for the region and its country in ``year``; a FetchError naming what the answer does
    hold when either area or the year is missing."""
    country = nuts[:2]
    geos = sorted({o.geo for o in found})
    for geo in (nuts, country):
        if geo not in geos:
            held = ", ".join(geos[:12]) + (f" and {len(geos) - 12} more" if len(geos) > 12 else "") or "none"
            raise FetchError(f"{where} has no figures for {geo} (it holds geo {held}); {NUTS_HINT}")
    years = sorted({o.year for o in found if o.geo in (nuts, country)})
    if str(year) not in years:
        raise FetchError(f"{where} holds no figures for {year}; it holds {', '.join(years) or 'no year'}")
    published: dict[str, dict[str, float | None]] = {nuts: {}, country: {}}
    for o in found:
        if o.geo in published and o.year == str(year):
            published[o.geo][group_code(o.activity)] = o.value
    return published


def _from_network(nuts: str, year: int) -> tuple[list[Observation], dict]:
    import sdmx

    client = sdmx.Client("ESTAT")
    key, params = data_key(nuts), _params(year)
    query = client.data(DATASET, key=key, params=params, dry_run=True).url
    sdmx_log, level = _quiet_sdmx()
    not_found = f"{SERVICE} has no figures in {DATASET} for {nuts} or {nuts[:2]} in {year}; {NUTS_HINT}"
    try:
        with SOURCE.request_errors(not_found=not_found):
            message = client.data(DATASET, key=key, params=params, timeout=300)
    finally:
        sdmx_log.setLevel(level)
    series = _series(message)
    return (observations_from_series(series) if len(series) else []), {"query": query}


def fetch(
    nuts: str,
    year: int,
    out_dir: Path | str,
    *,
    name: str | None = None,
    retrieved: date | None = None,
    from_file: Path | str | None = None,
) -> Written:
    """Fetch ``nama_10r_3empers`` for NUTS 3 region ``nuts`` and its country in ``year`` (from the network, or
    from an answer saved earlier) and write the files."""
    nuts, year, name = SOURCE.arguments(nuts, year, name)
    import sdmx

    if from_file is None:
        found, source = _from_network(nuts, year)
        where = f"{SERVICE}'s answer ({DATASET})"
    else:
        answer = read_saved_answer(from_file)
        found, where = answer.observations, f"{answer.record['file']}"
        source = {
            "query": f"saved answer {Path(answer.record['file']).name} ({answer.record['format']}), "
            f"key {data_key(nuts)}, {year}",
            "saved_answer": answer.record,
        }
        retrieved = retrieved or answer.retrieved
    published = _published(found, nuts, year, where)
    country = nuts[:2]
    rid = SOURCE.region_id(nuts)
    label = code_lists.nuts_name(nuts)
    notes = (
        []
        if label or name
        else [f"the NUTS {code_lists.NUTS_VERSION} code list has no name for {nuts}; set one with --name"]
    )
    region = Area(
        rid,
        name or label or f"NUTS 3 region {nuts}",
        country,
        published[nuts],
        nuts_code=nuts,
        extra={"published_total_thousands": published[nuts].get("TOTAL")},
    )
    reference = Area(
        f"{rid}-reference",
        code_lists.country_name(country),
        country,
        published[country],
        nuts_code=country,
        extra={"published_total_thousands": published[country].get("TOTAL")},
    )
    provenance = SOURCE.provenance(
        f"{SERVICE}, regional accounts",
        {**source, "client": f"sdmx1 {sdmx.__version__}"},
        "thousand persons",
        region_name_source=(
            f"NUTS {code_lists.NUTS_VERSION} code list (data/{code_lists.NUTS_FILE})"
            if label and not name
            else "--name"
            if name
            else "none (no name in the code list)"
        ),
        nuts_note="geo codes of the NUTS version the dataset used when retrieved (see its metadata)",
    )
    written = SOURCE.write(out_dir, region, reference, year=year, provenance=provenance, retrieved=retrieved)
    written.notes.extend(notes)
    return written


SOURCE = Source(
    name="eurostat",
    service=SERVICE,
    host=HOST,
    table=f"dataset {DATASET}",
    table_id=DATASET,
    table_title=DATASET_TITLE,
    concept=CONCEPT,
    concept_detail=CONCEPT_DETAIL,
    source_label=SOURCE_LABEL,
    first_year=FIRST_YEAR,
    option="--nuts",
    check_code=nuts3_code,
    id_prefix="nuts3",
    help=f"Eurostat {DATASET}: persons employed by NUTS 3 region and activity group",
    option_help="NUTS 3 code of a region Eurostat publishes (e.g. DE94B, BE332)",
    label=f"Eurostat {DATASET}, {CONCEPT}",
    from_file_help="an answer saved from Eurostat (SDMX-ML 2.1, generic or structure-specific, or the data browser's "
    "SDMX-CSV 1.0), instead of the network",
    fetch=fetch,
)
