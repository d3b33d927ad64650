"""Open data published as Frictionless data packages: read, validate, chart and page them.

The build reads packages with ``reader.read_datasets`` (in a worker process, see
``portal.parallel``) and pages them with ``pages.dataset_outputs``; a page that quotes
figures names its package in ``figures_from:`` (``portal.model.figures``). Only ``reader``,
``validate`` and ``tables`` import frictionless, so building pages from datasets already
read does not pay for importing it. Nothing here imports MkDocs or Pelican.
"""
