"""Write N region files generated from the report's Tabel 1.1 into a folder, to try or benchmark a batch of hundreds
of regions without a network (see helpers.generated_regions).

Usage: .venv/bin/python tools/make_regions.py N FOLDER    (then: python -m helpers build --region-file FOLDER)
"""

import argparse

from helpers.generated_regions import write_generated

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many region files (gen-0001.csv ...)")
    parser.add_argument("folder", help="where to write them (created if missing)")
    args = parser.parse_args()
    for path in write_generated(args.folder, args.count):
        print(path)
