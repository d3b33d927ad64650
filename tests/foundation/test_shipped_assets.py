"""What visitors download: Material's CSS trimmed to what a site can use, addresses cacheable
(portal.shipped_assets). The demo's own build is checked in tests/a11y/test_lighthouse.py."""

from __future__ import annotations

import hashlib
from pathlib import Path

from portal.shipped_assets import Evidence, finish, trim

PAGE = """<!doctype html><html><head>
<link rel="stylesheet" href="../assets/stylesheets/main.0123abcd.min.css">
<link rel="stylesheet" href="../assets/portal/portal.css">
<link rel="stylesheet" href="https://elsewhere.example/x.css">
</head><body data-md-color-primary="indigo">
<div class="md-header" id="top"><nav class="md-nav md-nav--primary">
<a class="md-nav__link" href="#">x</a></nav></div>
<script src="../assets/javascripts/bundle.89abcdef.min.js"></script>
<script src="../assets/portal/forms.js"></script>
</body></html>"""
BUNDLE = 'x("div",{class:"md-search-result__item"});y(`md-tag--${kind}`)'


def evidence(tmp_path: Path) -> Evidence:
    from portal.shipped_assets import gather

    (tmp_path / "a").mkdir(exist_ok=True)
    (tmp_path / "a" / "index.html").write_text(PAGE, encoding="utf-8")
    script = tmp_path / "bundle.js"
    script.write_text(BUNDLE, encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "error.html").write_text('<p class="portal-error">', encoding="utf-8")
    return gather(tmp_path, [script], [templates])


def test_rules_for_what_the_site_has_are_kept_and_the_others_dropped(tmp_path: Path) -> None:
    css = (
        ".md-header{color:red}"
        ".md-tabs{color:blue}"  # a component the site never shows
        ".md-nav--primary .md-nav__link,.md-tabs__link{margin:0}"  # one of two selectors
        ".md-search-result__item{padding:0}"  # made by the bundle, in no page
        ".md-tag--ok{x:1}"  # the bundle builds md-tag--${kind}
        ".portal-error{y:1}"  # in a template the endpoint fills pages with
        "#top{z:1}#nowhere{z:2}"
        "kbd{font:mono}nav>a{b:1}"
        "[data-md-color-primary=indigo]{c:1}[data-md-color-primary=pink]{c:2}"
        ".md-header:not(.md-tabs){d:1}"  # what :not() names need not exist
        ":is(.md-tabs,.md-nav){e:1}:is(.md-tabs,.md-tooltip){e:2}"
        "@media print{.md-tabs{f:1}}@media screen{.md-header{f:2}}"
        ".md-header::before,.md-header:hover{g:1}"
    )
    out = trim(css, evidence(tmp_path))
    assert ".md-header{color:red}" in out
    assert ".md-tabs" not in out.replace(":not(.md-tabs)", "").replace(":is(.md-tabs,.md-nav)", "")
    assert ".md-nav--primary .md-nav__link{margin:0}" in out
    assert ".md-search-result__item{padding:0}" in out
    assert ".md-tag--ok{x:1}" in out
    assert ".portal-error{y:1}" in out
    assert "#top{z:1}" in out and "#nowhere" not in out
    assert "kbd" not in out and "nav>a{b:1}" in out
    assert "indigo]{c:1}" in out and "pink" not in out
    assert ".md-header:not(.md-tabs){d:1}" in out
    assert ":is(.md-tabs,.md-nav){e:1}" in out and "e:2" not in out
    assert "@media print" not in out and "@media screen{.md-header{f:2}}" in out
    assert ".md-header::before,.md-header:hover{g:1}" in out


def test_unread_custom_properties_and_unused_keyframes_go(tmp_path: Path) -> None:
    css = (
        ":root{--used:1px;--via:var(--chained);--chained:2px;--unread:url(data:x;y);--gone:3}"
        ".md-header{width:var(--used);height:var(--via)}"
        ".md-tabs{top:var(--gone)}"
        "@keyframes spin{0%{a:1}to{a:2}}@keyframes unused{0%{b:1}}"
        ".md-nav{animation:spin 1s}"
    )
    out = trim(css, evidence(tmp_path))
    assert "--used:1px" in out and "--via:var(--chained)" in out and "--chained:2px" in out
    assert "--unread" not in out and "--gone" not in out
    assert "@keyframes spin" in out and "unused" not in out


def test_the_site_loads_the_trimmed_copy_and_versioned_own_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "consultations").mkdir(parents=True)
    (site / "consultations" / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "index.html").write_text(PAGE.replace("../assets", "assets"), encoding="utf-8")
    stylesheets = site / "assets" / "stylesheets"
    stylesheets.mkdir(parents=True)
    material = stylesheets / "main.0123abcd.min.css"
    material.write_text(
        ".md-header{a:1}.md-tabs{b:1}\n/*# sourceMappingURL=main.0123abcd.min.css.map*/",
        encoding="utf-8",
    )
    (site / "assets" / "portal").mkdir()
    own = site / "assets" / "portal" / "portal.css"
    own.write_text(".portal{c:1}", encoding="utf-8")
    (site / "assets" / "portal" / "forms.js").write_text("1", encoding="utf-8")
    (site / "assets" / "javascripts").mkdir()
    (site / "assets" / "javascripts" / "bundle.89abcdef.min.js").write_text(BUNDLE, "utf-8")

    finish(site, [])

    trimmed = [p for p in stylesheets.iterdir() if p.name.count(".") == 4]
    assert len(trimmed) == 1, list(stylesheets.iterdir())
    assert trimmed[0].read_text("utf-8") == ".md-header{a:1}"
    digest = hashlib.sha256(b".md-header{a:1}").hexdigest()[:8]
    assert trimmed[0].name == f"main.0123abcd.{digest}.min.css"
    assert material.read_text("utf-8").startswith(".md-header{a:1}.md-tabs")  # still there
    own_digest = hashlib.sha256(b".portal{c:1}").hexdigest()[:8]
    for page, prefix in ((site / "consultations" / "index.html", "../"), (site / "index.html", "")):
        html = page.read_text("utf-8")
        assert f'href="{prefix}assets/stylesheets/{trimmed[0].name}"' in html
        assert f'href="{prefix}assets/portal/portal.css?v={own_digest}"' in html
        assert f'src="{prefix}assets/portal/forms.js?v=' in html
        # Already named by their content, or not the site's own: as they were.
        assert f'src="{prefix}assets/javascripts/bundle.89abcdef.min.js"' in html
        assert 'href="https://elsewhere.example/x.css"' in html


def test_a_stylesheet_the_reader_cannot_follow_is_shipped_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<link rel="stylesheet" href="assets/stylesheets/main.0123abcd.min.css">', "utf-8"
    )
    (site / "assets" / "stylesheets").mkdir(parents=True)
    broken = ".md-header{a:1}.md-tabs{b:1"  # never closed
    (site / "assets" / "stylesheets" / "main.0123abcd.min.css").write_text(broken, "utf-8")
    finish(site, [])
    assert 'href="assets/stylesheets/main.0123abcd.min.css"' in (site / "index.html").read_text()
    assert len(list((site / "assets" / "stylesheets").iterdir())) == 1
