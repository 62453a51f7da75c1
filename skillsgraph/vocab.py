"""Every namespace the project writes or reads, spelt once.

Loader, store and API import their namespaces from here (the loader wraps them in rdflib's
Namespace, the API uses them as strings), and every SPARQL PREFIX header and Turtle prefix
map is derived from PREFIXES, so a namespace IRI is written nowhere else in the code.
"""
from __future__ import annotations


class Namespace(str):
    """A namespace IRI; `NS.term` and `NS.term("name-with-dashes")` give a term's IRI as a str."""

    __slots__ = ()

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return str(self) + name

    def term(self, name: str) -> str:
        return str(self) + name


# The data namespace every minted IRI lives under, unless SKILLSGRAPH_NAMESPACE says otherwise.
DEFAULT_NAMESPACE = "https://w3id.org/skillsgraph/"

SG = Namespace("https://w3id.org/skillsgraph/ontology#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
CITO = Namespace("http://purl.org/spar/cito/")
SCHEMA = Namespace("https://schema.org/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
VOID = Namespace("http://rdfs.org/ns/void#")
# The bookkeeping graphs of a publication on an external server (store/publication.py): outside
# the data's namespace, never served as data.
PUBLICATION = Namespace("urn:x-skillsgraph:")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
PROF = Namespace("http://www.w3.org/ns/dx/prof/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
ESCO = Namespace("http://data.europa.eu/esco/")
# ESCO's ontology (classes such as Occupation, Skill), apart from ESCO's data; not in PREFIXES,
# whose `esco` is the data namespace queries name concepts in.
ESCO_MODEL = Namespace("http://data.europa.eu/esco/model#")

PREFIXES: dict[str, Namespace] = {
    "sg": SG, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "dcterms": DCTERMS, "dcat": DCAT,
    "prov": PROV, "foaf": FOAF, "cito": CITO, "schema": SCHEMA, "unit": UNIT, "void": VOID, "sd": SD, "sh": SH,
    "hydra": HYDRA, "prof": PROF, "semapv": SEMAPV, "formats": FORMATS, "ent": ENTAILMENT, "esco": ESCO,
}


def sparql_prefixes(*names: str) -> str:
    """PREFIX lines for the named prefixes (all of PREFIXES when none are named)."""
    chosen = names or tuple(PREFIXES)
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in chosen)


__all__ = ["Namespace", "DEFAULT_NAMESPACE", "PREFIXES", "sparql_prefixes", *[n.upper() for n in PREFIXES if n != "ent"],
           "ENTAILMENT", "ESCO_MODEL"]
