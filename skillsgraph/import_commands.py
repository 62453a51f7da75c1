"""`skillsgraph import onet|crosswalk|classification`: published releases into $SKILLSGRAPH_HOME/imports/.

Each import holds the home's write lock (skillsgraph.command_support.writing) and writes its
files through renames: a failed or killed import leaves the previous files as they were.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Optional, TypeVar

import typer
from rich.table import Table

from skillsgraph.cli_help import help_without_command
from skillsgraph.command_support import DataOption, err, out, report_failure, settings_or_exit, writing
from skillsgraph.resources import data_dir

T = TypeVar("T")
import_app = typer.Typer(help="Import published data releases into $SKILLSGRAPH_HOME/imports/ (served beside the build).",
                         invoke_without_command=True, callback=help_without_command)


def _import_or_exit(run: Callable[[], T], what: str) -> T:
    """The import's result; on bad input or an unreadable file, the problems and exit 1."""
    from skillsgraph.loader.errors import SourceDataError
    try:
        return run()
    except SourceDataError as exc:
        report_failure(exc)
        raise typer.Exit(1)
    except OSError as exc:
        err.print(f"[red]cannot import {what}:[/red] {exc}; nothing was written", highlight=False)
        raise typer.Exit(1)


# ---- skillsgraph import onet DIR -----------------------------------------------------------

@import_app.command("onet")
def import_onet(folder: Path = typer.Argument(..., help="An O*NET database release folder, text (*.txt) or Excel (*.xlsx) form."),
                release: Optional[str] = typer.Option(None, "--release", help="The release, e.g. 29.3 (default: read from the folder's 'Read Me.txt')."),
                workers: Optional[int] = typer.Option(None, help="Parallel processes (default: one per core)."),
                data: Optional[Path] = DataOption) -> None:
    """Import an O*NET database release as one named graph, <NAMESPACE>graph/onet/<version>, link the
    frameworks' tasks and related titles to it (<NAMESPACE>graph/links/onet-<version>) and anchor their
    statements in its tasks, DWAs and technology examples (<NAMESPACE>graph/anchors/onet-<version>/machine-suggestion):
    all are written, or none."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from skillsgraph.loader.onet.unit import import_and_link
    settings = settings_or_exit()
    columns = [TextColumn("{task.description}"), BarColumn(bar_width=24), TextColumn("{task.fields[count]}"),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
    tasks: dict[str, tuple[int, float]] = {}
    with writing(settings, "import onet"), Progress(*columns, console=err) as progress:
        def on_progress(event: str, label: str, done: int, total: Optional[int]) -> None:
            if event == "start" or label not in tasks:
                tasks[label] = (progress.add_task(label, total=total, rate="", count=""), time.perf_counter())
            task_id, started = tasks[label]
            rate = done / max(time.perf_counter() - started, 1e-6)
            total = total if total is not None else done
            progress.update(task_id, completed=done, total=total, count=f"{done:,}/{total:,} rows",
                            rate=f"{rate:,.0f} rows/s")

        def on_release(rel) -> None:
            issued = f", issued {rel.issued}" if rel.issued else ""
            err.print(f"O*NET {rel.version} Database{issued}: {rel.form_label} form, {len(rel.files)} file(s) to import",
                      highlight=False)
            for note in rel.layout:
                err.print(f"  layout: {note}", highlight=False)

        def run():
            try:
                return import_and_link(folder, data or data_dir(), settings.namespace, settings.home, release=release,
                                       workers=workers, progress=on_progress, on_release=on_release,
                                       on_imported=lambda _: progress.stop())
            except BaseException:
                progress.stop()
                raise
        result, links, anchors = _import_or_exit(run, str(folder))
    _print_release(result)
    _print_links(links)
    _print_anchors(anchors)


def _print_release(result) -> None:
    table = Table("file", "rows", "triples", "rows/s", "time", title=f"O*NET {result.release.version} -> <{result.graph}>")
    for f in result.files:
        table.add_row(f.label, f"{f.rows:,}", f"{f.triples:,}", f"{f.rows / max(f.seconds, 1e-6):,.0f}", f"{f.seconds:.1f}s")
    for skipped in result.release.skipped:
        table.add_row(skipped.split(" (")[0], "skipped", "", "", "")
    table.add_row("total (distinct triples)", f"{result.rows:,}", f"{result.triples:,}",
                  f"{result.rows / max(result.seconds, 1e-6):,.0f}", f"{result.seconds:.1f}s")
    out.print(table)
    for f in result.files:
        if f.layout and f.layout != "all releases":
            out.print(f"layout: {f.label}: {f.layout}", highlight=False, soft_wrap=True)
    for skipped in result.release.skipped:
        out.print(f"skipped: {skipped}", highlight=False, soft_wrap=True)
    if result.release.ignored:
        out.print(f"not imported ({len(result.release.ignored)} file(s) outside the importer's scope): "
                  + ", ".join(result.release.ignored), highlight=False, soft_wrap=True)
    out.print(f"wrote {result.target}: {result.triples:,} triples in <{result.graph}>, {result.seconds:.1f}s",
              highlight=False, soft_wrap=True)


def _print_links(links) -> None:
    out.print(f"linked the frameworks to O*NET {links.version}: {links.tasks_linked}/{links.tasks_total} tasks, "
              f"{links.titles_linked}/{links.titles_total} related titles -> <{links.graph}>, wrote {links.target}",
              highlight=False, soft_wrap=True)
    for item in links.unmatched:
        out.print(f"  no exact match in {links.version}: {item}", highlight=False, soft_wrap=True)


def _print_anchors(anchors) -> None:
    counts = ", ".join(f"{n:,} {kind}" for kind, n in anchors.anchors.items())
    out.print(f"anchored {anchors.statements:,} framework statements in O*NET {anchors.version}'s data: {counts} "
              f"-> <{anchors.graph}>, wrote {anchors.target}", highlight=False, soft_wrap=True)
    for note in anchors.notes:
        out.print(f"  {note}", highlight=False, soft_wrap=True)


# ---- skillsgraph import crosswalk KIND FILE -------------------------------------------------

def _crosswalk_kinds_help() -> str:
    from skillsgraph.loader.crosswalk.kinds import kinds_help
    return kinds_help()


@import_app.command("crosswalk", help="Import a published crosswalk file as mapping facts with provenance, into "
                    "<NAMESPACE>graph/crosswalk/<KIND>-<release> ($SKILLSGRAPH_HOME/imports/crosswalk-<KIND>-<release>.nq). "
                    "KIND and the file it reads: " + _crosswalk_kinds_help() + ".")
def import_crosswalk(kind: str = typer.Argument(..., help="onet-soc-2010-2019, onet-soc-soc2018, cip-soc, onet-cip, esco-onet or onet-esco."),
                     file: Path = typer.Argument(..., help="The crosswalk file as downloaded (.csv or .xlsx)."),
                     release: Optional[str] = typer.Option(None, "--release", help="The release of the file, e.g. 2020 (default: the edition the kind names)."),
                     esco: Optional[Path] = typer.Option(None, "--esco", help="onet-esco: the ESCO classification folder (CSV) to resolve ESCO codes through (default: the bundled ESCO release)."),
                     esco_release: str = typer.Option("1.2.0", "--esco-release", help="The release of the --esco folder.")) -> None:
    from skillsgraph.loader.crosswalk.esco_codes import load_esco_codes
    from skillsgraph.loader.crosswalk.importer import import_crosswalk as run
    settings = settings_or_exit()
    with writing(settings, "import crosswalk"):
        result = _import_or_exit(lambda: run(kind, file, settings.namespace, settings.home, release=release,
                                             esco=load_esco_codes(esco, esco_release) if esco is not None else None), file)
    resolution = f"; {result.resolution}" if result.resolution else ""
    out.print(f"{result.kind.title} ({result.release}): {result.accounting}{resolution}; wrote {result.target}: "
              f"{result.triples} triples in <{result.graph}>, {result.seconds:.1f}s", highlight=False, soft_wrap=True)


# ---- skillsgraph import classification KIND PATH... -------------------------------------------

@import_app.command("classification", help="Import a published classification as a SKOS concept scheme, into "
                    "<NAMESPACE>graph/classification/<KIND>-<release> "
                    "($SKILLSGRAPH_HOME/imports/classification-<KIND>-<release>.nq). KIND: soc (BLS soc_structure_2018.xlsx "
                    "and soc_2018_definitions.xlsx), cip (NCES CIPCode2020.csv), esco (a folder of ESCO's CSV files, "
                    "English).")
def import_classification(kind: str = typer.Argument(..., help="soc, cip or esco."),
                          paths: list[Path] = typer.Argument(..., help="The folder the files were downloaded to, or the files."),
                          release: Optional[str] = typer.Option(None, "--release", help="The release, e.g. 1.2.0 for ESCO (soc and cip: the edition their codes name, 2018 and 2020).")) -> None:
    from skillsgraph.loader.classification.importer import import_classification as run
    settings = settings_or_exit()
    with writing(settings, "import classification"):
        result = _import_or_exit(lambda: run(kind, paths, settings.namespace, settings.home, release=release),
                                 ", ".join(map(str, paths)))
    out.print(f"{result.kind.publication.title} ({result.release}):", highlight=False, soft_wrap=True)
    for f in result.files:
        out.print(f"  {f.name}: {f.summary}", highlight=False, soft_wrap=True)
    for skipped in result.skipped:
        out.print(f"  skipped: {skipped}", highlight=False, soft_wrap=True)
    out.print(f"wrote {result.target}: {result.triples} triples in <{result.graph}>, {result.seconds:.1f}s",
              highlight=False, soft_wrap=True)
