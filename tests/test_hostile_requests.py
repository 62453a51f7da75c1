"""A public endpoint that no request can stop, tried as a hostile client would (issue 11).

Over HTTP against one real `skillsgraph serve --store oxigraph` (uvicorn), started for this
module with a 3 s time limit and 256 MiB per query so that the heavy cases end quickly: the
subject is the running process itself, its query workers, its CPU and its memory, which an
in-process app cannot show. Distinct clients are told apart by X-Forwarded-For, which uvicorn
takes from 127.0.0.1.

Timing margins (the suite runs two test workers on a loaded 2-core machine): an answer "within
a second" is what the issue asks and takes ~10-50 ms here; "back to idle" is under a quarter of
a core over one second, measured from the time limit plus 2 s. Fairness under a flood is told by
the order of answers, not by a timer.
"""
from __future__ import annotations

import socket
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import psutil
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance,
)

from server_fixtures import stop_server

TIMEOUT = 3.0
SPARQL = "/sparql"
DIRECT = {"content-type": "application/sparql-query"}
# Runs until its worker is killed: a cross product counted. Of the typing triples only: the engine
# holds one side of a cross product in memory, and all triples would pass 256 MiB before the time limit.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?c . ?d a ?f }"
# Holds every solution of a cross product to sort it: past 256 MiB within a second or two.
GREEDY = "SELECT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c"


@pytest.fixture(scope="module")
def server(live_servers):
    home = live_servers.new_home("hostile-home")
    started = live_servers.start(home, "oxigraph", ["--timeout", str(TIMEOUT), "--query-memory", "256"])
    wait_until_idle(started)
    yield started
    stop_server(started)


def client_of(server, address: str) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, timeout=60, headers={"X-Forwarded-For": address})


def timed(call) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


def assert_responsive(client: httpx.Client) -> None:
    """/health and ASK {} each answered within a second."""
    health, seconds = timed(lambda: client.get("/health"))
    assert health.status_code == 200 and seconds < 1, (health.status_code, seconds)
    ask, seconds = timed(lambda: client.get(SPARQL, params={"query": "ASK {}"}))
    assert ask.status_code == 200 and ask.json()["boolean"] is True and seconds < 1, (ask.status_code, seconds)


def nested(opening: str, inner: str, closing: str, depth: int) -> str:
    return opening * depth + inner + closing * depth


P = "<http://example.org/p>"
HOSTILE = {
    "STR( 960 deep": "SELECT * WHERE { BIND(" + nested("STR(", "1", ")", 960) + " AS ?x) }",
    "{ } 2,208 deep": "SELECT * WHERE " + nested("{ ", "?s ?p ?o", " }", 2208),
    "EXISTS 712 deep": "SELECT * WHERE { ?s ?p ?o FILTER(" + nested("EXISTS { ?s ?p ?o FILTER(", "true", ") }", 712) + ") }",
    "&& chain": "SELECT * WHERE { FILTER(" + " && ".join(["true"] * 13000) + ") }",
    "+ chain": "SELECT * WHERE { BIND(" + "+".join(["1"] * 40000) + " AS ?x) }",
    "UNION chain": "SELECT * WHERE { " + " UNION ".join(["{}"] * 13000) + " }",
    "OPTIONAL chain": "SELECT * WHERE { " + " ".join(["OPTIONAL {}"] * 10000) + " }",
    "path sequence": "SELECT * WHERE { ?s " + "/".join([P] * 5000) + " ?o }",
    "path alternatives": "SELECT * WHERE { ?s " + "|".join([P] * 5000) + " ?o }",
    "nested path groups": "SELECT * WHERE { ?s " + nested("(", P, ")", 3000) + " ?o }",
    "nested collections": "SELECT * WHERE { ?s " + P + " " + nested("(", "1", ")", 3000) + " }",
    "blank-node lists": "SELECT * WHERE { ?s " + P + " " + nested("[ " + P + " ", "1", " ]", 2000) + " }",
    "16 KB of quotes and backslashes": '"\\' * 8192,
    "49 KB of quotes and backslashes": "'\\" * 25000,
    "200 KB query": "ASK { " + "?s ?p ?o . " * 20000 + "}",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_query_is_refused_and_the_server_answers(server, name):
    """Each input from the issue gets a 4xx saying why, at once, and the server answers
    /health and ASK {} within a second after it."""
    with client_of(server, "10.1.0.1") as client:
        response, seconds = timed(lambda: client.post(SPARQL, content=HOSTILE[name], headers=DIRECT))
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
        assert response.text.startswith(f"{response.status_code} ") and len(response.text) < 2000
        assert seconds < 1, seconds
        assert_responsive(client)


def worker_pids(server) -> set[int]:
    """The server's descendants: the template that forks workers, and the workers."""
    return {c.pid for c in psutil.Process(server.process.pid).children(recursive=True)}


def test_a_query_that_exhausts_its_memory_ends_its_worker_only(server):
    """The sort of a cross product passes 256 MiB: its worker dies of it (the allocation fails),
    the client gets a 503 saying so, and the server, with a fresh worker, answers on."""
    with client_of(server, "10.1.0.2") as client:
        assert_responsive(client)
        before = worker_pids(server)
        response = client.post(SPARQL, content=GREEDY, headers=DIRECT)
        assert response.status_code == 503
        assert "more memory than one query may use (256 MiB)" in response.text
        assert server.process.poll() is None
        assert_responsive(client)
        after = worker_pids(server)
        assert before - after, "the worker that ran it has died"
        assert len(after) >= 3, "the template and at least the two warm workers remain"


def cpu_seconds(server) -> float:
    """CPU used so far by the server and its descendants, live or reaped."""
    process = psutil.Process(server.process.pid)
    total = 0.0
    for member in [process, *process.children(recursive=True)]:
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def wait_until_idle(server, within: float = 120) -> None:
    """What a server does once at start (counting its facts, building its search index) done:
    the CPU figures below are about what the hostile queries leave behind."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        before = cpu_seconds(server)
        time.sleep(1.0)
        if cpu_seconds(server) - before < 0.1:
            return
    raise AssertionError(f"the server was still busy {within:g} s after its start")


def test_eight_hostile_queries_leave_others_their_answers_and_give_the_cpu_back(server):
    """8 endless queries from 4 clients at once: a fifth client's ASK {} keeps under 1 s p95
    while they run, each endless one gets its 503 at the time limit, and within the time limit
    plus 2 s the server and its workers are back to idle."""
    clients = [client_of(server, f"10.2.0.{n}") for n in range(1, 5)]
    with client_of(server, "10.2.1.1") as other, ThreadPoolExecutor(8) as pool:
        assert_responsive(other)
        started = time.monotonic()
        hostile = [pool.submit(clients[n % 4].post, SPARQL, content=ENDLESS, headers=DIRECT) for n in range(8)]
        time.sleep(0.5)
        latencies = []
        while time.monotonic() < started + TIMEOUT:
            response, seconds = timed(lambda: other.get(SPARQL, params={"query": "ASK {}"}))
            assert response.status_code == 200
            latencies.append(seconds)
            time.sleep(0.1)
        answers = [f.result() for f in hostile]
    for client in clients:
        client.close()
    assert [a.status_code for a in answers] == [503] * 8
    assert all("time limit of 3 s" in a.text for a in answers), [a.text for a in answers]
    assert len(latencies) >= 10
    assert statistics.quantiles(latencies, n=20)[-1] < 1.0, latencies
    time.sleep(max(0.0, started + TIMEOUT + 2 - time.monotonic()))
    before = cpu_seconds(server)
    time.sleep(1.0)
    assert cpu_seconds(server) - before < 0.25


def test_a_client_that_gives_up_frees_its_worker_and_its_places(server):
    """Six endless queries, each abandoned by its client after 0.3 s: each one's worker is stopped
    when its client goes, not at the time limit. So the same client's next ASK is answered (six
    queries still held would be past its 2 running and 4 waiting: a 429), and the CPU is back."""
    with client_of(server, "10.5.0.1") as client:
        assert_responsive(client)
        for _ in range(6):
            with pytest.raises(httpx.ReadTimeout):
                client.post(SPARQL, content=ENDLESS, headers=DIRECT, timeout=0.3)
        response = client.get(SPARQL, params={"query": "ASK {}"})
        assert response.status_code == 200, response.text
        busy = cpu_seconds(server)
        time.sleep(0.5)  # well within the 3 s limit of the last endless query
        assert cpu_seconds(server) - busy < 0.15, "an abandoned query still runs"


def test_a_flooding_client_gets_429_and_others_go_ahead_of_its_queue(server):
    """One client sends 16 queries at a time for a few seconds: beyond its share it gets 429 with
    Retry-After, and another client's query goes ahead of the flood's waiting ones. Told by order,
    not by a timer: while one of the other client's queries is out, at most a few of the flood's
    are answered (those already running); without admission it would wait behind the flood's
    whole queue, a dozen and more. Its latency under the flood is a figure of the benchmark."""
    flood_query = ("SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { ?a ?b ?c } LIMIT 2000 } "
                   "{ SELECT ?d WHERE { ?d ?e ?f } LIMIT 100 } }")
    statuses: list[int] = []
    answered: list[int] = []  # the flood's answered queries, appended as they come back
    retry_after: set[str] = set()
    stop = threading.Event()
    flooder = client_of(server, "10.3.0.66")

    def flood() -> None:
        while not stop.is_set():
            response = flooder.post(SPARQL, content=flood_query, headers=DIRECT)
            statuses.append(response.status_code)
            if response.status_code == 200:
                answered.append(1)
            elif response.status_code == 429:
                retry_after.add(response.headers.get("retry-after", ""))

    overtaken: list[int] = []
    with client_of(server, "10.3.1.1") as other:
        threads = [threading.Thread(target=flood) for _ in range(16)]
        for t in threads:
            t.start()
        try:
            while len(answered) < 16:  # the flood's queue is full before the other client asks
                time.sleep(0.01)
            for _ in range(30):
                before = len(answered)
                response = other.get(SPARQL, params={"query": "ASK {}"})
                overtaken.append(len(answered) - before)
                assert response.status_code == 200, response.text
                time.sleep(0.02)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
            flooder.close()
    assert 429 in statuses and 200 in statuses, statuses
    assert retry_after and all(value.isdigit() for value in retry_after)
    assert set(statuses) <= {200, 429, 503}
    assert statistics.median(overtaken) <= 3, overtaken


# The crawl's formats, by ?format= token and by Accept. Of the release, only the two made in
# milliseconds (its framed JSON-LD, Turtle and page take a second and more), as the crawl
# remakes what a parameter makes uncached.
CRAWLED = {"nt": "application/n-triples", "ttl": "text/turtle", "rdf": "application/rdf+xml",
           "jsonld": "application/ld+json", "html": "text/html"}
RELEASE_CRAWLED = ("nt", "rdf")
STATEMENTS_CRAWLED = 2
CRAWL_REQUESTS = 240
FLAT_BYTES = 8 << 20


def crawl_spellings(n: int, token: str) -> tuple[dict, dict]:
    """The n-th request's query string and Accept for a format, spelt anew each time: a
    parameter no route reads (rendered, never stored), ?format= beside an Accept of junk, or
    the media type among others with q-values (stored once per representation)."""
    junk = f"x/y{n}, text/plain;q=0.0{n % 9 + 1}"
    if n % 3 == 0:
        return {"x": str(n)}, {"Accept": f"{CRAWLED[token]}, {junk}"}
    if n % 3 == 1:
        return {"format": token}, {"Accept": junk}
    return {}, {"Accept": f"{junk}, {CRAWLED[token]};q=0.{n % 8 + 2}"}


def read_once(client: httpx.Client, path: str) -> None:
    """The resource read and kept (a statement's first read takes a second and more on a loaded
    machine, near the module's 3 s time limit): a 503 says to try again in a moment, so try."""
    for _ in range(3):
        response = client.get(path, headers={"Accept": "application/n-triples"})
        if response.status_code != 503:
            break
        time.sleep(1)
    assert response.status_code == 200, (path, response.status_code, response.text[:200])


def test_a_crawler_varying_query_strings_and_accept_leaves_memory_flat(server):
    """240 requests, every other one the release (half a megabyte in N-Triples or RDF/XML), the
    others two of its statements in every format, each request's query string and Accept spelt
    anew: the first half reads each resource and makes each document once; over the second half,
    which asks the same again spelt otherwise, the server's memory grows by under 8 MiB (a
    document kept per spelling would add half a megabyte per request of the release alone:
    30 MiB)."""
    process = psutil.Process(server.process.pid)
    with client_of(server, "10.4.0.1") as crawler:
        release = crawler.get("/framework/29-1129.01").headers["location"]
        described = crawler.get(release, headers={"Accept": "application/n-triples"}).text
        statements = sorted({line.split(">", 1)[0].lstrip("<") for line in described.splitlines()
                             if line.startswith(f"<{server.namespace}{release.lstrip('/')}/")})
        picked = statements[::len(statements) // STATEMENTS_CRAWLED][:STATEMENTS_CRAWLED]
        asked = ([(release, token) for token in RELEASE_CRAWLED],
                 [(iri[len(server.namespace) - 1:], token) for iri in picked for token in CRAWLED])
        assert len(asked[1]) == STATEMENTS_CRAWLED * len(CRAWLED), asked
        for path in [release, *(path for path, _ in asked[1][::len(CRAWLED)])]:
            read_once(crawler, path)

        def crawl(numbers: range) -> None:
            for n in numbers:
                path, token = asked[n % 2][n // 2 % len(asked[n % 2])]
                params, headers = crawl_spellings(n, token)
                response = crawler.get(path, params=params, headers=headers)
                assert response.status_code == 200, (path, params, headers, response.status_code, response.text[:200])
                assert response.headers["content-type"].startswith(CRAWLED[token]), (path, params, headers)
        crawl(range(CRAWL_REQUESTS // 2))
        half = process.memory_info().rss
        crawl(range(CRAWL_REQUESTS // 2, CRAWL_REQUESTS))
        end = process.memory_info().rss
    assert end - half < FLAT_BYTES, (half >> 20, end >> 20)


def test_a_service_call_however_spelt_reaches_nothing(server):
    """The walk-arounds of the issue (an escaped '#' or quote in a prefixed name before SERVICE)
    are refused, and nothing connects to the address they name."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    with listener, client_of(server, "10.5.0.1") as client:
        for escape in ("\\#", "\\'"):
            query = (f"PREFIX ex: <http://example.org/> SELECT * WHERE {{ BIND(ex:a{escape} AS ?z) "
                     f"SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}")
            for response in (client.post(SPARQL, content=query, headers=DIRECT),
                             client.get(SPARQL, params={"query": query})):
                assert response.status_code == 403 and "SERVICE" in response.text, response.text
        with pytest.raises(socket.timeout):
            listener.accept()


def raw_request(server, data: bytes, wait: float = 20) -> bytes:
    """The status line of the answer to these bytes sent as they are ('' if the server just closed)."""
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as connection:
        connection.sendall(data)
        received = b""
        while b"\r\n" not in received:
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
    return received.split(b"\r\n", 1)[0]


def get(path: bytes, header: bytes = b"") -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header + b"Connection: close\r\n\r\n"


GARBAGE_PATHS = [
    b"/%00", b"/a%00b", b"/occupation/%00", b"/%01", b"/%7F", b"/%1b[31m", b"/%ff", b"/%c3%28", b"/%ed%a0%80",
    b"/%ef%bf%bf", b"/\xff", b"/occupation/\xc3\x28", b"/%e2%80%ae", b"/%f4%90%80%80", b"/%", b"/%zz",
    b"/sitemap-%C2%B2.xml", b"/sitemap-" + b"9" * 100_000 + b".xml", b"/sitemap-0.xml", b"/sitemap-99999999999999999999.xml",
    b"/describe?iri=%00", b"/describe?iri=%ff", b"/occupation/29-1129.01?format=%ff", b"/search?q=%ff%fe",
    b"/occupations?page=%C2%B2", b"/occupations?page=" + b"9" * 5000, b"/crosswalk?from=%00", b"/trace?statement=%ff",
    b"/sparql?query=%ff", b"/sparql?query=%00", b"/occupation/29-1129.01?_profile=%ff", b"/" + b"a" * 8000,
]
GARBAGE_HEADERS = [
    b"Accept: " + b"text/html;q=0.1," * 900, b"Accept: \xff\xfe", b"Accept: */*;q=abc", b"Accept-Profile: \x01",
    b"Accept-Profile: <" + b"x" * 5000 + b">", b"If-None-Match: " + b'"x",' * 2000, b"Accept: " + b"a/b," * 20_000,
    b"Accept-Profile: <\xff>;q=x, ,,<>", b"Accept-Language: " + b"en;q=0.1," * 5000, b"Cookie: a=" + b"b" * 60_000,
    b"If-Modified-Since: \xff\xfe 99 Foo 99999", b"Range: bytes=zz-", b"X-Forwarded-For: \xff, ,zz",
    b"".join(b"X-H%d: v\r\n" % n for n in range(1000)).rstrip(b"\r\n"),
]
# Whole requests: bodies of every content type, malformed or contradicting framing, hosts that are no hosts.
SPARQL_POST = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"


def post_body(content_type: bytes, body: bytes) -> bytes:
    return SPARQL_POST + b"Content-Type: " + content_type + b"\r\nContent-Length: %d\r\n\r\n" % len(body) + body


GARBAGE_REQUESTS = {
    "content type \\xff": post_body(b"\xff\xfe", b"ASK {}"), "content type ;;;": post_body(b";;;", b"ASK {}"),
    "content type empty": post_body(b"", b"ASK {}"), "json body": post_body(b"application/json", b'{"query": "ASK {}"}'),
    "multipart, garbage": post_body(b"multipart/form-data; boundary=x", b"--x\r\ngarbage\r\n--y--"),
    "form, invalid UTF-8": post_body(b"application/x-www-form-urlencoded", b"query=%ff%fe"),
    "form, bad escapes": post_body(b"application/x-www-form-urlencoded", b"query=%zz%"),
    "form, NUL": post_body(b"application/x-www-form-urlencoded", b"query=%00"),
    "form, latin-1": post_body(b"application/x-www-form-urlencoded; charset=latin-1", b"query=ASK%7B%7D"),
    "direct, latin-1": post_body(b"application/sparql-query; charset=iso-8859-1", b'ASK { FILTER("\xe9") }'),
    "direct, invalid UTF-8": post_body(b"application/sparql-query", b"ASK { \xff }"),
    "gzip, chunked": SPARQL_POST + b"Content-Type: application/sparql-query\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                     b"6\r\nASK {}\r\n0\r\n\r\n",
    "length and chunked": SPARQL_POST + b"Content-Type: application/sparql-query\r\nContent-Length: 6\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
    "length -1": SPARQL_POST + b"Content-Type: application/sparql-query\r\nContent-Length: -1\r\n\r\nASK {}",
    "two lengths": SPARQL_POST + b"Content-Type: application/sparql-query\r\nContent-Length: 6\r\nContent-Length: 7\r\n\r\nASK {}",
    "chunk size zz": SPARQL_POST + b"Content-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"zz\r\nASK {}\r\n0\r\n\r\n",
    "host \\xff": b"GET /occupations HTTP/1.1\r\nHost: \xff\r\nConnection: close\r\n\r\n",
    "host <x>\"": b"GET /occupations HTTP/1.1\r\nHost: <x>\"\r\nConnection: close\r\n\r\n",
    "host with a space": b"GET /sitemap.xml HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n",
    "no host, HTTP/1.0": b"GET /occupations HTTP/1.0\r\n\r\n",
    "absolute URI": b"GET http://evil.example/occupations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "method BREW": b"BREW /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "preflight, garbage": b"OPTIONS /sparql HTTP/1.1\r\nHost: x\r\nOrigin: \xff\r\nAccess-Control-Request-Method: \x01\r\n"
                          b"Connection: close\r\n\r\n",
}
GARBAGE_PATHS += [
    b"/static/..%2f..%2fapp.py", b"/static/a%00b.css", b"/ims/case/v1p1/CFItems/%00",
    b"/ims/case/v1p1/CFDocuments?filter=%ff%27&limit=%C2%B2&sort=%00", b"/describe?iri=http://x/" + b"a" * 60_000,
    b"/search?q=%00%00&kind=%ff", b"/search/suggest?q=%1b%5b31m", b"/trace/framework/29-1129.01/v26.05/ai-use/developing/%C2%B2",
    b"/ontology?format=" + b"x" * 50_000, b"/occupations?" + b"&".join(b"p%d=1" % n for n in range(5000)),
    b"/occupations?page=1e3&size=-0", b"/dump/profile/%ff.jsonl", b"/sitemap-0.xml?%ff=%fe",
]


def test_garbage_paths_headers_and_bodies_get_4xx_never_5xx(server):
    """Paths with NUL, control characters, invalid UTF-8 or odd Unicode, sitemap numbers such as
    '²' or of 10^5 digits, oversized or malformed headers, bodies too long, chunked past the limit
    or shorter than their Content-Length, bodies of every content type (malformed forms, invalid
    UTF-8), contradicting framing, hosts that are no hosts: each a 4xx (or the connection refused
    by the HTTP layer), never a 5xx."""
    post = b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
    statuses = {}
    # Its 408 comes when the body time limit (10 s) is up: sent first, read last.
    short_body = threading.Thread(target=lambda: statuses.__setitem__(
        "short body", raw_request(server, post + b"Content-Length: 100\r\n\r\nASK {}")))
    short_body.start()
    for path in GARBAGE_PATHS:
        statuses[path[:40]] = raw_request(server, get(path))
    for header in GARBAGE_HEADERS:
        for path in (b"/occupation/29-1129.01", b"/sparql?query=ASK%7B%7D", b"/"):
            statuses[path + header[:30]] = raw_request(server, get(path, header + b"\r\n"))
    for name, request in GARBAGE_REQUESTS.items():
        statuses[name] = raw_request(server, request)
    statuses["declared 1 GiB"] = raw_request(server, post + b"Content-Length: 1073741824\r\n\r\nASK {}")
    statuses["length '\xb2'"] = raw_request(server, post + b"Content-Length: \xc2\xb2\r\n\r\nASK {}")
    chunk = b"#" * 65536
    statuses["chunked 2 MiB"] = raw_request(server, post + b"Transfer-Encoding: chunked\r\n\r\n"
                                            + (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 32 + b"0\r\n\r\n")
    short_body.join(timeout=30)
    for name, line in statuses.items():
        assert line == b"" or line.startswith(b"HTTP/1.1 "), (name, line)
        assert not line.startswith(b"HTTP/1.1 5"), (name, line)
    assert statuses["declared 1 GiB"].startswith(b"HTTP/1.1 413")
    assert statuses["chunked 2 MiB"].startswith(b"HTTP/1.1 413")
    assert statuses["short body"].startswith(b"HTTP/1.1 408")
    assert statuses[b"/sitemap-%C2%B2.xml"].startswith(b"HTTP/1.1 404")
    assert statuses["json body"].startswith(b"HTTP/1.1 415") and statuses["form, invalid UTF-8"].startswith(b"HTTP/1.1 400")
    assert statuses['host <x>"'].startswith(b"HTTP/1.1 400"), "no link is made from a Host that is no host"
    with client_of(server, "10.6.0.1") as client:
        assert_responsive(client)


def test_a_chunked_upload_is_refused_before_it_is_read(server):
    """A chunked POST that would send 1 GiB is cut off after its first MiB: the connection ends
    early and the server's memory does not grow by the upload."""
    process = psutil.Process(server.process.pid)
    before = process.memory_info().rss
    host, port = server.base_url.removeprefix("http://").split(":")
    sent = 0
    chunk = b"#" * 65536
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n")
        with pytest.raises(OSError):
            while sent < 1 << 30:
                connection.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
    assert sent < 64 << 20
    assert process.memory_info().rss - before < 32 << 20


# ---- the OpenAPI description, tried by Schemathesis -----------------------------------------

CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_no_generated_request_gets_a_5xx(server):
    """Requests generated from every operation of the OpenAPI description, a bounded run (six
    per operation, always the same ones): none is answered with a 5xx, and each answer's status,
    media type and JSON body are as documented. (Driven through Hypothesis directly:
    Schemathesis's pytest plugin does not run under pytest 9. The in-process run, with invalid
    requests too, is test_openapi_description.py's.)"""
    schema = schemathesis.openapi.from_url(server.base_url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    failures = []
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def check(case) -> None:
            if not case.path.startswith("/dump/"):
                case.call_and_validate(checks=CONFORMANCE, headers={"X-Forwarded-For": "10.7.0.1"}, timeout=60)
                return
            # A dump is the whole graph (tens of megabytes) and its GET is tested with the dumps:
            # HEAD, answered as its GET without the body.
            sent = case.as_transport_kwargs(base_url=server.base_url)
            response = httpx.head(sent["url"], params=sent.get("params"), timeout=60,
                                  headers={**(sent.get("headers") or {}), "X-Forwarded-For": "10.7.0.1"})
            case.validate_response(response, checks=CONFORMANCE)
        try:
            check()
        except Exception as exc:  # a failed check, with the request that caused it: collected, reported below
            failures.append(f"{operation.label}: {exc}"[:600])
    assert not failures, "\n".join(failures)


# ---- last: it ends the module's server ---------------------------------------------------------

def test_no_worker_outlives_a_killed_server(server):
    """kill -9 of the server: the template and every query worker end with it (none is left
    holding a core or the store)."""
    with client_of(server, "10.8.0.1") as client:
        assert_responsive(client)
    descendants = psutil.Process(server.process.pid).children(recursive=True)
    assert len(descendants) >= 3, "the template and the warm workers"
    server.process.kill()
    server.process.wait(timeout=10)
    gone, alive = psutil.wait_procs(descendants, timeout=10)
    assert not alive, [p.pid for p in alive]
