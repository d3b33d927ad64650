"""A public participation portal published through git.

The content model (``portal.model``, ``portal.forms``, ``portal.datasets``) knows nothing of
any site generator; ``portal.mkdocs_plugin`` and ``portal.pelican_plugin`` are thin adapters
over it, and ``portal.endpoint`` reads only the form manifests a build writes.
"""
