"""Open data published as Frictionless data packages: read, validate, chart and page them.

The build reads packages with ``reader.read_datasets`` (in a worker process, see
``portal.parallel``) and pages them with ``pages.dataset_outputs``; a page that quotes
figures names its package in ``figures_from:`` (``portal.model.figures``). Only ``reader``,
``validate`` and ``tables`` import frictionless, so building pages from datasets already
read does not pay for importing it. Nothing here imports MkDocs or Pelican.

Around them: ``descriptor`` reads metadata in its v1 and v2 spellings, ``options`` the
portal's own ``portal.yml`` beside a package, ``readme`` makes a GitHub README's links work
on the site, ``freshness`` compares the update frequency with the last change, and
``browse`` writes every row of a resource to sorted static pages with an alphabetical index
(searched by theme/assets/portal/rowfind.js).
"""
