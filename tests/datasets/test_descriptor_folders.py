"""A folder in datasets/ that the build would skip is reported by ``portal check``, not
silently left out: the datahub core datasets ship ``datapackage.yml`` (seen with the real
country-codes package), and a folder may lack a descriptor altogether."""

from __future__ import annotations

from pathlib import Path

from tests.datasets.sites import make_root
from tests.support import portal


def test_a_yaml_descriptor_and_a_folder_without_one_are_reported(tmp_path: Path) -> None:
    root = make_root(tmp_path / "portal")
    yaml_package = root / "datasets" / "country-codes"
    yaml_package.mkdir()
    (yaml_package / "datapackage.yml").write_text("name: country-codes\nresources: []\n")
    (root / "datasets" / "notes").mkdir()
    (root / "datasets" / "notes" / "readme.txt").write_text("draft")
    result = portal("check", root=root, check=False)
    assert result.returncode == 1
    assert "datasets/country-codes/datapackage.yml:" in result.stderr
    assert "[dataset-descriptor-yaml]" in result.stderr
    assert "datasets/notes:" in result.stderr and "[dataset-descriptor-missing]" in result.stderr
    assert "Traceback" not in result.stderr
    built = portal("build", "--site-dir", str(tmp_path / "site"), root=root, check=False)
    assert built.returncode == 1 and "[dataset-descriptor-yaml]" in built.stderr
