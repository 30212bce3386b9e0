"""What the fetchers share: a source's description (``Source``), the checks of what a fetch is asked for (the
region's code, the year, the region's name), the id of a fetched region, what a failed request to the service
becomes, the provenance every sidecar starts with, and the writing of the files.

Each source module (``cbs``, ``eurostat``) declares its ``SOURCE``; the command line (``cli``) builds one
subcommand per source from it, and the source's ``fetch`` checks its arguments with the same ``Source`` methods, so
that a call from Python is checked as a command is.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .writer import Area, FetchError, ServiceUnreachable, Written, write_region_files


@dataclass(frozen=True)
class Source:
    """A statistics office's table, as a fetch from it is asked for, checked and recorded."""

    name: str  # the subcommand, e.g. "cbs"
    service: str  # e.g. "Statistics Netherlands"
    host: str  # the host a request goes to, e.g. "opendata.cbs.nl"
    table: str  # how a message names the table, e.g. "table 83582NED"
    table_id: str
    table_title: str
    concept: str  # what is counted, short
    concept_detail: str
    source_label: str  # the region file's ``source`` column
    first_year: int  # the first year the table has
    option: str  # the option naming the region, e.g. "--corop"
    check_code: Callable[[str], str]  # that option's check: the code, or a ValueError naming the valid choices
    id_prefix: str  # a fetched region's id is the prefix and the code, e.g. "corop-cr17"
    help: str  # the subcommand's help
    option_help: str
    label: str  # how the report line names the source
    from_file_help: str  # what --from-file reads
    fetch: Callable[..., Written]  # fetch(code, year, out_dir, *, name=None, retrieved=None, from_file=None)

    def last_year(self) -> int:
        """The latest year a fetch may ask for: the last full year (the sources publish a year after it ends)."""
        return date.today().year - 1

    def check_year(self, year: int) -> int:
        """``year`` if the table may have it (``first_year`` to ``last_year()``); a ValueError naming the range."""
        if not self.first_year <= year <= self.last_year():
            raise ValueError(f"year {year} is outside {self.table}; valid: {self.first_year} to {self.last_year()}")
        return year

    def region_id(self, code: str) -> str:
        """The region file's id of a fetched region, e.g. ``corop-cr17`` or ``nuts3-de94b``: the source's prefix
        and the code in lower case, so letters, digits and hyphens (the region-file schema), and no report region
        or alias looks like it."""
        return f"{self.id_prefix}-{code.lower()}"

    def arguments(self, code: str, year: int, name: str | None) -> tuple[str, int, str | None]:
        """The region's code, the year and the name (None: the source's), each checked as the command line
        checks them."""
        return self.check_code(code), self.check_year(year), None if name is None else check_name(name)

    @contextlib.contextmanager
    def request_errors(self, not_found: str | None = None) -> Iterator[None]:
        """Around a request to the service: no answer (no network, DNS, time-out) becomes ``ServiceUnreachable``,
        an HTTP error a ``FetchError`` naming the table (``not_found``: the message for a 404, if it has its own).
        """
        import requests

        try:
            yield
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise ServiceUnreachable(self.service, self.host, exc) from None
        except requests.HTTPError as exc:
            if not_found and exc.response is not None and exc.response.status_code == 404:
                raise FetchError(not_found) from None
            raise FetchError(f"{self.service} answered with an error for {self.table}: {exc}") from None

    def provenance(self, source: str, answer: dict, source_unit: str, **details) -> dict:
        """What every sidecar records first: the service (``source``), the table, where the answer came from
        (``answer``: the query, or the saved answer), what is counted and in which unit, then the source's
        ``details``."""
        return {
            "source": source,
            "table_id": self.table_id,
            "table_title": self.table_title,
            **answer,
            "concept": self.concept,
            "concept_detail": self.concept_detail,
            "source_unit": source_unit,
            **details,
        }

    def write(
        self, out_dir: Path | str, region: Area, reference: Area, *, year: int, provenance: dict, retrieved: date | None
    ) -> Written:
        """Write the region file, its country's reference and their sidecars (``writer.write_region_files``)."""
        return write_region_files(
            out_dir,
            region,
            reference,
            year=year,
            source_label=self.source_label,
            provenance=provenance,
            retrieved=retrieved,
        )


def check_name(text: str) -> str:
    """A region's name as ``--name`` gives it, without surrounding spaces; a ValueError for an empty one or one
    with a line break or other control character (it is one cell of the region file and one line of the book)."""
    name = text.strip()
    if not name:
        raise ValueError("the region's name is empty; give a name, or leave --name out for the source's")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise ValueError(
            f"the region's name {name!r} holds a line break or another control character; give it on one line"
        )
    return name
