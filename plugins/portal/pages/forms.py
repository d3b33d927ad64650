"""Forms in pages and their manifests: the same definition gives both."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from portal import clock, i18n, urls
from portal.forms import versions
from portal.forms.definition import manifest
from portal.forms.languages import in_language
from portal.generated import GeneratedFile, GeneratedPage
from portal.site import Portal


def site_path(portal: Portal, url: str) -> str:
    """The absolute URL path of a page, under the site's own path when it has one."""
    base = urlparse(portal.settings.site_url).path.rstrip("/")
    return f"{base}/{url}"


def page_file(portal: Portal, url_path: str) -> str:
    base = urlparse(portal.settings.site_url).path.rstrip("/")
    relative = url_path.removeprefix(base).strip("/")
    return f"{relative}/index.html" if relative else "index.html"


def form_manifest(
    portal: Portal,
    form: dict[str, Any],
    url_path: str,
    *,
    opens: datetime | None = None,
    closes: datetime | None = None,
    contact_email: str | None = None,
) -> dict[str, Any]:
    return manifest(
        form,
        page_url=url_path,
        page_file=page_file(portal, url_path),
        opens=opens,
        closes=closes,
        timezone=portal.settings.timezone,
        site_url=portal.settings.site_url,
        contact_email=contact_email,
    )


def action_url(portal: Portal, form_id: str) -> str:
    return portal.settings.endpoint_url.rstrip("/") + urls.responses(form_id)


def form_block(
    portal: Portal,
    form: dict[str, Any],
    url_path: str,
    *,
    opens: datetime | None = None,
    closes: datetime | None = None,
) -> str:
    """The form's HTML as the endpoint would render it with no answers yet."""
    from portal.forms.render import render_form

    # The static page carries no submission id: every visitor would share it. The page's
    # script adds a random one; without JavaScript the endpoint recognises a repeat itself.
    # In the words of the language being built: the endpoint re-renders a refused post
    # through the same in_language, in the language the page posts (portal_language).
    data = form_manifest(portal, form, url_path, opens=opens, closes=closes)
    return render_form(
        in_language(data, portal.settings.language),
        theme_dir=portal.settings.theme_dir,
        submission_id="",
        action=action_url(portal, form["id"]),
        words=i18n.words(portal.settings.language, portal.settings.locale_dir),
    )


def manifest_files(portal: Portal) -> list[GeneratedFile]:
    files = []
    # Forthcoming and closed forms get a manifest too: the endpoint, not the build, decides
    # whether a post is in time, to the second.
    for consultation in portal.consultations:
        if consultation.form:
            data = form_manifest(
                portal,
                consultation.form,
                site_path(portal, consultation.url),
                opens=consultation.opens,
                closes=consultation.closes,
                contact_email=consultation.contact.email,
            )
            files += _versioned(portal, data, consultation.opens)
    for page in portal.page_forms.values():
        url = site_path(portal, GeneratedPage(page.src_uri, "").url)
        files += _versioned(portal, form_manifest(portal, page.form, url), None)
    return files


def _versioned(portal: Portal, data: dict[str, Any], opens: datetime | None) -> list[GeneratedFile]:
    """The manifest, and every version of it that took responses (portal.forms.versions).

    A form that accepts responses now has its version kept in the repository, so that
    check and later builds know what its stored answers mean; a forthcoming one does not,
    so staff may still change it freely.
    """
    if opens is None or opens <= clock.now():
        versions.record(portal.settings.root, data)
    kept = versions.kept(portal.settings.root, data["id"])
    kept[data["version"]] = data
    files = [_json_file(data)]
    for version, old in sorted(kept.items()):
        files.append(_json_file(old, urls.manifest_version(data["id"], version)))
    return files


def _json_file(data: dict[str, Any], dest: str = "") -> GeneratedFile:
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return GeneratedFile(dest or urls.manifest(data["id"]), content=text.encode("utf-8"))
