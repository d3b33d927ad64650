"""The "Get emails about new consultations" page at alerts/: a plain form that posts to the
endpoint's /alerts/subscribe (portal.alerts.routes), so it works on any static host, with
or without JavaScript. Its choices are the topics and areas the consultations have."""

from __future__ import annotations

from portal import urls
from portal.alerts.subscriptions import Choice
from portal.generated import GeneratedPage
from portal.i18n import to_translate
from portal.render import render
from portal.site import Portal

TITLE = to_translate("Get emails about new consultations")  # the endpoint shows it too


def alerts_page(portal: Portal) -> GeneratedPage:
    topics = sorted({t for c in portal.consultations for t in c.topics})
    areas = sorted({a for c in portal.consultations for a in c.area})
    action = portal.settings.endpoint_url.rstrip("/") + urls.ALERTS_SUBSCRIBE
    _ = portal.words

    def wrap(_html: str, base: str) -> str:
        return render(
            portal.settings.theme_dir,
            "alerts/subscribe.html",
            heading=_(TITLE),
            action=action,
            privacy=f"{base}{urls.page('privacy.md')}",
            email="",
            topics=topics,
            areas=areas,
            chosen=Choice(),
            error="",
            _=_,
        )

    return GeneratedPage(
        src_uri=f"{urls.ALERTS}index.md",
        title=_(TITLE),
        meta={"description": _("Get an email when a new consultation or an outcome is published.")},
        wrap=wrap,
    )
