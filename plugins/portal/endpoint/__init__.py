"""The form endpoint: an ASGI app that reads the built form manifests, checks each posted
response against its form, stores it durably and only then says so.

It imports nothing from the build side; the manifests and pages in the built site folder are
its whole interface (see ``portal/forms/manifest.schema.json``).
"""

from portal.endpoint.app import create_app
from portal.endpoint.config import EndpointSettings

__all__ = ["EndpointSettings", "create_app"]
