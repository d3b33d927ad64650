"""The one slug rule: how a label becomes part of an address or a stored value.

Filter pages (``/consultations/topic/climate-and-environment/``) and form option values
(``value`` when staff give only a label) both come from here, so the same words always give
the same slug. Accents are folded (``Café`` -> ``cafe``) rather than dropped.
"""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, *, fallback: str, max_length: int | None = None) -> str:
    """'Climate and environment' -> 'climate-and-environment'; ``fallback`` if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if max_length is not None:
        slug = slug[:max_length].rstrip("-")
    return slug or fallback
