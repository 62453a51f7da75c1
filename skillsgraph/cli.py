"""The `skillsgraph` command."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from skillsgraph.cli_help import help_without_command, hide_flag_types
from skillsgraph.command_support import DataOption, err, out, report_failure, settings_or_exit, summary, writing
from skillsgraph.config import Settings
from skillsgraph.import_commands import import_app
from skillsgraph.resources import data_dir

app = typer.Typer(help="skillsgraph: occupational skills frameworks as linked data.", invoke_without_command=True,
                  pretty_exceptions_enable=False, add_completion=False)
app.callback()(help_without_command)
hide_flag_types()
app.add_typer(import_app, name="import")


def _build_or_exit(settings: Settings, data: Optional[Path], target: Optional[Path], workers: Optional[int] = None):
    """Run a build with a progress bar; on bad data print every problem and exit 1."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from skillsgraph.loader.build import SourceDataError, ValidationFailed, build
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True) as progress:
        stages: dict[str, tuple[int, float]] = {}  # stage -> its bar and when it started

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in stages:
                stages[stage] = (progress.add_task(stage, total=total, rate=""), time.perf_counter())
            task, started = stages[stage]
            rate = done / max(time.perf_counter() - started, 1e-6)
            progress.update(task, completed=done, total=total, rate=f"{rate:.1f}/s" if done else "")
        try:
            # A check-only run (no target) writes nothing at all, not even the cache.
            cache = settings.home / "cache" / "frameworks" if target else None
            return build(data or data_dir(), settings.namespace, target, cache_dir=cache, workers=workers,
                         on_progress=advance, published_file=settings.published_file if target else None,
                         published_cache=settings.home / "cache" / "published")
        except (SourceDataError, ValidationFailed) as exc:
            progress.stop()
            report_failure(exc)
            raise typer.Exit(1)


@app.command()
def build(data: Optional[Path] = DataOption,
          out_file: Optional[Path] = typer.Option(None, "--out", help="Output N-Quads file (default: $SKILLSGRAPH_HOME/skillsgraph.nq)."),
          workers: Optional[int] = typer.Option(None, help="Parallel validation processes (default: one per core).")) -> None:
    """Turn the source data into a validated graph, written as canonical N-Quads."""
    settings = settings_or_exit()
    with writing(settings, "build"):
        result = _build_or_exit(settings, data, out_file or settings.build_file, workers)
    out.print(summary(result))


@app.command()
def validate(data: Optional[Path] = DataOption) -> None:
    """Check the source data and the SHACL shapes without writing the graph."""
    out.print(summary(_build_or_exit(settings_or_exit(), data, None)))


def ensure_build(settings: Settings, data: Optional[Path] = None) -> tuple[Path, list[Path]]:
    """The build file and the file of its published graphs (when the data bundles any), (re)built
    first when missing or not built from their inputs as they are now."""
    from skillsgraph.loader import bundled, published
    from skillsgraph.loader.inputs import is_current
    source = data or data_dir()

    def current() -> bool:
        return (is_current(settings.build_file, source, settings.namespace)
                and published.is_current(source, settings.namespace, settings.published_file))
    if not current():
        with writing(settings, "build"):
            if not current():  # another process may have built it meanwhile
                err.print(summary(_build_or_exit(settings, source, settings.build_file)), highlight=False)
    return settings.build_file, [settings.published_file] if bundled.entries(source) else []


@app.command()
def generate(occupations: int = typer.Option(..., "--occupations", min=1, max=9999, help="How many frameworks to make."),
             out_dir: Path = typer.Option(Path("var/synthetic"), "--out", help="Folder to write the synthetic data folder to (replaced)."),
             onet: Optional[Path] = typer.Option(None, "--onet", help="An O*NET text release folder: take real O*NET-SOC codes and titles from its 'Occupation Data.txt'.")) -> None:
    """Write a deterministic synthetic catalogue shaped like the reference framework (for benchmarks)."""
    import csv

    from skillsgraph.synthetic import SYNTHETIC_NAMESPACE, generate as make
    real = None
    if onet is not None:
        with open(onet / "Occupation Data.txt", encoding="utf-8", newline="") as handle:
            real = [(row["O*NET-SOC Code"], row["Title"]) for row in csv.DictReader(handle, delimiter="\t")]
    try:
        written = make(out_dir, occupations, data_dir(), real)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2)
    out.print(f"wrote {len(written)} synthetic frameworks to {out_dir / 'frameworks'}; build them with "
              f"SKILLSGRAPH_NAMESPACE={SYNTHETIC_NAMESPACE} skillsgraph build --data {out_dir}")


@app.command()
def export(fmt: str = typer.Option("nt", "--format", "-f", help="nt, nq, ttl or jsonld."),
           out_file: Optional[Path] = typer.Option(None, "--out", help="Write here instead of standard output.")) -> None:
    """Write the built graph in an RDF format."""
    from skillsgraph.loader.export import FORMATS, export as serialise
    if fmt not in FORMATS:
        err.print(f"[red]unknown format {fmt!r}[/red]; choose one of: " + ", ".join(f"{k} ({v})" for k, v in FORMATS.items()))
        raise typer.Exit(2)
    payload = serialise(ensure_build(settings_or_exit())[0].read_bytes(), fmt)
    if out_file:
        out_file.write_bytes(payload)
        err.print(f"wrote {out_file} ({len(payload)} bytes)")
    else:
        sys.stdout.buffer.write(payload)


@app.command()
def query(sparql: Optional[str] = typer.Argument(None, help="A SPARQL query (or use --file)."),
          file: Optional[Path] = typer.Option(None, "--file", help="Read the query from this file."),
          fmt: str = typer.Option("table", "--format", "-f", help="table, csv, tsv or json for SELECT; ttl or nt for graphs.")) -> None:
    """Run a SPARQL query over the built graph (the default graph is the merge of all graphs: a triple counts once)."""
    import pyoxigraph as ox
    if (sparql is None) == (file is None):
        err.print("[red]give a query either as an argument or with --file, not both[/red]")
        raise typer.Exit(2)
    text = sparql if sparql is not None else file.read_text(encoding="utf-8")
    from skillsgraph.store.oxigraph_store import load_into
    # Run over an empty store first (a SELECT or CONSTRUCT is only parsed until read, an ASK
    # finds nothing at once): a mistyped query fails at once, not after the build and its
    # published graphs load (seconds).
    _query_or_exit(ox.Store(), text)
    store = ox.Store()
    build_file, published = ensure_build(settings_or_exit())
    for path in (build_file, *published):
        load_into(store, path, None)
    _print_result(_query_or_exit(store, text), fmt, ox)


def _query_or_exit(store, text: str):
    from rich.markup import escape
    try:
        return store.query(text)
    except SyntaxError as exc:
        err.print(f"[red]SPARQL syntax error:[/red] {escape(str(exc))}", markup=True, highlight=False)
        raise typer.Exit(2)


def _print_result(result, fmt: str, ox) -> None:
    if isinstance(result, (bool, ox.QueryBoolean)):
        out.print("true" if bool(result) else "false")
    elif isinstance(result, ox.QuerySolutions):
        formats = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
        if fmt in formats:
            sys.stdout.buffer.write(result.serialize(format=formats[fmt]))
            return
        variables = [v.value for v in result.variables]
        table = Table(*variables)
        for solution in result:
            table.add_row(*[_cell(solution[v]) for v in variables])
        out.print(table)
    else:
        rdf_format = ox.RdfFormat.N_TRIPLES if fmt == "nt" else ox.RdfFormat.TURTLE
        sys.stdout.buffer.write(ox.serialize(result, format=rdf_format))


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value if hasattr(term, "value") else str(term)


SparqlOption = typer.Option(os.environ.get("SKILLSGRAPH_SPARQL_ENDPOINT"), "--sparql-endpoint",
                            help="Base URL of the external server for --store sparql (its layout: --engine). Env: SKILLSGRAPH_SPARQL_ENDPOINT.")
EngineOption = typer.Option(None, "--engine", help="The external server's URL layout: oxigraph, virtuoso or fuseki "
                            "(README: External triple stores). Env: SKILLSGRAPH_SPARQL_ENGINE.")
LoadOption = typer.Option([], "--load", help="Add an RDF file to the served dataset as a named graph: FILE=GRAPH-IRI (repeatable).")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
          port: int = typer.Option(8000, help="Port to listen on."),
          data: Optional[Path] = DataOption,
          store: str = typer.Option(os.environ.get("SKILLSGRAPH_STORE", "oxigraph"), "--store",
                                    help="oxigraph (on disk, default), memory (rdflib, tiny graphs) or sparql (an external SPARQL 1.1 server, loaded by `skillsgraph publish`). Env: SKILLSGRAPH_STORE."),
          sparql_endpoint: Optional[str] = SparqlOption,
          engine: Optional[str] = EngineOption,
          load: list[str] = LoadOption,
          workers: int = typer.Option(1, "--workers", min=1, help="API processes on the port, each with the store opened read-only (oxigraph and sparql stores)."),
          timeout: float = typer.Option(10.0, help="Time limit of one SPARQL query, in seconds."),
          max_results: int = typer.Option(100_000, help="Most results one SPARQL query returns."),
          query_memory: int = typer.Option(1024, help="Memory one SPARQL query may use beyond its worker's own, in MiB (on-disk store)."),
          log_level: str = typer.Option("info", help="uvicorn log level.")) -> None:
    """Serve the graph: SPARQL endpoint, linked data and pages."""
    import uvicorn

    from skillsgraph.api.app import create_app
    from skillsgraph.store.base import Limits
    settings = settings_or_exit()
    if workers > 1 and store not in ("oxigraph", "sparql"):
        err.print(f"[red]--workers needs a store each process opens on its own (oxigraph or sparql), not {store}[/red]")
        raise typer.Exit(2)
    if store == "sparql":
        if load or data:
            err.print("[red]--store sparql serves what `skillsgraph publish` loaded: give --data and --load to publish[/red]")
            raise typer.Exit(2)
        where = _endpoints(sparql_endpoint, engine)
        extras, described = [], f"the publication at {where.query}"
        opened = _open_store(store, settings, None, extras, where)
    else:
        loads = [_parse_load(spec) for spec in load]
        with writing(settings, "serve"):   # released once the store is ready; its store stays marked in use
            build_file, extras = _served_files(settings, data, loads, memory=store == "memory")
            opened = _open_store(store, settings, build_file, extras, None)
        described = f"{build_file} from the {store} store"
    err.print(f"serving {described}" + "".join(f"; + {f}" + (f" as <{g}>" if g else "") for f, g in extras)
              + (f" in {workers} processes" if workers > 1 else ""))
    limits = Limits(timeout_seconds=timeout, max_results=max_results, memory_mb=query_memory)
    if workers > 1:
        _serve_replicas(store, opened, limits, workers, host, port, log_level)
        return
    uvicorn.run(create_app(settings, opened, limits), host=host, port=port, log_level=log_level)


def _served_files(settings: Settings, data: Optional[Path], loads: list[tuple[Path, str]],
                  memory: bool) -> tuple[Path, list[tuple[Path, Optional[str]]]]:
    """The build and what is served beside it: the published graphs and imported releases
    (skillsgraph import ...), each in its own graphs, and the --load files."""
    from skillsgraph.loader.onet.home_files import stale_anchors, unlinked_releases
    imports = [(path, None) for path in sorted((settings.home / "imports").glob("*.nq"))]
    for release in unlinked_releases(settings.home / "imports"):
        err.print(f"{release} is served without its links to the frameworks (no links-{release.name}): "
                  "import it with `skillsgraph import onet` to write both", highlight=False)
    for release in stale_anchors(settings.home / "imports", data or data_dir()):
        err.print(f"{release}: the statements' anchors in its data are missing or were computed from framework files "
                  "that have changed since: import it again with `skillsgraph import onet` to recompute them",
                  highlight=False)
    build_file, published = ensure_build(settings, data)
    if memory and published:
        # rdflib holds the half-million published triples in about a gigabyte, after a minute and
        # more of parsing, and answers crosswalk questions over them in tens of seconds.
        err.print("the memory store serves the build and the imports without the bundled crosswalks and "
                  f"classifications ({', '.join(p.name for p in published)}): they are too large for it; "
                  "serve them with --store oxigraph (the default) or sparql", highlight=False)
        published = []
    return build_file, [(path, None) for path in published] + imports + loads


def _open_store(store: str, settings: Settings, build_file: Optional[Path], extras: list, where):
    from skillsgraph.store.factory import open_store
    try:
        return open_store(store, settings.home, build_file, extras, where)
    except (OSError, ValueError, SyntaxError, TimeoutError) as exc:
        err.print(f"[red]cannot open the {store} store:[/red] {exc}", highlight=False)
        raise typer.Exit(1)


def _endpoints(url: Optional[str], engine: Optional[str], **urls):
    from skillsgraph.store.endpoints import EndpointError, endpoints_from
    try:
        return endpoints_from(url, engine, **urls)
    except EndpointError as exc:
        err.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2)


def _serve_replicas(kind: str, opened, limits, workers: int, host: str, port: int, log_level: str) -> None:
    import uvicorn

    from skillsgraph import replicas
    os.environ[replicas.ENV] = replicas.describe(kind, getattr(opened, "location", None), limits)
    opened.close()
    uvicorn.run("skillsgraph.replicas:app", factory=True, workers=workers, host=host, port=port, log_level=log_level)


@app.command()
def publish(to: Optional[str] = typer.Option(None, "--to", help="Base URL of the SPARQL server (its layout: --engine). Env: SKILLSGRAPH_SPARQL_ENDPOINT."),
            engine: Optional[str] = EngineOption,
            query_url: Optional[str] = typer.Option(None, "--query-url", help="The server's SPARQL query URL, if not the preset's."),
            update_url: Optional[str] = typer.Option(None, "--update-url", help="The server's SPARQL update URL, if not the preset's."),
            store_url: Optional[str] = typer.Option(None, "--store-url", help="The server's Graph Store Protocol URL, if not the preset's."),
            data: Optional[Path] = DataOption,
            load: list[str] = LoadOption) -> None:
    """Load the build, the published graphs and the imports into an external SPARQL server, graph by graph,
    switched to at once (credentials: SKILLSGRAPH_SPARQL_USER, SKILLSGRAPH_SPARQL_PASSWORD)."""
    from skillsgraph.store.publish import PublishError, Publisher
    settings = settings_or_exit()
    endpoints = _endpoints(to, engine, query=query_url, update=update_url, graph_store=store_url)
    loads = [_parse_load(spec) for spec in load]
    with writing(settings, "publish"):  # the build it may make first is the home's
        build_file, extras = _served_files(settings, data, loads, memory=False)
    try:
        publisher = Publisher(endpoints, progress=lambda line: err.print(f"  {line}", highlight=False, markup=False))
        err.print(f"publishing {build_file} and {len(extras)} more file(s) to {endpoints.query}", highlight=False)
        result = publisher.publish([(build_file, None), *extras])
    except PublishError as exc:
        err.print(f"[red]publish failed:[/red] {exc}", highlight=False)
        raise typer.Exit(1)
    except (OSError, ValueError, SyntaxError) as exc:
        err.print(f"[red]cannot read what is to be published:[/red] {exc}; nothing was published", highlight=False)
        raise typer.Exit(1)
    out.print(result.summary, highlight=False)


def _parse_load(spec: str) -> tuple[Path, str]:
    file, sep, graph = spec.partition("=")
    if not sep or not graph or "://" not in graph:
        err.print(f"[red]--load {spec!r}: expected FILE=GRAPH-IRI, e.g. data.ttl=http://example.org/graph[/red]")
        raise typer.Exit(2)
    if not Path(file).is_file():
        err.print(f"[red]--load {spec!r}: no such file {file}[/red]")
        raise typer.Exit(2)
    return Path(file), graph


if __name__ == "__main__":
    app()
