"""Forms: one definition in front matter gives the HTML form, the endpoint's validation,
the export's Table Schema and the published metadata (all through the manifest)."""
