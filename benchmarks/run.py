"""The skillsgraph benchmark: one command, one table, baselines measured in the same run.

    python benchmarks/run.py                 # 998-occupation catalogue (+100 for the growth curve)
    python benchmarks/run.py --occupations 200 --small 50 --requests 50   # a quick look

Builds a synthetic catalogue shaped like the reference framework (real O*NET-SOC codes, so
the real O*NET 27.0 release imported beside it joins), serves it with `skillsgraph serve`
(embedded Oxigraph), and measures, over HTTP to the real uvicorn process: build time and
peak memory, restart time with an existing store, latency (median and p95) of a fixed set
of queries and documents, throughput under 8 and 32 concurrent clients. Baselines in the
same run: rdflib-endpoint serving the same N-Triples from rdflib's memory store, and the
floor: the same queries through pyoxigraph in-process, with no HTTP. All traffic stays on
127.0.0.1; every request loop is bounded. Results go to stdout and benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
ONET_27 = SHARED / "onet" / "db_27_0_text"
NAMESPACE = "https://w3id.org/skillsgraph/synthetic/"
SG = "https://w3id.org/skillsgraph/ontology#"
PREFIXES = f"PREFIX sg: <{SG}>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nPREFIX cito: <http://purl.org/spar/cito/>\n"
console = Console()


def queries(code: str, cip: str) -> dict[str, str]:
    release = f"<{NAMESPACE}framework/{code}/v26.05>"
    return {
        "statements by level": PREFIXES + f"""SELECT ?level ?position ?label WHERE {{
            ?s sg:framework {release} ; a sg:CompetencyStatement ; sg:level ?l ; sg:position ?position ; skos:prefLabel ?label .
            ?l sg:rank ?rank ; skos:prefLabel ?level }} ORDER BY ?rank ?position""",
        "occupations sharing a CIP": PREFIXES + f"""SELECT ?o ?title WHERE {{
            ?o sg:instructionalProgram <{NAMESPACE}cip2020/{cip}> ; skos:prefLabel ?title }} ORDER BY ?title""",
        "statement trace to sources": PREFIXES + f"""SELECT ?label ?position ?source ?title WHERE {{
            BIND(<{NAMESPACE}framework/{code}/v26.05/ai-use/developing/1> AS ?s)
            ?s skos:prefLabel ?label ; sg:citation ?c . ?c sg:position ?position ; cito:hasCitedEntity ?source .
            ?source <http://purl.org/dc/terms/title> ?title }} ORDER BY ?position""",
        "counts per durable domain": PREFIXES + """SELECT ?domain (COUNT(?s) AS ?n) WHERE {
            ?s a sg:DurableSkillStatement ; sg:domain ?d . ?d skos:prefLabel ?domain } GROUP BY ?domain ORDER BY ?domain""",
        "text search in statements": PREFIXES + """SELECT ?s ?label WHERE {
            ?s a sg:CompetencyStatement ; sg:statementText ?text ; skos:prefLabel ?label .
            FILTER(CONTAINS(LCASE(STR(?text)), "supervision")) } LIMIT 50""",
    }


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "skillsgraph.cli", *args]


def run_measured(cmd: list[str], env: dict) -> tuple[float, int]:
    """Wall time and peak resident memory of a command and all its child processes."""
    started = time.perf_counter()
    process = psutil.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {process.stderr.read().decode()[-2000:]}")
    return time.perf_counter() - started, peak


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 1800) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)


def start_skillsgraph(home: Path, data: Path, port: int) -> tuple[subprocess.Popen, float]:
    env = {**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": NAMESPACE}
    process = subprocess.Popen(cli("serve", "--port", str(port), "--data", str(data), "--log-level", "warning",
                                   "--max-results", "1000000", "--timeout", "120"),
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, wait_ready(f"http://127.0.0.1:{port}/health", process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def peak_rss(process: subprocess.Popen) -> int:
    with open(f"/proc/{process.pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def time_requests(client: httpx.Client, n: int, request) -> Timing:
    timing = Timing()
    for _ in range(n):
        started = time.perf_counter()
        response = request(client)
        timing.samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
    return timing


def sparql_request(endpoint: str, query: str):
    return lambda client: client.post(endpoint, data={"query": query}, headers={"Accept": "application/sparql-results+json"})


async def throughput(base: str, requests: list, clients: int, total: int) -> float:
    """Requests per second with `clients` concurrent clients doing `total` requests in all."""
    counter = iter(range(total))

    async def worker(client: httpx.AsyncClient) -> None:
        for i in counter:
            method, url, kwargs = requests[i % len(requests)]
            response = await client.request(method, url, **kwargs)
            response.raise_for_status()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        return total / (time.perf_counter() - started)


@dataclass
class Scale:
    occupations: int
    triples: int = 0
    build_seconds: float = 0.0
    build_peak: int = 0
    import_seconds: float = 0.0
    first_start: float = 0.0
    restart: float = 0.0
    serve_peak: int = 0
    latency: dict[str, Timing] = field(default_factory=dict)
    throughput: dict[int, float] = field(default_factory=dict)
    rtt: Timing | None = None
    floor: dict[str, Timing] = field(default_factory=dict)
    rdflib_start: float = 0.0
    rdflib_peak: int = 0
    rdflib_latency: dict[str, Timing] = field(default_factory=dict)


def prepare(work: Path, n: int) -> tuple[Path, Path, dict]:
    data, home = work / f"data-{n}", work / f"home-{n}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    subprocess.run(cli("generate", "--occupations", str(n), "--out", str(data), "--onet", str(ONET_27)),
                   check=True, stdout=subprocess.DEVNULL)
    env = {**os.environ, "SKILLSGRAPH_HOME": str(home), "SKILLSGRAPH_NAMESPACE": NAMESPACE}
    return data, home, env


def bench_scale(work: Path, n: int, args: argparse.Namespace) -> Scale:
    console.print(f"[bold]catalogue of {n} occupations[/bold]")
    result = Scale(n)
    data, home, env = prepare(work, n)
    result.build_seconds, result.build_peak = run_measured(cli("build", "--data", str(data)), env)
    console.print(f"  built in {result.build_seconds:.1f}s")
    if not args.no_onet:
        result.import_seconds, _ = run_measured(cli("import", "onet", str(ONET_27)), env)
        console.print(f"  imported O*NET 27.0 in {result.import_seconds:.1f}s")
    nquads = home / "skillsgraph.nq"
    imports = sorted((home / "imports").glob("*.nq"))
    port = free_port()
    process, result.first_start = start_skillsgraph(home, data, port)
    stop(process)
    process, result.restart = start_skillsgraph(home, data, port)
    base = f"http://127.0.0.1:{port}"
    code = sorted(p.stem for p in (data / "frameworks").glob("*.yaml"))[0]
    cip = _a_shared_cip(base)
    qs = queries(code, cip)
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            result.rtt = time_requests(client, args.requests, lambda c: c.get("/health"))
            for name, q in qs.items():
                result.latency[name] = time_requests(client, args.requests, sparql_request("/sparql", q))
            result.latency["framework JSON-LD document"] = time_requests(
                client, args.requests, lambda c: c.get(f"/framework/{code}/v26.05", headers={"Accept": "application/ld+json"}))
            result.latency["a page of /occupations"] = time_requests(client, args.requests, lambda c: c.get("/occupations?page=2&size=10"))
        mix = [("POST", "/sparql", {"data": {"query": q}, "headers": {"Accept": "application/sparql-results+json"}})
               for q in qs.values()] + [("GET", f"/framework/{code}/v26.05", {}), ("GET", "/occupations?page=2&size=10", {})]
        for clients in (8, 32):
            result.throughput[clients] = asyncio.run(throughput(base, mix, clients, args.requests * 2))
        result.serve_peak = peak_rss(process)
        triples = httpx.get(base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                            headers={"Accept": "application/sparql-results+json"}, timeout=300).json()
        result.triples = int(triples["results"]["bindings"][0]["n"]["value"])
    finally:
        stop(process)
    result.floor = floor(home, qs, args.requests)
    bench_rdflib(work, n, nquads, imports, qs, args, result)
    return result


def _a_shared_cip(base: str) -> str:
    rows = httpx.post(base + "/sparql", data={"query": PREFIXES + """SELECT ?code (COUNT(?o) AS ?n) WHERE {
        ?o sg:instructionalProgram ?c . ?c skos:notation ?code } GROUP BY ?code ORDER BY DESC(?n) ?code LIMIT 1"""},
        headers={"Accept": "application/sparql-results+json"}, timeout=120).json()["results"]["bindings"]
    return rows[0]["code"]["value"]


def floor(home: Path, qs: dict[str, str], n: int) -> dict[str, Timing]:
    """The same queries on the same on-disk store through pyoxigraph in-process: no HTTP."""
    store = ox.Store.read_only(str((home / "oxigraph" / "current").resolve()))
    out = {}
    for name, q in qs.items():
        timing = Timing()
        for _ in range(n):
            started = time.perf_counter()
            list(store.query(q, use_default_graph_as_union=True))
            timing.samples.append(time.perf_counter() - started)
        out[name] = timing
    return out


def bench_rdflib(work: Path, n: int, nquads: Path, imports: list[Path], qs: dict[str, str], args, result: Scale) -> None:
    """rdflib-endpoint serving the same triples (as one N-Triples file) from rdflib's memory store."""
    nt = work / f"baseline-{n}.nt"
    with open(nt, "wb") as out:
        seen: set[bytes] = set()
        for file in [nquads, *imports]:
            for quad in ox.parse(path=str(file), format=ox.RdfFormat.N_QUADS):
                line = str(quad.triple).encode() + b" .\n"
                if line not in seen:
                    seen.add(line)
                    out.write(line)
        del seen
    port = free_port()
    process = subprocess.Popen(["rdflib-endpoint", "serve", str(nt), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # rdflib-endpoint's SPARQL endpoint is its root path.
        result.rdflib_start = wait_ready(f"http://127.0.0.1:{port}/?query=ASK%20%7B%7D", process)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            for name, q in qs.items():
                result.rdflib_latency[name] = time_requests(client, args.baseline_requests, sparql_request("/", q))
        result.rdflib_peak = peak_rss(process)
    finally:
        stop(process)
        nt.unlink(missing_ok=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def report(scales: list[Scale], args: argparse.Namespace) -> str:
    lines = [f"Machine: {platform.platform()}, {os.cpu_count()} cores, {mib(psutil.virtual_memory().total)} RAM, "
             f"Python {platform.python_version()}; run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             f"{args.requests} requests per measurement ({args.baseline_requests} for the rdflib baseline).", ""]
    for s in scales:
        lines += [f"### {s.occupations} occupations + O*NET 27.0 ({s.triples:,} triples)", "",
                  "| measure | skillsgraph (Oxigraph) | baseline | ratio | target |", "|---|---|---|---|---|",
                  f"| build + validate (peak memory) | {ms(s.build_seconds)} ({mib(s.build_peak)}) | | | |",
                  f"| import O*NET 27.0 | {ms(s.import_seconds)} | | | |",
                  f"| first start (store load) | {ms(s.first_start)} | | | |",
                  f"| restart with existing store vs rdflib parse | {ms(s.restart)} | {ms(s.rdflib_start)} | "
                  f"{s.rdflib_start / s.restart:.0f}x faster | >= 100x |",
                  f"| peak memory while serving | {mib(s.serve_peak)} | {mib(s.rdflib_peak)} | {s.serve_peak / max(s.rdflib_peak, 1):.2f} | <= 0.25 |",
                  f"| trivial HTTP round trip (median) | {ms(s.rtt.median)} | | | |"]
        for name, t in s.latency.items():
            base = s.rdflib_latency.get(name)
            fl = s.floor.get(name)
            vs_base = f"{base.median / t.median:.0f}x faster" if base else "n/a"
            vs_floor = f"{t.median / (fl.median + s.rtt.median):.2f}x floor+RTT" if fl else "n/a"
            lines.append(f"| {name}: median / p95 | {ms(t.median)} / {ms(t.p95)} | "
                         f"{ms(base.median) + ' (rdflib)' if base else ''}{'; ' + ms(fl.median) + ' (floor)' if fl else ''} | "
                         f"{vs_base}; {vs_floor} | >= 50x; <= 3x |")
        for clients, rps in s.throughput.items():
            lines.append(f"| throughput, {clients} concurrent clients | {rps:.0f} req/s | | | |")
        lines.append("")
    return "\n".join(lines)


def write_readme(table: str) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    marker = "## Latest run"
    head = text.split(marker)[0].rstrip() + "\n\n" if marker in text else text
    readme.write_text(head + marker + "\n\n" + table + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--occupations", type=int, default=998)
    parser.add_argument("--small", type=int, default=100, help="a second, smaller catalogue for the growth curve (0: none)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--baseline-requests", type=int, default=20)
    parser.add_argument("--no-readme", action="store_true", help="do not update benchmarks/README.md")
    parser.add_argument("--no-onet", action="store_true", help="skip importing O*NET 27.0 beside the catalogue")
    args = parser.parse_args()
    work = HERE / "results"
    work.mkdir(exist_ok=True)
    sizes = [n for n in (args.small, args.occupations) if n]
    scales = [bench_scale(work, n, args) for n in sizes]
    table = report(scales, args)
    console.print(table)
    if not args.no_readme:
        write_readme(table)


if __name__ == "__main__":
    main()
