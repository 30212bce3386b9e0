"""Eurostat: employment by NUTS 3 region and activity for one Dutch or German NUTS 3 region and its country.

Dataset ``nama_10r_3empers``, *Employment (thousand persons) by NUTS 3 regions*, from the regional accounts: persons
employed (``wstatus=EMP``: employees and the self-employed), annual average, in thousands (``unit=THS``). It publishes
the A10 groups A, B-E, F, G-I, J, K, L, M_N, O-Q, R-U (and a few others, such as C and TOTAL, which are not used), so
the region file holds those groups, with ``M_N`` written ``M-N``.

Read through the ``sdmx1`` client (SDMX 2.1 REST at ec.europa.eu), one query for the region and the country. The
key's dimensions are, in the dataset's order, freq.unit.wstatus.nace_r2.geo.
"""

from __future__ import annotations

import logging
import math
import re
from datetime import date
from pathlib import Path

from . import common
from .writer import Area, FetchError, ServiceUnreachable, Written, write_region_files

SERVICE = "Eurostat"
HOST = "ec.europa.eu"
DATASET = "nama_10r_3empers"
DATASET_TITLE = "Employment (thousand persons) by NUTS 3 regions"
FREQ, UNIT, WSTATUS = "A", "THS", "EMP"
FIRST_YEAR = 2000
COUNTRIES = {"NL": "Nederland", "DE": "Deutschland"}
CONCEPT = "persons employed (self-employed included), annual"
CONCEPT_DETAIL = ("persons employed (employees and self-employed), annual average, national accounts concept, by "
                  "place of work; the report's Tabel 1.1 counts employees in December 2013")
SOURCE_LABEL = f"Eurostat {DATASET}"

_NUTS3 = re.compile(r"^(NL|DE)[0-9A-Z]{3}$")


def last_year() -> int:
    """The latest year a fetch may ask for (regional accounts follow the year by two years or more)."""
    return date.today().year - 1


def nuts3_code(text: str) -> str:
    """``"DE94B"`` for "de94b"; a ValueError naming the valid choices for anything but a Dutch or German NUTS 3 code."""
    code = text.strip().upper()
    if not _NUTS3.match(code):
        raise ValueError(f"{text!r} is not a NUTS 3 code of the Netherlands or Germany; valid: NL or DE followed by "
                         "three letters or digits (e.g. NL414, DE94B)")
    return code


def check_year(year: int) -> int:
    """``year`` if the dataset may have it (``FIRST_YEAR`` to ``last_year()``); a ValueError naming the range
    otherwise."""
    return common.check_year(year, FIRST_YEAR, last_year(), f"dataset {DATASET}")


def region_id(nuts: str) -> str:
    """The region file's id, e.g. ``nuts3-de94b``."""
    return common.region_id("nuts3", nuts)


def data_key(nuts: str) -> str:
    """The SDMX key: annual, thousands, persons employed, every activity, the region and its country."""
    return f"{FREQ}.{UNIT}.{WSTATUS}..{nuts}+{nuts[:2]}"


def _params(year: int) -> dict[str, str]:
    return {"startPeriod": str(year), "endPeriod": str(year)}


def group_code(code: str) -> str:
    """Eurostat's activity code in the region file's spelling (``M_N`` -> ``M-N``)."""
    return code.replace("_", "-")


def _observations(series, nuts: str, year: int) -> dict[str, dict[str, float | None]]:
    """Values by geo and group code from the client's pandas Series (index: TIME_PERIOD, freq, unit, wstatus,
    nace_r2, geo)."""
    frame = series.rename("value").reset_index()
    frame = frame[(frame["unit"] == UNIT) & (frame["wstatus"] == WSTATUS) & (frame["TIME_PERIOD"].astype(str) == str(year))]
    published: dict[str, dict[str, float | None]] = {nuts: {}, nuts[:2]: {}}
    for geo, code, value in zip(frame["geo"], frame["nace_r2"], frame["value"]):
        if geo in published:
            number = float(value)
            published[geo][group_code(code)] = None if math.isnan(number) else number
    return published


def fetch(nuts: str, year: int, out_dir: Path | str, *, name: str | None = None,
          retrieved: date | None = None) -> Written:
    """Fetch ``nama_10r_3empers`` for NUTS 3 region ``nuts`` and its country in ``year`` and write the files."""
    nuts, year = nuts3_code(nuts), check_year(year)
    import pandas as pd
    import requests
    import sdmx

    client = sdmx.Client("ESTAT")
    key, params = data_key(nuts), _params(year)
    query = client.data(DATASET, key=key, params=params, dry_run=True).url
    sdmx_log = logging.getLogger("sdmx")
    level = sdmx_log.level
    sdmx_log.setLevel(logging.ERROR)  # it warns that it reads the data without their structure: they need none
    try:
        message = client.data(DATASET, key=key, params=params, timeout=300)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise ServiceUnreachable(SERVICE, HOST, exc) from None
    except requests.HTTPError as exc:
        if exc.response is not None and exc.response.status_code == 404:
            raise FetchError(f"{SERVICE} has no figures in {DATASET} for {nuts} in {year}; check the code against "
                             "the NUTS version the dataset uses") from None
        raise FetchError(f"{SERVICE} answered with an error for {DATASET}: {exc}") from None
    finally:
        sdmx_log.setLevel(level)
    series = sdmx.to_pandas(message)
    if isinstance(series, list):  # one Series per data set
        series = pd.concat(series) if series else pd.Series(dtype=float)
    published = _observations(series, nuts, year) if len(series) else {nuts: {}, nuts[:2]: {}}
    if not any(v is not None for v in published[nuts].values()):
        raise FetchError(f"{SERVICE} returned no figures in {DATASET} for {nuts} in {year}; check the code against "
                         "the NUTS version the dataset uses")
    country = nuts[:2]
    rid = region_id(nuts)
    region = Area(rid, name or f"NUTS 3 region {nuts}", country, published[nuts], nuts_code=nuts,
                  extra={"published_total_thousands": published[nuts].get("TOTAL")})
    reference = Area(f"{rid}-reference", COUNTRIES[country], country, published[country], nuts_code=country,
                     extra={"published_total_thousands": published[country].get("TOTAL")})
    provenance = {
        "source": f"{SERVICE}, regional accounts",
        "table_id": DATASET,
        "table_title": DATASET_TITLE,
        "query": query,
        "client": f"sdmx1 {sdmx.__version__}",
        "concept": CONCEPT,
        "concept_detail": CONCEPT_DETAIL,
        "source_unit": "thousand persons",
        "nuts_note": "geo codes of the NUTS version the dataset used when retrieved (see its metadata)",
    }
    return write_region_files(out_dir, region, reference, year=year, source_label=SOURCE_LABEL,
                              provenance=provenance, retrieved=retrieved)
