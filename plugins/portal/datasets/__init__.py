"""Open data published as Frictionless data packages: read, validate, chart and page them.

The build reads packages with ``reader.read_datasets`` (in a worker process, see
``portal.parallel``) and pages them with ``pages.dataset_outputs``; the programme page takes
its figures from ``skills``. Only ``reader``, ``validate`` and ``tables`` import frictionless,
so building pages from datasets already read does not pay for importing it. Nothing here
imports MkDocs or Pelican.
"""
