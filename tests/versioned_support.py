"""A data folder with the second, changed release of the reference framework
(tests/releases/29-1129.01-v26.11.yaml) beside the bundled one."""
from __future__ import annotations

import shutil
from pathlib import Path

RELEASES_DIR = Path(__file__).resolve().parent / "releases"
SECOND_RELEASE = RELEASES_DIR / "29-1129.01-v26.11.yaml"
CODE = "29-1129.01"
OLD, NEW = f"framework/{CODE}/v26.05", f"framework/{CODE}/v26.11"


def versioned_data(target: Path) -> Path:
    """data/ copied to target/data, with the second release added as a framework file of its own."""
    from graph_support import copy_data
    data = copy_data(target)
    shutil.copy(SECOND_RELEASE, data / "frameworks" / SECOND_RELEASE.name)
    return data
