"""Region registry: canonical ids, names, aliases, NUTS codes, reference areas and the report's pairings.

Every other module and every chapter names a region by its canonical id; ``resolve`` turns any name the
report uses ("Vierkant voor Werk", "Brainport", "Rijnmond", ...) into that id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .i18n import N_, _


class UnknownRegionError(ValueError):
    """A region name that is neither a canonical id nor a known alias."""


@dataclass(frozen=True)
class Region:
    """One area of the report: a study region or a national reference area."""

    id: str
    name_local: str
    name_en: str
    country: str  # ISO 3166 alpha-2: "NL" or "DE"
    kind: str  # "region", "reference", or "user" (a region from a user's region file, see helpers.region_file)
    reference_id: str | None  # national reference area; None for the references themselves
    nuts: dict[str, str]  # NUTS version -> code
    aliases: tuple[str, ...] = ()
    delimitation: str = ""
    peer_id: str | None = None  # the region the report pairs it with
    pairing_reason: str = ""  # why the report pairs them, in English, marked N_ and shown as _(reason)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def nuts_code(self) -> str:
        """The NUTS code in the version the report's data use (NUTS 2013)."""
        return self.nuts.get("2013") or next(iter(self.nuts.values()), "")


REGIONS: dict[str, Region] = {
    r.id: r
    for r in [
        Region(
            id="zo-drenthe",
            name_local="Zuidoost-Drenthe",
            name_en="South-East Drenthe",
            country="NL",
            kind="region",
            reference_id="nl",
            nuts={"2010": "NL132", "2013": "NL132", "2016": "NL132"},
            aliases=(
                "Zuidoost Drenthe",
                "ZO Drenthe",
                "ZO-Drenthe",
                "Vierkant voor Werk",
                "Vierkant voor werk",
                "Zuidoost Drenthe/Vierkant voor Werk",
                "Emmen",
            ),
            delimitation=(
                "The report's Vierkant voor Werk region is the municipalities Emmen, Hoogeveen and Coevorden plus "
                "the Overijssel municipality Hardenberg (footnote 19); it is not exactly COROP Zuidoost-Drenthe "
                "(NL132), which the statistics tables use."
            ),
            peer_id="emsland",
            pairing_reason=N_("both in the periphery of their country, chapter 5"),
        ),
        Region(
            id="twente",
            name_local="Twente",
            name_en="Twente",
            country="NL",
            kind="region",
            reference_id="nl",
            nuts={"2010": "NL213", "2013": "NL213", "2016": "NL213"},
            aliases=("Regio Twente",),
            delimitation="COROP region Twente (NUTS 3 NL213).",
        ),
        Region(
            id="groot-rijnmond",
            name_local="Groot-Rijnmond",
            name_en="Greater Rijnmond (Rotterdam)",
            country="NL",
            kind="region",
            reference_id="nl",
            nuts={"2010": "NL335", "2013": "NL339", "2016": "NL33C"},
            aliases=("Groot Rijnmond", "Rijnmond", "Regio Rijnmond", "Rotterdam"),
            delimitation=(
                "COROP region Groot-Rijnmond: NUTS 3 NL335 in NUTS 2010, NL339 in NUTS 2013, NL33C from NUTS 2016 on "
                "(the codes changed with boundary revisions)."
            ),
            peer_id="bremen",
            pairing_reason=N_("both around a port, chapter 5"),
        ),
        Region(
            id="zo-brabant",
            name_local="Zuidoost-Brabant",
            name_en="South-East Brabant (Brainport Eindhoven)",
            country="NL",
            kind="region",
            reference_id="nl",
            nuts={"2010": "NL414", "2013": "NL414", "2016": "NL414"},
            aliases=(
                "Zuidoost Brabant",
                "ZO Brabant",
                "ZO-Brabant",
                "Zuid Oost Brabant",
                "Zuidoost-Noord-Brabant",
                "Brainport",
                "Brainport Eindhoven",
                "Brainportregio",
                "Brainport regio",
                "Eindhoven",
            ),
            delimitation="COROP region Zuidoost-Noord-Brabant (NUTS 3 NL414), which the report calls Brainport.",
        ),
        Region(
            id="emsland",
            name_local="Landkreis Emsland",
            name_en="Emsland district",
            country="DE",
            kind="region",
            reference_id="de",
            nuts={"2010": "DE949", "2013": "DE949", "2016": "DE949"},
            aliases=("Emsland", "Das Emsland", "Kreis Emsland"),
            delimitation="The Landkreis (district) Emsland in Niedersachsen, NUTS 3 DE949.",
            peer_id="zo-drenthe",
            pairing_reason=N_("both in the periphery of their country, chapter 5"),
        ),
        Region(
            id="bremen",
            name_local="Bremen",
            name_en="Bremen (city state)",
            country="DE",
            kind="region",
            reference_id="de",
            nuts={"2010": "DE50", "2013": "DE50", "2016": "DE50"},
            aliases=("Freie Hansestadt Bremen", "Land Bremen", "Bremen und Bremerhaven"),
            delimitation="The city state (Land) Bremen: the cities Bremen and Bremerhaven, NUTS 1/2 DE5/DE50.",
            peer_id="groot-rijnmond",
            pairing_reason=N_("both around a port, chapter 5"),
        ),
        Region(
            id="nl",
            name_local="Nederland",
            name_en="Netherlands",
            country="NL",
            kind="reference",
            reference_id=None,
            nuts={"2010": "NL", "2013": "NL", "2016": "NL"},
            aliases=("Netherlands", "The Netherlands", "NL"),
        ),
        Region(
            id="de",
            name_local="Deutschland",
            name_en="Germany",
            country="DE",
            kind="reference",
            reference_id=None,
            nuts={"2010": "DE", "2013": "DE", "2016": "DE"},
            aliases=("Duitsland", "Germany", "DE"),
        ),
    ]
}

#: Study regions in the report's order (four Dutch, then two German).
STUDY_REGIONS: tuple[str, ...] = ("zo-drenthe", "twente", "groot-rijnmond", "zo-brabant", "emsland", "bremen")
DUTCH_REGIONS: tuple[str, ...] = STUDY_REGIONS[:4]
GERMAN_REGIONS: tuple[str, ...] = STUDY_REGIONS[4:]
REFERENCE_AREAS: tuple[str, ...] = ("nl", "de")
ALL_AREAS: tuple[str, ...] = STUDY_REGIONS + REFERENCE_AREAS

#: The report's pairings of a German with a Dutch region (chapter 5).
PAIRINGS: tuple[tuple[str, str, str], ...] = (
    ("emsland", "zo-drenthe", "both in the periphery of their country"),
    ("bremen", "groot-rijnmond", "both around a port"),
)


def _key(name: str) -> str:
    """Normalise a name for lookup: case, accents, hyphens and spaces do not matter."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-_/]+", " ", text).strip().lower()


_LOOKUP: dict[str, str] = {}
for _region in REGIONS.values():
    for _name in (_region.id, _region.name_local, _region.name_en, *_region.aliases):
        _LOOKUP.setdefault(_key(_name), _region.id)


#: Regions added from users' region files in this process (``register_user_region``), by id.
USER_REGIONS: dict[str, Region] = {}


def register_user_region(user_region) -> Region:
    """Add a region from a region file (a ``helpers.region_file.UserRegion``) to the registry, kind "user".

    Its id and name then resolve like the report's regions; it is compared with its country's reference (``nl`` or
    ``de``; a region of another country has no reference area in the registry, only the reference file it brings)
    and the report pairs it with no region (``peer_of`` is None). Registering the same id again replaces it.
    Raises ``ValueError`` when the id is taken by a report area or alias (a name that is taken keeps pointing to
    the report's area).
    """
    owner = _LOOKUP.get(_key(user_region.id))
    if owner is not None and REGIONS[owner].kind != "user":
        raise ValueError(f"user region {user_region.id!r}: the id is taken by the report's area {owner!r}")
    region = Region(
        id=user_region.id,
        name_local=user_region.name,
        name_en=user_region.name,
        country=user_region.country,
        kind="user",
        reference_id={"NL": "nl", "DE": "de"}.get(user_region.country),  # other countries: none
        nuts={user_region.nuts_version: user_region.nuts_code} if user_region.nuts_code else {},
        delimitation=f"A user's region file ({user_region.source}, {user_region.reference_year}).",
    )
    old = USER_REGIONS.get(region.id)
    if old is not None:
        for text in (old.id, old.name_local):
            _LOOKUP.pop(_key(text), None)
    REGIONS[region.id] = region
    USER_REGIONS[region.id] = region
    _LOOKUP[_key(region.id)] = region.id
    _LOOKUP.setdefault(_key(region.name_local), region.id)
    return region


def resolve(name: str) -> str:
    """Return the canonical id for a region id, name or alias (case-insensitive).

    Raises ``UnknownRegionError`` listing the valid ids when the name is unknown.
    """
    if not isinstance(name, str):
        raise UnknownRegionError(f"region must be a string, got {type(name).__name__}: {name!r}")
    try:
        return _LOOKUP[_key(name)]
    except KeyError:
        raise UnknownRegionError(
            f"unknown region {name!r}; valid ids: {', '.join(ALL_AREAS)} "
            "(aliases such as 'Brainport' or 'Vierkant voor Werk' also work; `python -m helpers regions` lists them)"
        ) from None


def get(name: str) -> Region:
    """The ``Region`` for any id or alias."""
    return REGIONS[resolve(name)]


def reference_of(region_id: str) -> str:
    """The national reference area of a region (a reference area is its own reference)."""
    region = get(region_id)
    return region.reference_id or region.id


def peer_of(region_id: str) -> str | None:
    """The region the report pairs this one with, or None."""
    return get(region_id).peer_id


#: The reference areas' names in the book's languages (their English names are in the registry).
REFERENCE_NAMES = {"Netherlands": N_("Netherlands"), "Germany": N_("Germany")}


def name(region_id: str, lang: str = "en") -> str:
    """Display name: the local name (``lang='local'``) or a short name in the book's language (default).

    The display name keeps the report's own region names, which readers will search for; a country is named in
    the current language (``helpers.i18n``: 'Germany', 'Duitsland').
    """
    region = get(region_id)
    if lang in ("local", "nl", "de") or region.kind in ("region", "user"):
        return region.name_local
    return _(REFERENCE_NAMES.get(region.name_en, region.name_en))


def table() -> list[dict[str, str]]:
    """The registry as a list of plain records (for the CLI and the data appendix)."""
    return [
        {
            "id": r.id,
            "name": r.name_local,
            "name_en": r.name_en,
            "country": r.country,
            "kind": r.kind,
            "reference": r.reference_id or "",
            "nuts_2013": r.nuts.get("2013", ""),
            "nuts_2016": r.nuts.get("2016", ""),
            "aliases": ", ".join(r.aliases),
            "peer": r.peer_id or "",
        }
        for r in REGIONS.values()
    ]
