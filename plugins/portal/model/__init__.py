"""The content model: consultations, the programme and pages, read from files.

Nothing here imports a site generator.
"""
