"""The sector levels a region file can have, and the one table of which NACE sections each group holds.

Three levels, finest first, each a partition of the economy:

- ``"section"``: the 19 NACE Rev. 2 sections A to S of the report's Tabel 1.1;
- ``"a10"``: Eurostat's ten groups (its A*10 breakdown: A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U), what most
  NUTS 3 regions have in ``nama_10r_3empers`` and what CBS publishes where it suppresses a section;
- ``"de_nuts3"``: the six groups Eurostat publishes for German NUTS 3 regions (A, B-E, F, G-J, K-N, O-U).

At the two coarser levels a region file may also hold manufacturing, section C, as a row of its own: it is part of
B-E, not a seventh or eleventh group, so it is never added to the total (``MANUFACTURING``).

The fetchers (``helpers.fetch.writer``) and the region file (``helpers.region_file``, ``helpers.user_region``) all
read this table; it uses the standard library only, so that ``python -m helpers fetch`` starts quickly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .i18n import N_, _

SECTION, A10, DE_NUTS3 = "section", "a10", "de_nuts3"
#: The levels, finest first (a fetcher writes the first one that is complete for the region and its country).
LEVELS = (SECTION, A10, DE_NUTS3)

#: The NACE sections of the report's Tabel 1.1 (thousands of employees, December 2013).
SECTIONS = tuple("ABCDEFGHIJKLMNOPQRS")
#: Sections some groups hold but Tabel 1.1 (and so the section level) does not have: households as employers (T)
#: and extraterritorial bodies (U). A group counts them where its source publishes them (Eurostat's R-U and O-U do);
#: summed from sections, they are added where published and absent otherwise (CBS's table 83582NED has neither).
OUTSIDE_TABLE_1_1 = ("T", "U")
#: Manufacturing: a section of its own at the section level, a part of B-E shown beside the groups elsewhere.
MANUFACTURING = "C"

#: Every level's groups in order, each with the NACE sections it holds.
GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    SECTION: {s: (s,) for s in SECTIONS},
    A10: {
        "A": ("A",),
        "B-E": ("B", "C", "D", "E"),
        "F": ("F",),
        "G-I": ("G", "H", "I"),
        "J": ("J",),
        "K": ("K",),
        "L": ("L",),
        "M-N": ("M", "N"),
        "O-Q": ("O", "P", "Q"),
        "R-U": ("R", "S", "T", "U"),
    },
    DE_NUTS3: {
        "A": ("A",),
        "B-E": ("B", "C", "D", "E"),
        "F": ("F",),
        "G-J": ("G", "H", "I", "J"),
        "K-N": ("K", "L", "M", "N"),
        "O-U": ("O", "P", "Q", "R", "S", "T", "U"),
    },
}

#: Each level in words, for captions, tables and the provenance.
LEVEL_NAMES = {
    SECTION: N_("the 19 NACE sections A-S (as in Tabel 1.1)"),
    A10: N_("Eurostat's ten groups of sections (A, B-E, F, G-I, J, K, L, M-N, O-Q, R-U)"),
    DE_NUTS3: N_("the six groups Eurostat publishes for German NUTS 3 regions (A, B-E, F, G-J, K-N, O-U)"),
}
#: Short names, for chart titles.
LEVEL_SHORT = {
    SECTION: N_("NACE sections"),
    A10: N_("Eurostat's ten sector groups"),
    DE_NUTS3: N_("the six sector groups of German NUTS 3 regions"),
}

#: English labels of the groups (the sections have theirs in the employees_by_sector dataset).
GROUP_LABELS = {
    "A": N_("Agriculture, forestry and fishing"),
    "B-E": N_("Industry: mining, manufacturing, energy and water"),
    "C": N_("Manufacturing (part of B-E)"),
    "F": N_("Construction"),
    "G-I": N_("Trade, transport, accommodation and food services"),
    "J": N_("Information and communication"),
    "K": N_("Financial and insurance activities"),
    "L": N_("Real estate activities"),
    "M-N": N_("Professional, scientific, technical, administrative and support services"),
    "O-Q": N_("Public administration, education, health and social work"),
    "R-U": N_("Arts, recreation and other services"),
    "G-J": N_("Trade, transport, accommodation, food services, information and communication"),
    "K-N": N_("Finance, real estate, professional, scientific, technical, administrative and support services"),
    "O-U": N_("Public administration, education, health, social work, arts, recreation and other services"),
}

#: What each coarser level cannot show (manufacturing is said separately: ``limits``).
_LEVEL_LIMITS = {
    SECTION: "",
    A10: N_(
        "trade, transport and hospitality are one group (G-I), as are business services (M-N), public "
        "administration, education and health (O-Q) and the other services (R-U, which also counts households as "
        "employers and extraterritorial bodies, T and U, where the source does; Tabel 1.1 has neither)"
    ),
    DE_NUTS3: N_(
        "trade, transport, hospitality and information and communication are one group (G-J), finance, real "
        "estate and business services another (K-N), and public administration, education, health and all "
        "other services a third (O-U): no share or location quotient can be given for, say, ICT, finance or "
        "health alone"
    ),
}


def codes(level: str) -> tuple[str, ...]:
    """The group codes of ``level`` in order (a ValueError naming the levels for an unknown one)."""
    if level not in GROUPS:
        raise ValueError(f"unknown level {level!r}; valid: {', '.join(LEVELS)}")
    return tuple(GROUPS[level])


def allows_manufacturing_row(level: str) -> bool:
    """Whether a region file at ``level`` may add C as a row beside its groups (the coarser levels)."""
    return level != SECTION


def limits(level: str, has_manufacturing: bool) -> str:
    """The sentence part saying what ``level`` cannot show ('' at the section level)."""
    if level == SECTION:
        return ""
    manufacturing = (
        _(
            "manufacturing (C) is shown beside B-E as the part of it the source publishes, but mining, "
            "energy and water are not separate"
        )
        if has_manufacturing
        else _(
            "manufacturing (C) is not separate from mining, energy and water (B-E), so no manufacturing "
            "share or manufacturing location quotient can be given"
        )
    )
    return f"{manufacturing}; {_(_LEVEL_LIMITS[level])}"


def parts(code: str) -> tuple[str, ...]:
    """The codes one level finer that make up ``code``: a German NUTS 3 group's A10 groups, an A10 group's
    sections (T and U included); () for a section."""
    sections = set(_sections(code))
    if code in GROUPS[DE_NUTS3] and code not in GROUPS[A10]:
        return tuple(g for g, members in GROUPS[A10].items() if set(members) <= sections)
    if code in GROUPS[A10] and len(sections) > 1:
        return GROUPS[A10][code]
    return ()


def _sections(code: str) -> tuple[str, ...]:
    for level in (A10, DE_NUTS3):
        if code in GROUPS[level]:
            return GROUPS[level][code]
    return (code,)


def value_of(code: str, published: Callable[[str], float | None]) -> float | None:
    """``code``'s value: as ``published`` gives it, else the sum of its ``parts`` (recursively) when each is
    known; T and U count as absent when unpublished. None when it cannot be had either way."""
    value = published(code)
    if value is not None:
        return value
    if code in OUTSIDE_TABLE_1_1:
        return 0.0
    pieces = parts(code)
    if not pieces:
        return None
    values = [value_of(piece, published) for piece in pieces]
    return None if any(v is None for v in values) else sum(values)


def at_level(level: str, published: Callable[[str], float | None]) -> tuple[dict[str, float], list[str]]:
    """Values of ``level``'s groups (published or summed from their parts) and the groups that cannot be had."""
    values, missing = {}, []
    for code in codes(level):
        value = value_of(code, published)
        if value is None:
            missing.append(code)
        else:
            values[code] = value
    return values, missing


def aggregate_sections(values: Mapping[str, float], level: str) -> dict[str, float]:
    """A mapping section -> value summed to ``level``'s groups (sections absent from ``values``, such as T and U
    for Tabel 1.1, add nothing)."""
    return {code: sum(values.get(s, 0.0) for s in members) for code, members in GROUPS[level].items()}
