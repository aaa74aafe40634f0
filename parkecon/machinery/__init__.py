"""Book machinery: code that runs while the book is built, never inside a chapter's analysis.

The package has three rooms: data (load, validate, provenance: `parkecon/data.py`,
`provenance.py`, ...), chapter analytics (one module per chapter), and this folder:
the Sphinx hooks (`sphinxext`, `kithook`, `latex`), the execution cache that records what
each notebook read (`cache`, `kernel_reads`, `prerun`), the toc reader (`toc`) and the
workshop kit (`learner`).
"""
