"""``portal serve``'s edit-to-preview loop: an edited consultation shows in well under a second.

A full build of a large portal takes seconds (every page, feed and search entry), which is
too long to wait for after each save. So the serve process keeps one warm MkDocs build in
memory (``session``): the content model, MkDocs' files, navigation and Jinja environment.
When a consultation's ``index.md`` changes, only that file is read and checked again, and only
the pages that show it (its own page, then the index and filter pages) are rendered and put
into the served site, each file by one rename, so a page is always wholly old or wholly new.

Every change also starts a full ``portal build`` in a process of its own (``loop``), into a
folder beside the site; when it finishes, and nothing changed meanwhile, it replaces the site
in one step. So the site always converges on exactly what ``portal build`` makes, search
index, feeds and form manifests included, and a change the fast path does not handle (a page
in content/, a data package, the theme, mkdocs.yml, a deleted consultation) still shows, only
later.
"""
