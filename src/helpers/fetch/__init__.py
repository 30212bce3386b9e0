"""Region files from official statistics: ``python -m helpers fetch cbs|eurostat``.

``cbs`` reads Statistics Netherlands' table 83582NED (jobs of employees in December, by SBI sector and COROP region)
through the ``cbsodata`` client; ``eurostat`` reads Eurostat's ``nama_10r_3empers`` (persons employed, annual, by
NUTS 3 region and A10 activity group) through ``sdmx1``. Each writes a region file, the country's reference file
from the same source and year, and a provenance sidecar beside each (``writer``). The clients are imported only
when a fetch runs; nothing here imports the build stack, and the build does not import the clients.
"""
