"""The site's areas (wards, districts) and the map of consultations by area.

Areas are an open dataset like any other: a data package in ``datasets/`` with a GeoJSON
resource, named by the portal plugin's ``areas:`` option in mkdocs.yml (``read``). A
consultation's ``area:`` names areas of that package, or ``Citywide`` (``coverage``); the
build draws the areas as an SVG map whose areas link to their filter pages (``draw``).

Importing this package loads no geometry library: the filter pages use ``coverage`` alone.
"""
