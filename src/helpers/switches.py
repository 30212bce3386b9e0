"""The switch of the build's speed tricks: ``REGBOOK_TRICKS_OFF=name,name`` (or ``all``) turns them off.

``regbook.tricks`` lists the tricks, with the internals of another library each one bets on and the test that
guards it. The switch is read here, in the library, because two of the tricks run in it (``helpers.figures``,
``helpers.stats``) and the library never imports the build tool. Standard library only; read at each use, so that
a compile or a kernel started with another environment follows its own.
"""

from __future__ import annotations

import os

#: The environment variable: comma-separated names of tricks to switch off, or ``all``.
ENV = "REGBOOK_TRICKS_OFF"
#: The name that switches every trick off.
ALL = "all"


def switched_off() -> frozenset[str]:
    """The names ``REGBOOK_TRICKS_OFF`` lists (``ALL`` among them when it says ``all``), unchecked."""
    return frozenset(name.strip() for name in os.environ.get(ENV, "").split(",") if name.strip())


def on(name: str) -> bool:
    """True unless ``REGBOOK_TRICKS_OFF`` names the trick ``name`` or says ``all``."""
    off = switched_off()
    return name not in off and ALL not in off
