"""Book machinery that runs while the book is built, never inside a notebook.

Kept apart from the modules the notebooks run, so that a change here does not count as a
change of the helper code that the execution cache fingerprints (parkecon/cache.py reads
the package's top-level modules only).
"""
