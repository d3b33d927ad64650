"""The pages nginx answers with itself, in each language the site is built in.

Three refusals never reach the endpoint (deploy/nginx/portal.conf): a body over nginx's
limit (413), more bodies at once from one address than it allows (429), and an endpoint
that is down or too slow to answer (502, 504). nginx cannot make a page, so each build
writes them as files in its language's folder, beside its shell page
(``_portal/refusals/too_large.html``, ``cy/_portal/refusals/too_large.html``;
portal.pages.refusals calls ``write``), made the way the endpoint makes its own refusals:
the shell page around ``message.html``, in the catalogue's words. So they look like the
site (its header, footer, ``<html lang>``) and say what the endpoint says for the same
refusal (a body too large is one refusal, whichever of the two sees it first). nginx picks
the file of the language the form's address names (``?language=cy``,
portal.forms.languages), else the site's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from portal import i18n
from portal.endpoint.pages import SHELL_FILE, Pages
from portal.i18n import Words

FOLDER = "_portal/refusals"  # in each language's folder; portal.conf names it too
# Seconds nginx asks a client to wait: its Retry-After on the 429 and 502 pages.
WAIT = 60
# Nothing of a refused post was stored, but the browser still has the form as it was
# filled in: going back loses nothing, which is what a person most needs to hear.
KEPT = i18n.to_translate(
    "Any answers you were sending are not lost: go back, and they should still be in the form."
)


@dataclass(frozen=True)
class Refusal:
    name: str  # the file's name, and the named location of the plain page in portal.conf
    title: str
    paragraphs: tuple[str, ...]

    def said(self, words: Words) -> tuple[str, list[str]]:
        """The title and paragraphs in the language of ``words``."""
        return words(self.title), [words(p, wait=WAIT) for p in self.paragraphs]


TOO_LARGE = Refusal(
    "too_large",
    i18n.to_translate("Your response is too long to send"),
    (KEPT, i18n.to_translate("Shorten your answers and send them again.")),
)
BUSY = Refusal(
    "busy",
    # Not only responses: every post (signing in, subscribing to alerts) is counted.
    i18n.to_translate("Too many requests from your connection"),
    (KEPT, i18n.to_translate("Wait {wait} seconds, then try again.")),
)
UNAVAILABLE = Refusal(
    "unavailable",
    i18n.to_translate("Sorry, there is a problem with the service"),
    (KEPT, i18n.to_translate("Try again later.")),
)
REFUSALS = (TOO_LARGE, BUSY, UNAVAILABLE)


def write(site_root: Path, folder: str, words: Words, theme_dir: Path) -> None:
    """The refusal pages in the language of ``words`` into ``folder`` of the site at
    ``site_root`` ('' or 'cy/'), from the shell page its build wrote there; none without one.
    From the whole site's root, as the endpoint works: Pages finds that language's shell
    under it and makes the links absolute from the shell's address (/cy/_portal/page/)."""
    target = site_root / folder
    if not (target / SHELL_FILE).is_file():
        return
    pages = Pages(site_root, theme_dir)
    (target / FOLDER).mkdir(parents=True, exist_ok=True)
    for refusal in REFUSALS:
        title, paragraphs = refusal.said(words)
        html = pages.template("message.html", title, words, paragraphs=paragraphs)
        (target / FOLDER / f"{refusal.name}.html").write_text(html, encoding="utf-8")
