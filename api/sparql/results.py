"""Writing SPARQL query results: the four W3C results formats, and RDF for graph results.

The store hands over results as plain values over pyoxigraph terms (see store/base.py);
this module turns them into bytes, following:

* SPARQL 1.1 Query Results JSON Format  https://www.w3.org/TR/sparql11-results-json/
* SPARQL Query Results XML Format        https://www.w3.org/TR/rdf-sparql-XMLres/
* SPARQL 1.1 Query Results CSV and TSV   https://www.w3.org/TR/sparql11-results-csv-tsv/

RDF 1.2 terms follow the SPARQL 1.2 drafts, as Oxigraph writes them: a triple term is
{"type": "triple", "value": {"subject", "predicate", "object"}} in JSON, <triple> in XML,
<<( s p o )>> in TSV; a literal's base direction is "its:dir" / its:dir="rtl".
Booleans (ASK) exist only in JSON and XML: the CSV/TSV specification defines no boolean form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from xml.sax.saxutils import escape as xml_escape, quoteattr

import orjson
import pyoxigraph as ox

from skillsgraph.store.base import BooleanResult, GraphResult, SolutionsResult, Term
from skillsgraph.vocab import FORMATS, PREFIXES, XSD

XSD_STRING = XSD.string
ITS = "http://www.w3.org/2005/11/its"


@dataclass(frozen=True)
class Format:
    media_type: str          # what Content-Type says (without parameters)
    content_type: str        # the full Content-Type header value
    iri: str                 # its W3C formats IRI (http://www.w3.org/ns/formats/), for the service description
    label: str


JSON = Format("application/sparql-results+json", "application/sparql-results+json",
              FORMATS.SPARQL_Results_JSON, "SPARQL Results JSON")
XML = Format("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8",
             FORMATS.SPARQL_Results_XML, "SPARQL Results XML")
CSV = Format("text/csv", "text/csv; charset=utf-8",
             FORMATS.SPARQL_Results_CSV, "SPARQL Results CSV")
TSV = Format("text/tab-separated-values", "text/tab-separated-values; charset=utf-8",
             FORMATS.SPARQL_Results_TSV, "SPARQL Results TSV")
TURTLE = Format("text/turtle", "text/turtle; charset=utf-8", FORMATS.Turtle, "Turtle")
NTRIPLES = Format("application/n-triples", "application/n-triples; charset=utf-8",
                  FORMATS.term("N-Triples"), "N-Triples")
JSONLD = Format("application/ld+json", "application/ld+json", FORMATS.term("JSON-LD"), "JSON-LD")
RDFXML = Format("application/rdf+xml", "application/rdf+xml; charset=utf-8",
                FORMATS.RDF_XML, "RDF/XML")

# Offers in the server's order of preference: on equal q the first wins, so JSON is what
# `Accept: */*` (or no Accept) gets for SELECT/ASK and Turtle for CONSTRUCT/DESCRIBE.
# application/json is understood as a request for JSON results (answered with the proper type).
SOLUTION_FORMATS = [JSON, XML, CSV, TSV]
BOOLEAN_FORMATS = [JSON, XML]
GRAPH_FORMATS = [TURTLE, NTRIPLES, JSONLD, RDFXML]
ALIASES = {"application/json": JSON}

RDF_FORMATS = {TURTLE.media_type: ox.RdfFormat.TURTLE, NTRIPLES.media_type: ox.RdfFormat.N_TRIPLES,
               JSONLD.media_type: ox.RdfFormat.JSON_LD, RDFXML.media_type: ox.RdfFormat.RDF_XML}

# Prefixes for Turtle output, so that people reading it see short names.
TURTLE_PREFIXES = {name: str(PREFIXES[name]) for name in ("rdf", "rdfs", "xsd", "owl", "skos", "dcterms", "sg")}


def offers_for(kind: str) -> list[str]:
    """The media types that can be asked for, for a result of this kind (solutions, boolean, graph)."""
    formats = {"solutions": SOLUTION_FORMATS, "boolean": BOOLEAN_FORMATS, "graph": GRAPH_FORMATS}[kind]
    media = [f.media_type for f in formats]
    if JSON in formats:
        media.append("application/json")
    return media


def format_for(media_type: str) -> Format:
    for f in [*SOLUTION_FORMATS, *GRAPH_FORMATS]:
        if f.media_type == media_type:
            return f
    return ALIASES[media_type]


class Unrepresentable(Exception):
    """The chosen format cannot express this result (e.g. a triple term in RDF/XML)."""


# ---- JSON -------------------------------------------------------------------------------

def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction)
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def solutions_json(result: SolutionsResult) -> bytes:
    bindings = [{name: _json_term(term) for name, term in row.items()} for row in result.rows]
    return orjson.dumps({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}})


def boolean_json(result: BooleanResult) -> bytes:
    return orjson.dumps({"head": {}, "boolean": bool(result.value)})


# ---- XML --------------------------------------------------------------------------------

_XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
# Characters XML 1.0 cannot carry at all, even as references: replaced by U+FFFD rather than writing a broken document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return xml_escape(_XML_ILLEGAL.sub("\ufffd", value), {"\r": "&#13;"})


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            attrs = f" xml:lang={quoteattr(term.language)}"
            if term.direction is not None:
                attrs += f' its:dir="{term.direction}" xmlns:its="{ITS}" its:version="2.0"'
        elif term.datatype.value != XSD_STRING:
            attrs = f" datatype={quoteattr(term.datatype.value)}"
        else:
            attrs = ""
        return f"<literal{attrs}>{_xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
                f"<predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def solutions_xml(result: SolutionsResult) -> bytes:
    parts = [_XML_HEAD, "  <head>\n"]
    parts += [f"    <variable name={quoteattr(v)}/>\n" for v in result.variables]
    parts.append("  </head>\n  <results>\n")
    for row in result.rows:
        parts.append("    <result>\n")
        for name, term in row.items():
            parts.append(f"      <binding name={quoteattr(name)}>{_xml_term(term)}</binding>\n")
        parts.append("    </result>\n")
    parts.append("  </results>\n</sparql>\n")
    return "".join(parts).encode("utf-8")


def boolean_xml(result: BooleanResult) -> bytes:
    return (_XML_HEAD + "  <head/>\n  <boolean>" + ("true" if result.value else "false")
            + "</boolean>\n</sparql>\n").encode("utf-8")


# ---- CSV --------------------------------------------------------------------------------

def _csv_plain(term: Term) -> str:
    """CSV carries plain strings: the IRI, the lexical form, _:label for blank nodes."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.Triple):
        return " ".join(_csv_plain(t) for t in (term.subject, term.predicate, term.object))
    raise TypeError(f"not an RDF term: {term!r}")


def _csv_field(value: str) -> str:
    """RFC 4180: quote a field holding a quote, comma, CR or LF; double the quotes inside."""
    if any(c in value for c in '",\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def solutions_csv(result: SolutionsResult) -> bytes:
    lines = [",".join(_csv_field(v) for v in result.variables)]
    for row in result.rows:
        lines.append(",".join(_csv_field(_csv_plain(row[v])) if v in row else "" for v in result.variables))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# ---- TSV --------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t]')
# Turtle's numeric shorthands: a literal may be written bare only if it reads back the same.
_BARE = {XSD + "integer": re.compile(r"[+-]?[0-9]+\Z"),
         XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+\Z"),
         XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)\Z")}


def _quoted(value: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], value) + '"'


def term_ntriples(term: Term) -> str:
    """A term in N-Triples/Turtle syntax, as TSV results write it (tabs and newlines escaped)."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        if term.language:
            direction = f"--{term.direction}" if term.direction is not None else ""
            return f"{_quoted(term.value)}@{term.language}{direction}"
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return _quoted(term.value)
        bare = _BARE.get(datatype)
        if bare is not None and bare.match(term.value):
            return term.value
        return f"{_quoted(term.value)}^^<{datatype}>"
    if isinstance(term, ox.Triple):
        return f"<<( {term_ntriples(term.subject)} {term_ntriples(term.predicate)} {term_ntriples(term.object)} )>>"
    raise TypeError(f"not an RDF term: {term!r}")


def solutions_tsv(result: SolutionsResult) -> bytes:
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(term_ntriples(row[v]) if v in row else "" for v in result.variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---- graphs -----------------------------------------------------------------------------

def graph_bytes(triples: list[ox.Triple], fmt: Format) -> bytes:
    if fmt in (JSONLD, RDFXML) and any(isinstance(t.object, ox.Triple) for t in triples):
        raise Unrepresentable(f"this result holds triple terms (RDF 1.2), which {fmt.label} cannot express; "
                              f"ask for {TURTLE.media_type} or {NTRIPLES.media_type}")
    prefixes = TURTLE_PREFIXES if fmt is TURTLE else None
    try:
        return ox.serialize(triples, format=RDF_FORMATS[fmt.media_type], prefixes=prefixes)
    except (OSError, ValueError) as exc:
        raise Unrepresentable(f"this result cannot be written as {fmt.label}: {exc}") from None


# ---- dispatch ---------------------------------------------------------------------------

_WRITERS: dict[tuple[str, str], Callable] = {
    ("solutions", JSON.media_type): solutions_json,
    ("solutions", XML.media_type): solutions_xml,
    ("solutions", CSV.media_type): solutions_csv,
    ("solutions", TSV.media_type): solutions_tsv,
    ("boolean", JSON.media_type): boolean_json,
    ("boolean", XML.media_type): boolean_xml,
}


def serialize(result: SolutionsResult | BooleanResult | GraphResult, fmt: Format) -> bytes:
    if isinstance(result, GraphResult):
        return graph_bytes(result.triples, fmt)
    return _WRITERS[(result.kind, fmt.media_type)](result)
