"""Builds are canonical and namespaced; exports round-trip; `skillsgraph query` answers; the
ontology documents its terms and the JSON-LD context names only terms that exist."""
from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from app_fixtures import seed_published_cache
from graph_support import (CONTEXT_FILE, NAMESPACE, ONTOLOGY_IRI, REPO, SG, VOCAB_DIR, build_bundled,
                           run_cli)

OTHER_NAMESPACE = "https://example.org/sg/"


def parse_nquads(data: bytes) -> Dataset:
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    return ds


def nt_graph(data: bytes) -> Graph:
    g = Graph()
    g.parse(data=data, format="nt")
    return g


# ---- builds -------------------------------------------------------------------------------------

def test_rebuild_is_byte_identical(built):
    again = build_bundled()
    assert again.nquads == built.nquads
    lines = built.nquads.decode("utf-8").splitlines()
    assert lines == sorted(set(lines)), "canonical N-Quads are sorted and free of duplicates"


def test_no_blank_nodes(built):
    quads = list(built.dataset.quads((None, None, None, None)))
    assert len(quads) == built.nquads.count(b"\n")
    for quad in quads:
        assert not any(isinstance(term, BNode) for term in quad), quad
    assert not any(line.startswith("_:") or " _:" in line for line in built.nquads.decode("utf-8").splitlines())


def test_every_named_graph_is_under_the_namespace(built):
    names = {str(g) for _, _, _, g in built.dataset.quads((None, None, None, None))}
    assert names == set(built.graph_names)
    assert all(n.startswith(NAMESPACE + "graph/") for n in names)


@pytest.fixture(scope="module")
def other_namespace_build(tmp_path_factory) -> bytes:
    home = tmp_path_factory.mktemp("other-namespace")
    out = home / "build.nq"
    result = run_cli("build", "--out", str(out), home=home, namespace=OTHER_NAMESPACE)
    assert result.returncode == 0, result.stderr.decode()
    return out.read_bytes()


def _is_ontology_term(iri: str) -> bool:
    return iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#")


def test_iris_follow_the_configured_namespace(other_namespace_build):
    ds = parse_nquads(other_namespace_build)
    subjects = set()
    for s, p, o, g in ds.quads((None, None, None, None)):
        assert str(g).startswith(OTHER_NAMESPACE + "graph/")
        subjects.add(str(s))
        for term in (s, p, o):
            if isinstance(term, URIRef) and str(term).startswith(NAMESPACE):
                assert _is_ontology_term(str(term)), f"{term} is minted under the default namespace"
    minted = {s for s in subjects if not _is_ontology_term(s)}
    assert minted and all(s.startswith(OTHER_NAMESPACE) for s in minted), sorted(
        s for s in minted if not s.startswith(OTHER_NAMESPACE))[:5]


def test_namespace_changes_nothing_but_the_iris(built, other_namespace_build):
    moved = {line.replace(OTHER_NAMESPACE, NAMESPACE) for line in other_namespace_build.decode("utf-8").splitlines()}
    assert moved == set(built.nquads.decode("utf-8").splitlines())


def test_namespace_must_end_with_a_slash(tmp_path):
    result = run_cli("validate", home=tmp_path, namespace="https://example.org/sg")
    stderr = result.stderr.decode()
    assert result.returncode == 2
    assert "SKILLSGRAPH_NAMESPACE must end with '/'" in stderr and "Traceback" not in stderr


# ---- exports --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def export_home(tmp_path_factory, published_build) -> Path:
    home = tmp_path_factory.mktemp("export-home")
    seed_published_cache(published_build, home)
    return home


@pytest.fixture(scope="module")
def exports(export_home) -> dict[str, bytes]:
    """Each format once, some to standard output and some with --out."""
    out: dict[str, bytes] = {}
    for fmt, to_file in (("nq", True), ("nt", False), ("ttl", True), ("jsonld", False)):
        args = ["export", "--format", fmt]
        target = export_home / f"export.{fmt}"
        if to_file:
            args += ["--out", str(target)]
        result = run_cli(*args, home=export_home)
        assert result.returncode == 0, result.stderr.decode()
        out[fmt] = target.read_bytes() if to_file else result.stdout
    return out


def test_export_builds_into_its_home(export_home, exports, built):
    assert (export_home / "skillsgraph.nq").read_bytes() == built.nquads


def test_a_build_is_not_redone_until_its_inputs_change(tmp_path, built, published_build):
    """`build` writes the stamp that `serve`, `export` and `query` check, so a command after it
    reuses the build; another namespace is another input, so the next command builds again."""
    home = tmp_path / "home"
    seed_published_cache(published_build, home)
    assert run_cli("build", home=home).returncode == 0
    assert (home / "skillsgraph.inputs").is_file()
    after = run_cli("export", "--format", "nq", home=home)
    assert after.returncode == 0 and after.stdout == built.nquads
    assert b"built " not in after.stderr, after.stderr.decode()
    changed = run_cli("export", "--format", "nq", home=home, namespace=OTHER_NAMESPACE)
    assert changed.returncode == 0 and b"built " in changed.stderr, changed.stderr.decode()
    assert OTHER_NAMESPACE.encode() in changed.stdout and NAMESPACE.encode() + b"occupation/" not in changed.stdout


def test_a_rebuild_of_unchanged_data_leaves_the_build_file_as_it_was(tmp_path, built):
    """Stores tell their data by the build file's modification time: a rebuild that would write the
    same bytes keeps the file (and its time), so the next `serve` loads nothing again."""
    from graph_support import DATA_DIR
    from skillsgraph.loader.build import build
    target = tmp_path / "skillsgraph.nq"
    build(DATA_DIR, NAMESPACE, target, workers=1)
    before = target.stat().st_mtime_ns
    time.sleep(0.05)
    again = build(DATA_DIR, NAMESPACE, target, workers=1)
    assert target.stat().st_mtime_ns == before and target.read_bytes() == again.nquads == built.nquads
    build(DATA_DIR, OTHER_NAMESPACE, target, workers=1)
    assert target.stat().st_mtime_ns != before and OTHER_NAMESPACE.encode() in target.read_bytes()


def test_nquads_export_is_the_build(exports, built):
    assert exports["nq"] == built.nquads


def test_ntriples_export_is_the_union(exports, built):
    g = nt_graph(exports["nt"])
    assert set(g) == set(built.graph)
    lines = exports["nt"].decode("utf-8").splitlines()
    assert lines == sorted(set(lines)) and len(lines) == len(g)


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_export_reparses_isomorphic(exports, fmt, parser):
    g = Graph()
    g.parse(data=exports[fmt], format=parser)
    reference = nt_graph(exports["nt"])
    assert len(g) == len(reference)
    assert isomorphic(g, reference)


def test_jsonld_export_uses_the_shipped_context(exports):
    doc = json.loads(exports["jsonld"])
    shipped = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == shipped
    assert "@graph" in doc


def _no_network(url, options=None):
    raise AssertionError(f"JSON-LD processing tried to fetch {url}")


def test_jsonld_export_expands_offline_to_the_same_triples(exports):
    doc = json.loads(exports["jsonld"])
    expanded = jsonld.expand(doc, {"documentLoader": _no_network})
    assert all("@context" not in node for node in expanded)
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads", "documentLoader": _no_network})
    triples = {line for line in nquads.splitlines() if line.strip()}
    reference = nt_graph(exports["nt"])
    assert len(triples) == len(reference)
    assert isomorphic(nt_graph("\n".join(sorted(triples)).encode("utf-8") + b"\n"), reference)


def test_unknown_export_format(export_home, exports):
    result = run_cli("export", "--format", "rdfxml", home=export_home)
    stderr = result.stderr.decode()
    assert result.returncode == 2
    assert "unknown format 'rdfxml'" in stderr and all(f in stderr for f in ("nt", "nq", "ttl", "jsonld"))
    assert "Traceback" not in stderr and result.stdout == b""


# ---- query ----------------------------------------------------------------------------------------

PROFICIENT_COMPETENCIES = """
PREFIX sg: <https://w3id.org/skillsgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
# All Proficient competency statements with their labels, in order.
SELECT ?label ?text WHERE {
  ?statement a sg:CompetencyStatement ; sg:level ?level ; sg:position ?position ;
             skos:prefLabel ?label ; sg:statementText ?text .
  ?level a sg:MasteryLevel ; skos:prefLabel "Proficient"@en .
} ORDER BY ?position
"""


def test_query_proficient_competencies_in_order(export_home, exports, seed):
    result = run_cli("query", "--format", "csv", PROFICIENT_COMPETENCIES, home=export_home)
    assert result.returncode == 0, result.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"))))
    page = seed.competencies["Proficient"]
    assert len(rows) == len(page) == 10
    labels = [row["label"] for row in rows]
    for label, row, line in zip(labels, rows, page):
        assert label + row["text"] == line
    assert labels[0] == "Comprehensive program design" and labels[-1] == "Fine arts expertise application"


def test_query_from_a_file_and_ask(export_home, exports, tmp_path):
    query = tmp_path / "ask.rq"
    query.write_text('PREFIX sg: <https://w3id.org/skillsgraph/ontology#>\nASK { ?s sg:onetSocCode "29-1129.01" }\n',
                     encoding="utf-8")
    result = run_cli("query", "--file", str(query), home=export_home)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().strip() == "true"


def test_invalid_query_exits_2_with_a_message(export_home, exports):
    result = run_cli("query", "SELECT ?s WHERE { ?s ?p ", home=export_home)
    out = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 2
    assert "SPARQL syntax error" in result.stderr.decode() and "error at 1:" in result.stderr.decode()
    assert "Traceback" not in out


# ---- ontology and context ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    for file in sorted((REPO / "ontology").glob("*.ttl")):
        g.parse(file, format="turtle")
    return g


TERM_TYPES = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def sg_terms(ontology: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if str(s).startswith(str(SG))}


def test_every_sg_term_has_a_label_and_definition(ontology):
    terms = sg_terms(ontology)
    assert len(terms) > 50
    for term in sorted(terms):
        labels = [o for o in ontology.objects(term, RDFS.label) if o.language == "en" and str(o).strip()]
        definitions = [o for o in ontology.objects(term, SKOS.definition) if o.language == "en" and str(o).strip()]
        assert len(labels) == 1 and len(definitions) == 1, term


def test_every_sg_term_in_the_graph_is_defined(built, ontology):
    terms = sg_terms(ontology)
    used = {p for _, p, _ in built.data_graph} | set(built.data_graph.objects(None, RDF.type))
    undefined = sorted(t for t in used if str(t).startswith(str(SG)) and t not in terms)
    assert undefined == []


def test_the_build_carries_the_ontology(built, ontology):
    in_build = Graph()
    for s, p, o in built.dataset.graph(URIRef(NAMESPACE + "graph/ontology")):
        in_build.add((s, p, o))
    assert isomorphic(in_build, ontology)


# IRIs the context, the ontology and the graph use from vocabularies of which ../shared/vocab
# has no copy (QUDT units, the ESCO model, FOAF, SSSOM). They cannot be checked offline, so they are
# listed one by one here, and a test asserts that none of them is defined offline after all.
NO_OFFLINE_COPY = {
    "http://qudt.org/vocab/unit/": {"PERCENT", "NUM", "UNITLESS"},
    "http://data.europa.eu/esco/model#": {"Occupation", "Skill"},
    "http://xmlns.com/foaf/0.1/": {"page", "Agent"},
    "https://w3id.org/sssom/": {"Mapping", "mapping_justification", "confidence", "comment", "similarity_score"},
}
ALLOW_LIST = {ns + local for ns, locals_ in NO_OFFLINE_COPY.items() for local in locals_}
CTDL_SCHEMAS = {  # schema file -> (context file, prefixes it defines terms in)
    "ctdl-ceterms-schema.jsonld": ("ctdl-ceterms-context.json", ("ceterms",)),
    "ctdlasn-ceasn-schema.jsonld": ("ctdlasn-ceasn-context.json", ("ceasn", "asn")),
}


@pytest.fixture(scope="module")
def vocabulary_terms() -> tuple[set[str], set[str]]:
    """(IRIs the offline vocabularies define, every IRI they mention)."""
    ontologies = VOCAB_DIR / "ontologies"
    g = Graph()
    for file in sorted(ontologies.glob("*.ttl")):
        g.parse(file, format="turtle")
    for file in sorted(ontologies.glob("*.rdf")):
        g.parse(file, format="xml")
    g.parse(ontologies / "hydra-core.jsonld", format="json-ld")
    for file in sorted((VOCAB_DIR / "converted").glob("*.nq")):
        ds = Dataset()
        ds.parse(file, format="nquads")
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
    defined = {str(s) for s in g.subjects() if isinstance(s, URIRef)}
    mentioned = defined | {str(t) for t in g.predicates()} | {str(o) for o in g.objects() if isinstance(o, URIRef)}
    for schema, (context, prefixes) in CTDL_SCHEMAS.items():
        ctx = json.loads((VOCAB_DIR / "contexts" / context).read_text(encoding="utf-8"))["@context"]
        for node in json.loads((ontologies / schema).read_text(encoding="utf-8"))["@graph"]:
            prefix, _, local = node["@id"].partition(":")
            if prefix in prefixes:
                defined.add(ctx[prefix] + local)
                mentioned.add(ctx[prefix] + local)
    return defined, mentioned


def test_allow_listed_iris_really_have_no_offline_copy(vocabulary_terms):
    defined, _ = vocabulary_terms
    assert sorted(iri for iri in ALLOW_LIST if iri in defined) == []


def _context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]


def _prefixes(ctx: dict) -> dict[str, str]:
    return {k: v for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@") and v.endswith(("/", "#"))}


def _expand(value: str, prefixes: dict[str, str]) -> str:
    prefix, sep, local = value.partition(":")
    return prefixes[prefix] + local if sep and prefix in prefixes else value


def _allow_listed(iri: str) -> bool:
    return iri in ALLOW_LIST


def test_every_context_term_resolves_to_a_known_iri(ontology, vocabulary_terms):
    defined, _ = vocabulary_terms
    ctx = _context()
    prefixes = _prefixes(ctx)
    ours = {str(s) for s in ontology.subjects()}
    unresolved = []
    checked = 0
    for term, definition in ctx.items():
        if term.startswith("@") or term in prefixes:
            continue
        iri = definition if isinstance(definition, str) else definition["@id"]
        if iri.startswith("@"):  # keyword aliases such as "id": "@id"
            continue
        full = _expand(iri, prefixes)
        checked += 1
        if full.startswith(str(SG)):
            ok = full in ours
        else:
            ok = full in defined or _allow_listed(full)
        if not ok:
            unresolved.append(f"{term} -> {full}")
    assert checked > 80
    assert unresolved == []


def test_every_context_prefix_names_a_known_vocabulary(vocabulary_terms):
    _, mentioned = vocabulary_terms
    for prefix, namespace in _prefixes(_context()).items():
        if namespace == str(SG) or namespace in NO_OFFLINE_COPY:
            assert namespace == str(SG) or any(iri.startswith(namespace) for iri in ALLOW_LIST)
            continue
        assert any(iri.startswith(namespace) for iri in mentioned), f"{prefix}: {namespace}"


def test_ontology_alignments_point_to_existing_terms(ontology, vocabulary_terms):
    defined, _ = vocabulary_terms
    alignment = (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch, SKOS.exactMatch, OWL.inverseOf,
                 OWL.equivalentClass, OWL.equivalentProperty, OWL.disjointWith, RDFS.seeAlso, RDFS.domain)
    targets = {str(o) for p in alignment for o in ontology.objects(None, p) if isinstance(o, URIRef)}
    external = {t for t in targets if not t.startswith(str(SG))}
    assert external
    missing = sorted(t for t in external if t not in defined and not _allow_listed(t))
    assert missing == []


def test_every_vocabulary_term_in_the_graph_exists(built, ontology, vocabulary_terms):
    """Every predicate, class and coded value the graph borrows from a vocabulary is defined there."""
    defined, _ = vocabulary_terms
    g = built.data_graph
    used = {p for _, p, _ in g} | set(g.objects(None, RDF.type))
    used |= {o for p in (URIRef("https://schema.org/unitCode"), URIRef("http://purl.org/spar/cito/hasCitationCharacterization"))
             for o in g.objects(None, p)}
    ours = {str(s) for s in ontology.subjects()}
    missing = sorted(str(t) for t in used
                     if not (str(t) in ours if str(t).startswith(str(SG)) else str(t) in defined or _allow_listed(str(t))))
    assert missing == []
