"""The SPARQL query page: YASGUI (served from static/), pointed at this server's /sparql, with
example queries (html/examples/*.rq) and the named queries of queries/*.rq.

Both are text for people to run: an example is shown as its file has it, after the PREFIX
lines its header names (from skillsgraph.vocab) and with its relative IRIs resolved against
this server's namespace; a named query exactly as its file has it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import skillsgraph
from fastapi import Request
from fastapi.responses import HTMLResponse

from skillsgraph.vocab import sparql_prefixes

from .frame import Page

EXAMPLES = Path(__file__).resolve().parent / "examples"
EXAMPLE_ORDER = ("proficient", "ai-use", "durable-counts", "sources")
_HEADER = re.compile(r"#\s*(\w+)\s*:\s*(.*)")
_RELATIVE_IRI = re.compile(r"<([^<>\"{}|^`\\\s:]*)>")


def _queries_dir() -> Path | None:
    package = Path(skillsgraph.__file__).resolve().parent
    for candidate in (package / "queries", package.parent / "queries"):
        if candidate.is_dir():
            return candidate
    return None


@lru_cache(maxsize=None)
def _example(name: str) -> tuple[str, tuple[str, ...], str]:
    """(title, prefixes, text after the header) of an example file."""
    lines = (EXAMPLES / f"{name}.rq").read_text(encoding="utf-8").split("\n")
    fields, body = {}, 0
    while body < len(lines) and lines[body].startswith("#"):
        match = _HEADER.fullmatch(lines[body])
        if match:
            fields[match.group(1)] = match.group(2).strip()
        body += 1
    return fields["title"], tuple(fields["prefixes"].split()), "\n".join(lines[body:])


def example_queries(namespace: str) -> list[dict]:
    """The example queries of the query page, written for this server's namespace."""
    out = []
    for name in EXAMPLE_ORDER:
        title, prefixes, text = _example(name)
        resolved = _RELATIVE_IRI.sub(lambda m: "<" + namespace + m.group(1) + ">", text)
        out.append({"id": name, "title": title, "query": sparql_prefixes(*prefixes) + resolved})
    return out


def named_queries() -> list[dict]:
    """The *.rq files of queries/, titled by their first-line comment '# title: ...'."""
    folder = _queries_dir()
    out = []
    for file in sorted(folder.glob("*.rq")) if folder else []:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        first = text.splitlines()[0] if text else ""
        match = re.match(r"\s*#\s*title\s*:\s*(.+)", first, re.IGNORECASE)
        out.append({"id": "file-" + file.stem, "title": match.group(1).strip() if match else file.stem,
                    "file": file.name, "query": text})
    return out


def render(request: Request) -> HTMLResponse:
    page = Page(request)
    examples = example_queries(page.namespace)
    files = named_queries()
    config = {"endpoint": page.to("sparql"), "namespace": page.namespace, "root": page.to(""),
              "examples": examples + files}
    context = {"examples": examples, "files": files, "config": config,
               "yasgui_css": page.to("static/yasgui/yasgui.min.css"), "yasgui_js": page.to("static/yasgui/yasgui.min.js"),
               "query_js": page.to("static/query.js")}
    return page.render("query.html", "SPARQL query", context, wide=True)


__all__ = ["render", "example_queries", "named_queries"]
