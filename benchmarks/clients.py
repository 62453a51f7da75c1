"""The clients that time requests: httpx from Python, one request after another (what a Python
caller sees), and wrk, a C load generator (what the server itself costs, without Python's client
overhead), for latency with one connection and for throughput with many.

A request is a `Request` (method, URL, form body, headers): a SPARQL query against a peer's
endpoint, or a document of skillsgraph's own.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

from peers import tool
from timing import Timing

SPARQL_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    form: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def sparql(endpoint: str, query: str) -> Request:
    return Request("POST", endpoint, {"query": query}, {"Accept": SPARQL_JSON})


def document(url: str, accept: str = "application/ld+json") -> Request:
    return Request("GET", url, headers={"Accept": accept})


# ---- httpx ---------------------------------------------------------------------------------------

def timed(client: httpx.Client, request: Request, timing: Timing, count: int, budget: float) -> None:
    """Up to `count` requests, one after another, stopping after `budget` seconds (at least one)."""
    started = time.perf_counter()
    for _ in range(count):
        t = time.perf_counter()
        answer = client.request(request.method, request.url, data=request.form or None, headers=request.headers)
        timing.samples.append(time.perf_counter() - t)
        if answer.status_code != 200:
            raise RuntimeError(f"{request.url}: {answer.status_code} {answer.text[:300]}")
        if time.perf_counter() - started > budget:
            break


# ---- wrk -----------------------------------------------------------------------------------------

@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50: float
    p95: float
    errors: int
    p99: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)  # failed answers by status, when counted

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


_SCRIPT = """
local requests = {%(requests)s}
local i = 0
request = function()
  i = i %% #requests + 1
  return requests[i]
end
%(statuses)s
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.status + summary.errors.timeout
  local out = io.open("%(out)s", "w")
  out:write(string.format('{"requests": %%d, "micros": %%d, "p50": %%d, "p95": %%d, "p99": %%d, "errors": %%d, '
    .. '"statuses": {%%s}}', summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), errors, failed_statuses()))
  out:close()
end
"""

# Counting answers by status needs wrk to hand every response to Lua (it parses them anyway, but the
# call costs): only runs that report failures by status ask for it. Each wrk thread has its own Lua
# state, so each counts its own and done() adds them up.
_COUNT_STATUSES = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
failed = {}
response = function(status, headers, body)
  if status >= 400 then failed[status] = (failed[status] or 0) + 1 end
end
failed_statuses = function()
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("failed")) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, string.format('"%d": %d', status, n)) end
  return table.concat(parts, ", ")
end
"""
_NO_STATUSES = 'failed_statuses = function() return "" end'



def wrk(requests: list[Request], connections: int, seconds: float, threads: int = 1,
        count_statuses: bool = False) -> WrkResult:
    """wrk sending the requests in turn over `connections` connections for `seconds`."""
    binary = tool("wrk", "install Debian's package: apt-get install wrk")
    base = urlsplit(requests[0].url)
    with tempfile.TemporaryDirectory() as tmp:
        out, script = Path(tmp) / "result.json", Path(tmp) / "requests.lua"
        sent = [_lua(r, client) for r in requests for client in _clients(connections)]
        script.write_text(_SCRIPT % {"requests": ", ".join(sent), "out": out,
                                     "statuses": _COUNT_STATUSES if count_statuses else _NO_STATUSES}, encoding="utf-8")
        subprocess.run([binary, "-t", str(min(threads, connections)), "-c", str(connections),
                        "-d", f"{max(1, round(seconds))}s", "--timeout", "600s", "-s", str(script),
                        f"{base.scheme}://{base.netloc}"], check=True, stdout=subprocess.DEVNULL, timeout=seconds + 900)
        result = json.loads(out.read_text(encoding="utf-8"))
    # Failed requests (a 429 or 503 among them) are counted, and the table shows them.
    return WrkResult(result["requests"], result["micros"] / 1e6, result["p50"] / 1e6, result["p95"] / 1e6,
                     result["errors"], result["p99"] / 1e6, {int(k): v for k, v in result["statuses"].items()})


def _clients(connections: int) -> list[str]:
    """One client address per connection: the mix stands for many users, and skillsgraph holds
    one address to its share of the endpoint (api/sparql/admission.py: 429 beyond it). Sent as
    X-Forwarded-For, which uvicorn trusts from 127.0.0.1; the other peers ignore it."""
    return [f"10.77.{n // 256}.{n % 256}" for n in range(connections)]


def _lua(request: Request, client: str) -> str:
    parts = urlsplit(request.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    # wrk adds Host only to its own default request
    headers = {"Host": parts.netloc, "X-Forwarded-For": client, **request.headers}
    body = "nil"
    if request.form:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = _lua_string(urlencode(request.form))
    header_table = "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()) + "}"
    return f"wrk.format({_lua_string(request.method)}, {_lua_string(path)}, {header_table}, {body})"


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
