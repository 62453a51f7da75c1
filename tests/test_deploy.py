"""The deployment recipe of deploy/single-host/, run end to end as its README lays it out: a
Virtuoso open source server (store/virtuoso_server.py) with the publish job's own account
(virtuoso-publisher.sql), the publish job (publish.sh), two API replicas (replica.sh) and
Debian's nginx in front (nginx.conf, run in the foreground from a folder of the test's own),
every template filled in by the test with this run's ports and folders.

Then, through nginx only: health, a SPARQL query, documents whose every link is at the public
URL and resolves there, both replicas answering, HEAD and conditional requests, the body limit,
and a second publish of a changed build seen through the proxy, the replicas restarted one at a
time (the recipe's step after a publish) without a failed request.

Real processes, by necessity: the subject is the processes and the proxy between them. The
build is the session's `built` (the bundled frameworks, without the published crosswalks and
classifications: a publish of those into Virtuoso takes minutes), written with its input stamp
so that the publish job finds it current and builds nothing.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from server_fixtures import NAMESPACE, REPO, VIRTUOSO_PASSWORD, free_port, stop_process

RECIPE = REPO / "deploy" / "single-host"
PUBLIC_PATH = "/skills/"
PUBLISHER = ("skillsgraph-publisher", "publisher-secret-42")
OCCUPATION = "occupation/29-1129.01"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


def render(template: Path, target: Path, values: dict[str, str]) -> Path:
    """The template with each {{NAME}} replaced, as the README's sed line does."""
    text = template.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    assert "{{" not in text, f"{template.name}: a placeholder is left: {text[text.index('{{'):][:40]}"
    target.write_text(text, encoding="utf-8")
    return target


def nginx_tool() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        raise FileNotFoundError("nginx is not installed: apt-get install nginx (tests/engines_setup.sh does)")
    return found


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}: {log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout:g} s: {log.read_text()[-3000:]}")


@dataclass
class Deployment:
    root: Path
    config: Path
    home: Path
    public_url: str       # SKILLSGRAPH_PUBLIC_URL: nginx, as clients name it
    proxy_url: str        # nginx by address, under the public path: a Host other than the public URL's
    store_url: str        # Virtuoso's base URL
    replica_ports: list[int]
    replicas: list[subprocess.Popen]
    nginx_prefix: Path
    env: dict[str, str]

    def publish(self) -> subprocess.CompletedProcess:
        return subprocess.run(["sh", str(RECIPE / "publish.sh"), str(self.config), "--data", str(self.home / "data")],
                              capture_output=True, text=True, env=self.env, timeout=600)

    def start_replicas(self, *indexes: int) -> None:
        """These replicas started (together), answering once this returns."""
        for index in indexes:
            with open(self._replica_log(index), "ab") as out:
                self.replicas[index] = subprocess.Popen(
                    ["sh", str(RECIPE / "replica.sh"), str(self.config), str(self.replica_ports[index])],
                    env=self.env, stdout=out, stderr=subprocess.STDOUT)
        for index in indexes:
            wait_for(f"http://127.0.0.1:{self.replica_ports[index]}/health", self.replicas[index],
                     self._replica_log(index))

    def _replica_log(self, index: int) -> Path:
        return self.root / f"replica-{index + 1}.log"

    def access_log(self) -> str:
        return (self.nginx_prefix / "logs" / "access.log").read_text(encoding="utf-8")


def write_current_build(home: Path, nquads: bytes) -> Path:
    """The build file with the input stamp of home/data, as `skillsgraph build --data` leaves it."""
    from skillsgraph.loader.inputs import build_inputs, write_build
    target = home / "skillsgraph.nq"
    write_build(target, nquads, build_inputs(home / "data", NAMESPACE).digest)
    return target


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, built) -> Deployment:
    from skillsgraph.store.endpoints import Credentials, preset
    from skillsgraph.store.sparql_store import wait_until_ready
    from skillsgraph.store.virtuoso_server import start_virtuoso
    root = tmp_path_factory.mktemp("deploy")
    home, config, prefix = root / "home", root / "config", root / "nginx"
    for folder in (home, config, prefix / "logs", prefix / "temp"):
        folder.mkdir(parents=True)
    shutil.copytree(REPO / "data", home / "data", ignore=shutil.ignore_patterns("published"))
    write_current_build(home, built.nquads)
    started: list = []
    try:
        virtuoso = start_virtuoso(root / "virtuoso", free_port("SKILLSGRAPH_TEST_VIRTUOSO_SQL_PORTS"),
                                  free_port("SKILLSGRAPH_TEST_VIRTUOSO_HTTP_PORTS"), password=VIRTUOSO_PASSWORD)
        started.append(virtuoso.stop)
        account = {"PUBLISHER_USER": PUBLISHER[0], "PUBLISHER_PASSWORD": PUBLISHER[1]}
        # README step 2, as written: the account's SQL fed to isql-vt as dba.
        setup = subprocess.run([virtuoso.isql, str(virtuoso.sql_port), "dba", VIRTUOSO_PASSWORD],
                               input=render(RECIPE / "virtuoso-publisher.sql", root / "publisher.sql", account).read_text(),
                               capture_output=True, text=True, timeout=60)
        assert setup.returncode == 0 and "*** Error" not in setup.stdout + setup.stderr, setup.stdout + setup.stderr
        wait_until_ready(preset("virtuoso", virtuoso.base_url, Credentials(*PUBLISHER, "digest")), timeout=60)
        nginx_port, replica_ports = free_port(), [free_port(), free_port()]
        public_url = f"http://localhost:{nginx_port}{PUBLIC_PATH}"
        render(RECIPE / "skillsgraph.env", config / "skillsgraph.env",
               {"PUBLIC_URL": public_url, "SPARQL_ENDPOINT": virtuoso.base_url, "HOME": str(home)})
        render(RECIPE / "publisher.env", config / "publisher.env", account)
        # The replicas and the job run the `skillsgraph` of this environment, and its Python.
        path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
        env = {k: v for k, v in os.environ.items() if not k.startswith("SKILLSGRAPH_")} | {"PATH": path}
        deployment = Deployment(root, config, home, public_url, f"http://127.0.0.1:{nginx_port}{PUBLIC_PATH}",
                                virtuoso.base_url, replica_ports, [None, None], prefix, env)
        published = deployment.publish()
        assert published.returncode == 0, published.stderr[-3000:]
        started.append(lambda: [stop_process(replica) for replica in deployment.replicas if replica is not None])
        deployment.start_replicas(0, 1)
        render(RECIPE / "nginx.conf", prefix / "nginx.conf",
               {"LISTEN": f"127.0.0.1:{nginx_port}", "SERVER_NAME": "localhost", "PUBLIC_PATH": PUBLIC_PATH,
                "REPLICA_1": f"127.0.0.1:{replica_ports[0]}", "REPLICA_2": f"127.0.0.1:{replica_ports[1]}"})
        nginx_log = root / "nginx.log"
        with open(nginx_log, "wb") as out:
            nginx = subprocess.Popen([nginx_tool(), "-p", str(prefix), "-c", "nginx.conf", "-e", "stderr",
                                      "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT)
        started.append(lambda: stop_process(nginx))
        wait_for(deployment.proxy_url + "health", nginx, nginx_log)
        yield deployment
    finally:
        for stop in reversed(started):
            stop()


@pytest.fixture(scope="module")
def proxy(deployment):
    with httpx.Client(base_url=deployment.proxy_url, timeout=60) as client:
        yield client


# ---- the templates, without a server --------------------------------------------------------

def test_nginx_limits_match_the_replicas():
    """The body limit is the app's own, and nginx waits longer than a replica's query limit."""
    from skillsgraph.api.sparql.protocol import MAX_BODY
    conf = (RECIPE / "nginx.conf").read_text(encoding="utf-8")
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size and int(size[1]) << 20 == MAX_BODY
    read = re.search(r"proxy_read_timeout (\d+)s;", conf)
    query = re.search(r"SKILLSGRAPH_QUERY_TIMEOUT:-(\d+)", (RECIPE / "replica.sh").read_text(encoding="utf-8"))
    assert read and query and int(read[1]) > int(query[1])
    assert "proxy_buffering off;" in conf


# ---- the deployment, through nginx ------------------------------------------------------------

def test_health_and_a_sparql_query_through_the_proxy(deployment, proxy, built):
    assert proxy.get("health").json() == {"status": "ok"}
    answer = proxy.post("sparql", data={"query": COUNT}, headers=JSON_RESULTS)
    assert answer.status_code == 200, answer.text
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == len(built.graph)


def test_every_link_is_at_the_public_url_and_resolves_through_the_proxy(deployment, proxy):
    public = deployment.public_url
    doc = proxy.get(OCCUPATION, headers={"Accept": "application/ld+json"})
    assert doc.status_code == 200 and doc.json()["@context"] == public + "context.jsonld"
    links = re.findall(r"<([^>]+)>", doc.headers["link"])
    assert links and all(link.startswith(public) for link in links), links
    view = proxy.get("occupations?size=1").json()["view"]
    paging = [view[name] for name in ("id", "first", "last")]
    assert all(link.startswith(public + "occupations?") for link in paging), view
    dataset = proxy.get("dataset", headers={"Accept": "application/n-triples"}).text
    endpoint = re.search(r"<http://rdfs.org/ns/void#sparqlEndpoint> <([^>]+)>", dataset)[1]
    dumps = re.findall(r"<http://rdfs.org/ns/void#dataDump> <([^>]+)>", dataset)
    assert endpoint == public + "sparql" and public + "dump/skillsgraph.nt" in dumps
    assert "127.0.0.1" not in dataset and NAMESPACE + "dataset" in dataset
    with httpx.Client(timeout=60) as client:  # each link as a client follows it: by the public URL
        for link in [doc.json()["@context"], *paging, *links]:
            assert client.get(link).status_code == 200, link
        assert client.post(endpoint, data={"query": "ASK { ?s ?p ?o }"}, headers=JSON_RESULTS).json()["boolean"] is True
        dump = client.get(public + "dump/skillsgraph.nq")
    direct = httpx.get(f"http://127.0.0.1:{deployment.replica_ports[0]}/dump/skillsgraph.nq", timeout=60)
    assert dump.status_code == 200 and dump.content == direct.content and dump.content.count(b"\n") > 1000
    assert "content-encoding" not in dump.headers  # streamed through as the replica wrote it


def test_both_replicas_answer(deployment, proxy):
    for _ in range(6):
        assert proxy.get("health").status_code == 200
    answered = set(re.findall(r"upstream=127\.0\.0\.1:(\d+)", deployment.access_log()))
    assert answered >= {str(port) for port in deployment.replica_ports}, answered


def test_head_and_conditional_requests_pass_through(deployment, proxy):
    got = proxy.get(OCCUPATION, headers={"Accept": "text/turtle"})
    head = proxy.head(OCCUPATION, headers={"Accept": "text/turtle"})
    assert got.status_code == head.status_code == 200 and head.content == b"" and got.content
    assert got.headers["content-encoding"] == "gzip" and "Accept-Encoding" in got.headers["vary"]  # nginx's
    # A compressed answer's ETag is the weak form of the same tag.
    assert head.headers["etag"].removeprefix("W/") == got.headers["etag"].removeprefix("W/")
    assert head.headers["last-modified"] == got.headers["last-modified"]
    for condition in ({"If-None-Match": got.headers["etag"]}, {"If-Modified-Since": got.headers["last-modified"]}):
        again = proxy.get(OCCUPATION, headers={"Accept": "text/turtle", **condition})
        assert again.status_code == 304 and again.content == b"", condition


def test_only_the_publish_job_writes(deployment, proxy):
    """Virtuoso's anonymous endpoint and the proxy's both refuse an update, and no replica holds
    the publisher's password (publisher.env is the job's alone)."""
    update = {"update": "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"}
    assert httpx.post(deployment.store_url + "/sparql", data=update, timeout=30).status_code in (400, 401, 403)
    assert proxy.post("sparql", data=update).status_code == 403  # the API's endpoint is read-only
    for replica in deployment.replicas:
        environment = Path(f"/proc/{replica.pid}/environ").read_bytes().split(b"\0")
        assert not any(line.startswith(b"SKILLSGRAPH_SPARQL_PASSWORD=") for line in environment)
        assert any(line.startswith(b"SKILLSGRAPH_PUBLIC_URL=") for line in environment)


def test_a_body_over_the_limit_is_refused_with_a_message(proxy):
    refused = proxy.post("sparql", content=b"x" * ((1 << 20) + 1), headers={"Content-Type": "application/sparql-query"})
    assert refused.status_code == 413 and "1 MiB" in refused.text
    assert refused.headers["content-type"].startswith("text/plain")


def test_a_changed_build_is_seen_through_the_proxy_and_a_rolling_restart_loses_no_request(deployment, proxy, built):
    """The publish job publishes the new build; SPARQL answers and the documents each replica
    had kept follow within a second; then the replicas restart one at a time (an upgrade) while
    requests keep coming, and none fails."""
    mark = f'<{NAMESPACE}{OCCUPATION}> <http://www.w3.org/2000/01/rdf-schema#comment> "published twice"'
    graph = re.search(rb"<[^>]+> \.\n", built.nquads)[0][:-3].decode()  # the graph of the first quad
    write_current_build(deployment.home, built.nquads + f"{mark} {graph} .\n".encode())
    ask = {"query": f"ASK {{ {mark} }}"}

    def seen() -> bool:
        return proxy.post("sparql", data=ask, headers=JSON_RESULTS).json()["boolean"]
    assert not seen()
    before = [proxy.get("dataset", headers={"Accept": "application/n-triples"}) for _ in range(4)]  # both replicas keep it
    published = deployment.publish()
    assert published.returncode == 0, published.stderr[-3000:]
    assert "1 changed" in published.stdout + published.stderr, published.stdout + published.stderr
    deadline = time.monotonic() + 10
    while not seen():
        assert time.monotonic() < deadline, "the new publication was not seen within 10 s"
        time.sleep(0.2)
    time.sleep(1.2)  # each replica reads the publication's record again once it is a second old
    assert all(seen() for _ in range(4))
    triples = f"<{NAMESPACE}dataset> <http://rdfs.org/ns/void#triples> \"(\\d+)\""
    count = int(re.search(triples, before[0].text)[1])
    for _ in range(4):  # each replica's /dataset, counted again for the new publication
        after = proxy.get("dataset", headers={"Accept": "application/n-triples"})
        assert int(re.search(triples, after.text)[1]) == count + 1
        assert after.headers["last-modified"] != before[0].headers["last-modified"]
    failures, done = [], threading.Event()

    def keep_asking() -> None:
        with httpx.Client(base_url=deployment.proxy_url, timeout=30) as client:
            while not done.is_set():
                answer = client.get(OCCUPATION, headers={"Accept": "text/turtle"})
                if answer.status_code != 200:
                    failures.append(answer.status_code)
                done.wait(0.02)
    asking = threading.Thread(target=keep_asking)
    asking.start()
    # README step 7: one replica at a time, the next once nginx sends to the first again.
    left_out = int(re.search(r"fail_timeout=(\d+)s", (RECIPE / "nginx.conf").read_text(encoding="utf-8"))[1])
    try:
        for index in range(2):
            stop_process(deployment.replicas[index])
            deployment.start_replicas(index)
            if index == 0:
                time.sleep(left_out + 1.2)  # nginx counts fail_timeout in whole seconds (README step 7)
    finally:
        done.set()
        asking.join()
    assert not failures, failures
    assert int(re.search(triples, proxy.get("dataset", headers={"Accept": "application/n-triples"}).text)[1]) == count + 1
