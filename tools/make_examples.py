"""Write the example region files in examples/ from the report's Tabel 1.1 (see helpers.examples)."""

from helpers.examples import write_examples

if __name__ == "__main__":
    for path in write_examples():
        print(path)
