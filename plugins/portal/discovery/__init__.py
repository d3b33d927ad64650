"""Discovery and syndication: filters, feeds, calendar, JSON API and change history.

Everything here reads the content model (``portal.site.Portal``) and returns data or bytes;
``portal.pages.discovery`` turns it into generated pages and files. No MkDocs imports.
"""
