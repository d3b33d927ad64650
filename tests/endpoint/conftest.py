"""Fixtures for the endpoint tests (defined in endpoint_site.py, which tests import)."""

from endpoint_site import client, settings, site, storage

__all__ = ["client", "settings", "site", "storage"]
