"""The book's one number format: counts, decimals, percentages and p-values for prose, tables and charts.

A true minus sign, thousands grouped by a narrow no-break space, units after a no-break space ('%' attached),
'p < 0.001' for tiny p-values, an en dash for a missing value. In the Dutch edition (``helpers.i18n``) the
decimal sign and the thousands separator are Dutch ones, as CLDR gives them for nl_NL (babel) and as the report
prints them: '1.082', '14,9%', 'p = 0,032'; the digits, the minus sign and the spaces stay the same.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import get_decimal_symbol, get_group_symbol

from . import i18n
from .i18n import N_, _

#: Typographic pieces of the book's one number format.
MINUS = "\u2212"  # a true minus sign, not a hyphen
THOUSANDS = "\u202f"  # narrow no-break space: groups thousands and never breaks a number across lines
UNIT_SPACE = "\u00a0"  # no-break space between a number and its unit
MISSING = "\u2013"  # en dash for a missing value
_ATTACHED_UNITS = ("%", "\u2030", "\u00b0")
_SUPERSCRIPT = str.maketrans("23", "\u00b2\u00b3")
_UNIT_POWER = re.compile(r"(?<=[A-Za-z\u00b5])\^?([23])\b")
#: Units written as words, translated where a number is written with them (``fmt``'s ``unit``).
UNIT_WORDS = (N_("million"), N_("percentage points"), N_("thousand"))
#: The CLDR locale of each language's number symbols.
LOCALES = {"en": "en_GB", "nl": "nl_NL"}


def _symbols(language: str) -> tuple[str, str]:
    """The decimal sign and the thousands separator of ``language``: '.' and the narrow no-break space in
    English (the book's), the locale's own (',' and '.') in Dutch."""
    if language == i18n.DEFAULT:
        return ".", THOUSANDS
    return get_decimal_symbol(LOCALES[language]), get_group_symbol(LOCALES[language])


def localised(digits: str) -> str:
    """Digits written the English way ('1,082.5', thousands by commas) in the current language's symbols
    ('1\u202f082.5' in English, '1.082,5' in Dutch)."""
    decimal, group = _symbols(i18n.current())
    return digits.translate({ord(","): group, ord("."): decimal})


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, (float, np.floating)) and math.isnan(value))
    except TypeError:
        return False


def unit_symbol(text: str) -> str:
    """A unit symbol typeset: powers as superscripts ('km2' and 'km^2' become 'km²')."""
    return _UNIT_POWER.sub(lambda m: m.group(1).translate(_SUPERSCRIPT), text.strip())


def fmt(value: float | int | None, decimals: int = 1, unit: str = "", *, signed: bool = False) -> str:
    """The book's one number format, for prose, tables and code-written text.

    Integers (Python or numpy ints) are counts and always shown without decimals; other numbers are rounded to
    ``decimals``. Thousands are grouped by a narrow no-break space, negatives carry a true minus sign (U+2212)
    and a value that rounds to zero never shows one ('0.00', not '−0.00'); ``signed=True`` adds '+' to positive
    values (differences). ``unit`` is typeset by :func:`unit_symbol`: '%' is attached ('14.9%'), other units
    follow a no-break space ('12.5 km²'); a unit word is in the reader's language (``UNIT_WORDS``: '2,7 miljoen').
    Missing values (None, NaN, NA) give an en dash.
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return _("yes") if value else _("no")
    if isinstance(value, (int, np.integer)):
        decimals = 0
    number = float(value)
    if math.isinf(number):
        return ("" if number > 0 else MINUS) + "\u221e"
    digits = f"{abs(number):,.{decimals}f}"
    is_zero = float(digits.replace(",", "")) == 0
    sign = "" if is_zero else (MINUS if number < 0 else ("+" if signed else ""))
    text = sign + localised(digits)
    if unit:
        symbol = unit_symbol(_(unit))
        text += symbol if symbol.startswith(_ATTACHED_UNITS) else UNIT_SPACE + symbol
    return text


def pct(value: float | None, decimals: int = 1, *, signed: bool = False) -> str:
    """A percentage for the prose ('14.9%'), in the format of :func:`fmt`."""
    return fmt(value, decimals, "%", signed=signed)


def p_cell(p: float | None) -> str:
    """A p-value in a table cell: '< 0.001', else three decimals ('0.032'); '–' when missing."""
    if is_missing(p):
        return MISSING
    return "< " + localised("0.001") if float(p) < 0.001 else fmt(float(p), 3)


def raw_number(text: Any) -> Any:
    """The number behind a cell formatted by :func:`fmt` ('1 082' -> 1082, '−0.5' -> -0.5; in Dutch '1.082' ->
    1082, '−0,5' -> -0.5), else the input.

    Used for the CSV downloads, which carry raw numbers; '–' becomes None (an empty cell).
    """
    if not isinstance(text, str):
        return text
    stripped = text.strip()
    if stripped in (MISSING, "-", "\u2014", ""):
        return None
    decimal, group = _symbols(i18n.current())
    plain = stripped.replace(THOUSANDS, "").replace("\u2009", "").replace(UNIT_SPACE, "").replace(MINUS, "-")
    if decimal != ".":
        plain = plain.replace(group, "").replace(decimal, ".")
    if re.fullmatch(r"[+-]?\d+", plain):
        return int(plain)
    if re.fullmatch(r"[+-]?\d*\.\d+", plain):
        return float(plain)
    return text


def pvalue(p: float | None, prefix: bool = True) -> str:
    """A p-value for the prose ('p = 0.032', 'p < 0.001') or, with ``prefix=False``, a table cell ('0.032',
    '< 0.001'). Tiny or underflowed p-values (0.0) show as '< 0.001', never as 0; a missing p as 'not computable'.
    """
    if p is None or (isinstance(p, (float, np.floating)) and math.isnan(p)) or p is pd.NA:
        return _("p not computable") if prefix else _("not computable")
    if not 0 <= p <= 1:
        raise ValueError(f"a p-value must lie between 0 and 1, got {p}")
    if p < 0.001:
        return "p < " + localised("0.001") if prefix else "< " + localised("0.001")
    return f"p = {localised(f'{p:.3f}')}" if prefix else localised(f"{p:.3f}")


def general(value: float) -> str:
    """A value as Python's general format writes it ('0.05', '47', '1e-05'), in the current language's symbols:
    a level or a printed value quoted as given, not rounded to the book's decimals."""
    return localised(f"{value:g}")


def long_date(value) -> str:
    """A day written out in the current language: '11 December 2014' in English, '11 december 2014' in Dutch
    (``value``: anything ``pandas.Timestamp`` reads, such as '2014-12-11')."""
    day = pd.Timestamp(value)
    if i18n.current() == i18n.DEFAULT:
        return f"{day:%-d %B %Y}"
    return format_date(day.date(), "d MMMM y", locale=LOCALES[i18n.current()])


def confidence_level(alpha: float) -> str:
    """The level of the intervals that go with significance level ``alpha``, as the prose names it: '95%' for
    0.05, '97.5%' for 0.025, '99.9%' for 0.001 (never cut to a whole percent)."""
    return localised(f"{100 * (1 - alpha):.6f}".rstrip("0").rstrip(".")) + "%"


def decimals_of(value: float) -> int:
    """Decimals a stated value was printed with (13.2 -> 1, 7 -> 0)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0
