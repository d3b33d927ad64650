"""``portal new consultation SLUG``: a valid, commented skeleton to start from."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

from portal.model.consultations import SLUG
from portal.settings import load_settings
from portal.site import build_time

TEMPLATE = """\
---
# The consultation's name, as people will search for it.
title: {title}
# One or two sentences: what is proposed and who it affects. Shown in lists and feeds.
summary: Tell us what you think about our proposal for {title_lower}.
# Who is consulting: the organisation and the service.
organisation: {organisation}
# Who people can ask about the consultation. email is required; name and phone are optional.
contact:
  name: Consultations Team
  email: consultations@example.org  # your team's address
# ISO 8601 dates. No offset means the site's time zone ({timezone}); a bare closing date
# means 23:59:59 that day.
opens: {opens}T09:00
closes: {closes}
# Short topic names and the area affected; reuse names other consultations use.
topics: [Transport]
area: Citywide
# Files in this folder, shown with their format and size.
documents: []
#  - title: Consultation document
#    file: documents/consultation.pdf
# Keep it out of the public site until it is ready: delete this line or set it to false.
draft: true
# The questions. Types: text, textarea, email, number, radio, checkboxes, select, scale,
# date, consent. See the publishers' guide for every option.
form:
  questions:
    - id: support
      type: radio
      label: Do you support the proposal?
      required: true
      options: [Yes, No, Not sure]
    - id: comments
      type: textarea
      label: Tell us why
      max_length: 2000
---
## What we propose

Describe the proposal in plain English.

## Why we are consulting

Say what can still change because of what people tell you.

## What happens next

Say when you will publish the outcome.
"""


def new_consultation(root: Path, slug: str) -> int:
    if not SLUG.match(slug):
        print(
            f"'{slug}' cannot be a web address: use lower-case letters, digits and hyphens, "
            "such as 'bus-lanes-2027'.",
            file=sys.stderr,
        )
        return 2
    folder = root / "consultations" / slug
    if folder.exists():
        print(f"consultations/{slug} already exists: choose another name.", file=sys.stderr)
        return 2
    (folder / "documents").mkdir(parents=True)
    title = slug.replace("-", " ").capitalize()
    settings = load_settings(root)
    # A week from today in the site's time zone (PORTAL_NOW pins "today" for previews).
    opens = build_time(tz=settings.tz).astimezone(settings.tz).date() + timedelta(days=7)
    text = TEMPLATE.format(
        title=title,
        title_lower=title.lower(),
        # JSON is YAML: quoted, so a name with a colon stays one value.
        organisation=json.dumps(settings.organisation or settings.site_name),
        timezone=settings.timezone,
        opens=opens.isoformat(),
        closes=(opens + timedelta(weeks=12)).isoformat(),
    )
    (folder / "index.md").write_text(text, encoding="utf-8")
    print(f"Wrote consultations/{slug}/index.md (a draft). Edit it, then run 'portal check'.")
    return 0
