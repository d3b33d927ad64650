"""Checking what a browser without JavaScript shows, where a check itself needs JavaScript.

axe runs as a script (it does not finish in a context with JavaScript off), so the pages are
opened with JavaScript and then given what a browser without it shows: each <noscript>'s
content as elements, and Material's no-js class (which hides its own search).
"""

from __future__ import annotations

from typing import Any

AS_WITHOUT_JAVASCRIPT = """() => {
  document.querySelectorAll('noscript').forEach(n => {
    const t = document.createElement('template');
    t.innerHTML = n.textContent;
    n.replaceWith(t.content);
  });
  document.documentElement.classList.remove('js');
  document.documentElement.classList.add('no-js');
}"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def as_without_javascript(page: Any) -> None:
    page.evaluate(AS_WITHOUT_JAVASCRIPT)


def overflow(page: Any) -> int:
    """How far the page scrolls sideways (Playwright's evaluate works with JavaScript off)."""
    value: int = page.evaluate(OVERFLOW)
    return value
