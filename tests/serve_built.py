"""Serve an already built site plus the endpoint on one origin, for browser tests.

``portal serve`` builds first; the tests build once per session and then start this.
"""

from __future__ import annotations

import sys
from pathlib import Path

from portal.endpoint.app import create_app
from portal.endpoint.config import EndpointSettings
from portal.endpoint.server import run


def main() -> None:
    site, port = Path(sys.argv[1]), int(sys.argv[2])
    app = create_app(EndpointSettings.from_env(), site_dir_to_serve=site)
    run(app, host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
