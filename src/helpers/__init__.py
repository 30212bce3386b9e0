"""Helpers for the book on the NEF 2016 report 'Regionale dynamiek en beroepsonderwijs'.

One module per concern: ``regions`` (registry), ``data`` (loading and validation), ``indices``
(regional structure indices), ``stats`` (statistical comparisons), ``plots`` (theme), ``params``
(book parameters), ``book`` (glue for chapters), ``content`` (the report's case studies, synthesis and recommendations
rendered from ``data/``). The tool that builds the book is the package ``regbook``
beside this one (``python -m regbook``, or ``python -m helpers``); this library never imports it.
"""

__version__ = "0.1.0"
