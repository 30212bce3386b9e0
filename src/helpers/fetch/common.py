"""What the fetchers share: the check of a requested year and the shape of a fetched region's id."""

from __future__ import annotations


def check_year(year: int, first: int, last: int, what: str) -> int:
    """``year`` if ``first <= year <= last``; a ValueError naming ``what`` (e.g. "table 83582NED") and the range."""
    if not first <= year <= last:
        raise ValueError(f"year {year} is outside {what}; valid: {first} to {last}")
    return year


def region_id(prefix: str, code: str) -> str:
    """The region file's id of a fetched region, e.g. ``corop-cr17`` or ``nuts3-de94b``: the source's prefix and the
    code in lower case, so letters, digits and hyphens (the region-file schema), and no report region or alias
    looks like it."""
    return f"{prefix}-{code.lower()}"
