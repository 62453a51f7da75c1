"""The dataset described in VoID and DCAT: licence, sources, releases, SPARQL endpoint, dumps
and the triple count of every named graph (what /dataset serves).

Made from the store's facts, counted once (api/store_facts.py). Subjects are IRIs in the
namespace; what a harvester fetches (the endpoint, the dumps, the profile downloads) is a
location under `base`, the server that answers (api/locations.py)."""
from __future__ import annotations

import pyoxigraph as ox

from skillsgraph import __version__
from skillsgraph.vocab import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SD, SG, VOID, XSD

from .profiles import distributions
from .store_facts import StoreFacts

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
TITLE = "skillsgraph: occupational skills frameworks as linked data"
DESCRIPTION = ("Occupational skills frameworks (mastery levels, competency, AI-use and durable-skill statements, "
               "O*NET descriptors, evidence and sources) as RDF.")
RIGHTS = ("Includes information from O*NET (USDOL/ETA, CC BY 4.0) and the National Skills Exchange catalogue "
          "(© 2026 EBSCOed); see each source's licence.")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=_n(XSD.integer))


def description(counted: StoreFacts, namespace: str, base: str, dumps: dict[str, str]) -> list[ox.Triple]:
    """The triples of /dataset; `dumps` maps each dump's extension to its media type."""
    d = _n(namespace + "dataset")
    facts = [(RDF.type, _n(VOID.Dataset)), (RDF.type, _n(DCAT.Dataset)),
             (DCTERMS.term("title"), ox.Literal(TITLE, language="en")),
             (RDFS.label, ox.Literal("skillsgraph dataset", language="en")),
             (DCTERMS.description, ox.Literal(DESCRIPTION, language="en")),
             (DCTERMS.license, _n(LICENCE)), (DCTERMS.rights, ox.Literal(RIGHTS, language="en")),
             (VOID.uriSpace, ox.Literal(namespace)), (VOID.sparqlEndpoint, _n(base + "sparql")),
             (VOID.vocabulary, _n(SG)), (VOID.triples, _integer(counted.union_triples)),
             (FOAF.homepage, _n(namespace)), (OWL.versionInfo, ox.Literal(__version__))]
    out = [ox.Triple(d, _n(p), o) for p, o in facts]
    for info in counted.graphs:
        sub = _n(info.name)
        out += [ox.Triple(d, _n(VOID.subset), sub), ox.Triple(sub, _n(RDF.type), _n(VOID.Dataset)),
                ox.Triple(sub, _n(SD.name), sub), ox.Triple(sub, _n(VOID.triples), _integer(info.triples))]
    out += [ox.Triple(d, _n(DCTERMS.source), source) for source in counted.sources]
    out += [ox.Triple(d, _n(DCTERMS.hasPart), release) for release in counted.releases]
    out += distributions(d.value, namespace, base)
    for ext, media in dumps.items():
        for gz in (False, True):
            url = _n(f"{base}dump/skillsgraph.{ext}" + (".gz" if gz else ""))
            dist = _n(f"{namespace}dataset#dump-{ext}" + ("-gz" if gz else ""))
            out += [ox.Triple(d, _n(VOID.dataDump), url), ox.Triple(d, _n(DCAT.distribution), dist),
                    ox.Triple(dist, _n(RDF.type), _n(DCAT.Distribution)), ox.Triple(dist, _n(DCAT.downloadURL), url),
                    ox.Triple(dist, _n(DCAT.mediaType), _n(MEDIA_TYPES + media))]
            if gz:
                out.append(ox.Triple(dist, _n(DCAT.compressFormat), _n(MEDIA_TYPES + "application/gzip")))
    return list(dict.fromkeys(out))  # a graph holds each triple once


__all__ = ["description"]
