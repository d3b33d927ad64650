"""Checks beyond reading the content: mkdocs.yml, the environment, links and images.

``portal check`` runs every one of them, and so does every build (the settings and the
environment before the generator starts, the links once the site's pages are known), so a
check that passes means the build passes, and a build refuses with the same words.
"""
