"""`skillsgraph import onet`: a release and its links to the frameworks, written as one unit.

The release (loader.onet.importer) and its links graph (loader.onet.framework_links) are two
files of $SKILLSGRAPH_HOME/imports/ that `serve` loads together. Each is staged beside its
target first, and both are renamed into place together (skillsgraph.staging.commit_unit):
an import that fails or is killed part way leaves the previous release and links as they
were, never a new release without its links.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from skillsgraph.staging import commit_unit, staged

from .file_jobs import Progress
from .framework_links import LinkResult, link_release, links_file
from .importer import ImportResult, import_release, output_file
from .release import Release, detect_release


def import_and_link(folder: Path, data_dir: Path, namespace: str, home: Path, *, release: str | None = None,
                    workers: int | None = None, progress: Progress | None = None,
                    on_release: Callable[[Release], None] | None = None,
                    on_imported: Callable[[ImportResult], None] | None = None) -> tuple[ImportResult, LinkResult]:
    """Import the release in folder and link data_dir's frameworks to it, writing both or neither.
    Raises SourceDataError (or OSError), writing nothing."""
    version = detect_release(folder, release).version
    files = [(staged(output_file(home, version)), output_file(home, version)),
             (staged(links_file(home, version)), links_file(home, version))]
    try:
        imported = import_release(folder, namespace, target=files[0][0], release=version, workers=workers,
                                  progress=progress, on_release=on_release)
        if on_imported:
            on_imported(imported)
        links = link_release(folder, data_dir, namespace, target=files[1][0], release=version)
    except BaseException:
        for source, _ in files:
            source.unlink(missing_ok=True)
        raise
    commit_unit(files)
    imported.target, links.target = files[0][1], files[1][1]
    return imported, links


def unlinked_releases(imports: Path) -> list[Path]:
    """Release files of `imports` without their links graph (imported by code, not the command)."""
    return [release for release in sorted(imports.glob("onet-*.nq"))
            if not links_file(imports.parent, release.name[len("onet-"):-len(".nq")]).is_file()]
