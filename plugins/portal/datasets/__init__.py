"""Open data published as Frictionless data packages: read, validate, chart and page them.

The lead's build calls ``read_datasets`` then ``dataset_outputs``; the programme page calls
``skills_gap`` and ``skills_gap_chart``. Nothing here imports MkDocs or Pelican.
"""

from portal.datasets.model import Dataset, Licence, Publisher, Resource, SchemaField, Source, View
from portal.datasets.pages import dataset_outputs
from portal.datasets.reader import read_dataset, read_datasets
from portal.datasets.skills import skills_gap, skills_gap_chart

__all__ = [
    "Dataset",
    "Licence",
    "Publisher",
    "Resource",
    "SchemaField",
    "Source",
    "View",
    "dataset_outputs",
    "read_dataset",
    "read_datasets",
    "skills_gap",
    "skills_gap_chart",
]
