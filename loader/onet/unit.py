"""`skillsgraph import onet`: a release, its links to the frameworks and the statements' anchors
among its data, written as one unit.

The release (loader.onet.importer), its links graph (loader.onet.framework_links) and its anchors
graph (loader.onet.release_anchors, with the stamp of the framework files it read) are files of
$SKILLSGRAPH_HOME/imports/ that `serve` loads together. Each is staged beside its target first,
and all are renamed into place together (skillsgraph.staging.commit_unit): an import that fails
or is killed part way leaves the previous release, links and anchors as they were, never a new
release without its links and anchors.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from skillsgraph.staging import commit_unit, staged

from .file_jobs import Progress
from ..source_data import read_source_data
from .framework_links import LinkResult, link_release
from .home_files import anchors_file, links_file, stamp_file
from .importer import ImportResult, import_release, output_file
from .release import Release, detect_release
from .release_anchors import AnchorResult, anchor_release


def import_and_link(folder: Path, data_dir: Path, namespace: str, home: Path, *, release: str | None = None,
                    workers: int | None = None, progress: Progress | None = None,
                    on_release: Callable[[Release], None] | None = None,
                    on_imported: Callable[[ImportResult], None] | None = None
                    ) -> tuple[ImportResult, LinkResult, AnchorResult]:
    """Import the release in folder, link data_dir's frameworks to it and anchor their statements
    in its data, writing all of it or nothing. Raises SourceDataError (or OSError), writing nothing."""
    version = detect_release(folder, release).version
    anchors = anchors_file(home, version)
    targets = [output_file(home, version), links_file(home, version), anchors, stamp_file(anchors)]
    files = [(staged(target), target) for target in targets]
    try:
        imported = import_release(folder, namespace, target=files[0][0], release=version, workers=workers,
                                  progress=progress, on_release=on_release)
        if on_imported:
            on_imported(imported)
        links = link_release(folder, data_dir, namespace, target=files[1][0], release=version)
        anchored = anchor_release(read_source_data(data_dir), imported.release, namespace, files[2][0], files[3][0])
    except BaseException:
        for source, _ in files:
            source.unlink(missing_ok=True)
        raise
    commit_unit(files)
    imported.target, links.target, anchored.target = files[0][1], files[1][1], files[2][1]
    return imported, links, anchored

