"""Every item of the reference page is in the built graph, by exact text, with its level,
domain, position and citations.

Expectations come from the page (read by seed_page.py, which does not use the loader) and
from the spec's counts; the graph is reached through its classes and properties, not
through the loader's code.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from graph_support import CITO, NAMESPACE, SCHEMA, SEED_FILE, SG, SOURCES_YAML, UNIT
from seed_page import CHIP_SUFFIX, chip_strings, read_seed_page

DCAT_DATASET = URIRef("http://www.w3.org/ns/dcat#dataset")
PAGE = read_seed_page(SEED_FILE, SOURCES_YAML)
CHIP_CODES = chip_strings(SOURCES_YAML)
INTEGER_TYPES = {XSD.integer, XSD.positiveInteger, XSD.nonNegativeInteger, XSD.int}

# Counts the issue states for this page.
SPEC_LEVEL_COMPETENCIES = 10
SPEC_AI_USE_PER_LEVEL = [2, 3, 4, 5]
SPEC_DURABLE_PER_DOMAIN = [12, 10, 8, 9, 8, 9, 8, 8, 8, 8]
SPEC_DESCRIPTORS = {"O*NET skills": 20, "Knowledge domains": 8, "Abilities": 10, "Work styles": 6, "Technology": 10}
DESCRIPTOR_CLASSES = {"O*NET skills": SG.Skill, "Knowledge domains": SG.KnowledgeArea, "Abilities": SG.Ability,
                      "Work styles": SG.WorkStyle, "Technology": SG.TechnologyCategory}
DESCRIPTOR_LINKS = {"O*NET skills": SG.skill, "Knowledge domains": SG.knowledge, "Abilities": SG.ability,
                    "Work styles": SG.workStyle, "Technology": SG.technology}


# ---- reading the graph --------------------------------------------------------------------

def one(g: Graph, s, p) -> object:
    values = list(g.objects(s, p))
    assert len(values) == 1, f"<{s}> has {len(values)} values of <{p}>: {values}"
    return values[0]


def en(g: Graph, s, p) -> str:
    value = one(g, s, p)
    assert isinstance(value, Literal) and value.language == "en", f"<{s}> <{p}> is {value!r}, expected an @en text"
    return str(value)


def position(g: Graph, s) -> int:
    value = one(g, s, SG.position)
    assert isinstance(value, Literal) and value.datatype in INTEGER_TYPES, f"<{s}> position {value!r} is not an integer"
    return int(value)


class Index:
    """The graph's statements keyed by (class, level IRI, domain IRI or None, position)."""

    def __init__(self, g: Graph):
        self.g = g
        self.statements: dict[tuple, list[URIRef]] = {}
        for cls in (SG.CompetencyStatement, SG.AIUseStatement, SG.DurableSkillStatement):
            for s in g.subjects(RDF.type, cls):
                for level in g.objects(s, SG.level):
                    domain = g.value(s, SG.domain)
                    for p in g.objects(s, SG.position):
                        self.statements.setdefault((cls, level, domain, int(p)), []).append(s)
        self.mastery = self._levels(SG.MasteryLevel)
        self.proficiency = self._levels(SG.ProficiencyLevel)
        self.domains = {int(n): d for d, n in g.subject_objects(SG.domainNumber)}
        occupations = list(g.subjects(SG.onetSocCode, Literal(PAGE.code)))
        assert len(occupations) == 1, f"occupations with code {PAGE.code}: {occupations}"
        self.occupation = occupations[0]
        releases = [r for r in g.subjects(SG.occupation, self.occupation) if (r, RDF.type, SG.FrameworkRelease) in g]
        assert len(releases) == 1, releases
        self.release = releases[0]

    def _levels(self, cls) -> dict[str, URIRef]:
        out = {}
        for lv in self.g.subjects(RDF.type, cls):
            label = en(self.g, lv, SKOS.prefLabel)
            assert label not in out, f"two {cls} levels labelled {label!r}"
            out[label] = lv
        return out

    def statement(self, cls, level: URIRef, domain: URIRef | None, pos: int) -> URIRef:
        found = self.statements.get((cls, level, domain, pos), [])
        assert len(found) == 1, f"expected one {cls} at level <{level}>, domain <{domain}>, position {pos}; found {found}"
        s = found[0]
        assert one(self.g, s, SG.framework) == self.release
        return s

    def citations(self, s: URIRef) -> list[URIRef]:
        """The sources a statement cites, in its citations' order."""
        g = self.g
        cites = []
        for c in g.objects(s, SG.citation):
            assert (c, RDF.type, SG.Citation) in g
            assert one(g, c, CITO.hasCitingEntity) == s
            cites.append((position(g, c), one(g, c, CITO.hasCitedEntity)))
        cites.sort()
        assert [p for p, _ in cites] == list(range(1, len(cites) + 1)), f"citation positions of <{s}>: {cites}"
        sources = [src for _, src in cites]
        assert set(g.objects(s, CITO.citesAsEvidence)) == set(sources)
        return sources

    def anchors(self) -> list[tuple[int, URIRef, URIRef]]:
        """(position, anchored descriptor or task, anchor) for every source anchor of the occupation."""
        g = self.g
        return [(position(g, a), one(g, a, SG.anchors), a) for a in g.objects(self.occupation, SG.sourceAnchor)]


@pytest.fixture(scope="module")
def index(built) -> Index:
    return Index(built.graph)


def expected_source(chip: str) -> URIRef:
    """A chip names the source whose registry code has this chip; its IRI is <namespace>source/<code>."""
    assert chip in CHIP_CODES, f"chip {chip!r} matches no source of the registry"
    return URIRef(NAMESPACE + "source/" + CHIP_CODES[chip])


def check_chips(g: Graph, cited: list[URIRef], chips: tuple[str, ...]) -> None:
    assert cited == [expected_source(chip) for chip in chips]
    for source, chip in zip(cited, chips):
        assert (source, RDF.type, SG.Source) in g
        # The graph's own chip label and citation print the page's chip.
        printed = en(g, source, SG.chipLabel) + en(g, source, DCTERMS.bibliographicCitation) + CHIP_SUFFIX
        assert printed == chip


# ---- parameters: one test per page item ------------------------------------------------

COMPETENCIES = [(level, n, line) for level, lines in PAGE.competencies.items() for n, line in enumerate(lines, 1)]
AI_USE = [(level, item) for level, items in PAGE.ai_use.items() for item in items]
DURABLE = [(domain, level, item) for domain in PAGE.domains for level, item in domain.items]


@pytest.mark.parametrize("level,pos,line", COMPETENCIES,
                         ids=[f"{lv}-{n}-{line[:40]}" for lv, n, line in COMPETENCIES])
def test_competency_statement(index, level, pos, line):
    g = index.g
    s = index.statement(SG.CompetencyStatement, index.mastery[level], None, pos)
    label, text = en(g, s, SKOS.prefLabel), en(g, s, SG.statementText)
    assert label + text == line
    # The page glues label and text; a split inside a word or around a space is wrong.
    assert label and text and label == label.strip() and text == text.strip()
    assert text[0].islower(), f"text of {label!r} should start with its lower-case verb: {text!r}"
    assert list(g.objects(s, SG.citation)) == []


@pytest.mark.parametrize("level,item", AI_USE, ids=[f"{lv}-{i.position}-{i.label}" for lv, i in AI_USE])
def test_ai_use_statement(index, level, item):
    g = index.g
    s = index.statement(SG.AIUseStatement, index.mastery[level], None, item.position)
    assert en(g, s, SKOS.prefLabel) == item.label
    assert en(g, s, SG.statementText) == item.text
    check_chips(g, index.citations(s), item.chips)


@pytest.mark.parametrize("domain,level,item", DURABLE,
                         ids=[f"{d.number}-{lv}-{i.position}-{i.label}" for d, lv, i in DURABLE])
def test_durable_skill_statement(index, domain, level, item):
    g = index.g
    domain_iri = index.domains[domain.number]
    assert en(g, domain_iri, SKOS.prefLabel) == domain.name
    assert (domain_iri, RDF.type, SG.DurableSkillDomain) in g
    s = index.statement(SG.DurableSkillStatement, index.proficiency[level], domain_iri, item.position)
    assert one(g, s, SG.domain) == domain_iri
    assert en(g, s, SKOS.prefLabel) == item.label
    assert en(g, s, SG.statementText) == item.text
    check_chips(g, index.citations(s), item.chips)


# ---- nothing more than the page ----------------------------------------------------------

def test_graph_has_exactly_the_page_statements(index):
    expected = {(SG.CompetencyStatement, index.mastery[lv], None, n) for lv, n, _ in COMPETENCIES}
    expected |= {(SG.AIUseStatement, index.mastery[lv], None, i.position) for lv, i in AI_USE}
    expected |= {(SG.DurableSkillStatement, index.proficiency[lv], index.domains[d.number], i.position) for d, lv, i in DURABLE}
    assert set(index.statements) == expected
    assert all(len(v) == 1 for v in index.statements.values())
    g = index.g
    for cls in (SG.CompetencyStatement, SG.AIUseStatement, SG.DurableSkillStatement):
        for s in g.subjects(RDF.type, cls):
            assert len(list(g.objects(s, SG.level))) == 1 and len(list(g.objects(s, SG.position))) == 1


def test_counts(index):
    g = index.g
    assert [len(v) for v in PAGE.competencies.values()] == [SPEC_LEVEL_COMPETENCIES] * 4
    assert len(set(g.subjects(RDF.type, SG.CompetencyStatement))) == 40 == len(COMPETENCIES)
    assert [len(v) for v in PAGE.ai_use.values()] == SPEC_AI_USE_PER_LEVEL
    assert len(set(g.subjects(RDF.type, SG.AIUseStatement))) == sum(SPEC_AI_USE_PER_LEVEL) == len(AI_USE)
    assert [d.declared_count for d in PAGE.domains] == SPEC_DURABLE_PER_DOMAIN
    assert [d.number for d in PAGE.domains] == list(range(1, 11))
    assert len(set(g.subjects(RDF.type, SG.DurableSkillStatement))) == 88 == sum(SPEC_DURABLE_PER_DOMAIN) == len(DURABLE)
    for domain in PAGE.domains:
        in_graph = set(g.subjects(SG.domain, index.domains[domain.number]))
        assert len(in_graph) == domain.declared_count, domain.name
    assert len(set(g.subjects(RDF.type, SG.DurableSkillDomain))) == 10
    assert len(PAGE.related_titles) == 12 and len(PAGE.tasks) == 8 and len(PAGE.cip) == 10
    assert PAGE.anchor_count == 62 == len(index.anchors())
    assert len(set(g.subjects(RDF.type, SG.Source))) == 7 == len(PAGE.footer_sources)


def test_exactly_one_ai_use_statement_without_citation(index):
    g = index.g
    uncited = [s for s in g.subjects(RDF.type, SG.AIUseStatement) if not list(g.objects(s, SG.citation))]
    page_uncited = [(lv, i) for lv, i in AI_USE if not i.chips]
    assert len(uncited) == 1 and len(page_uncited) == 1
    level, item = page_uncited[0]
    assert uncited[0] == index.statement(SG.AIUseStatement, index.mastery[level], None, item.position)
    assert not list(g.objects(uncited[0], CITO.citesAsEvidence))


# ---- the two level scales -----------------------------------------------------------------

def _ranked(g: Graph, levels: dict[str, URIRef]) -> list[str]:
    return [label for label, lv in sorted(levels.items(), key=lambda kv: int(one(g, kv[1], SG.rank)))]


def test_mastery_levels_and_role_titles(index):
    g = index.g
    assert _ranked(g, index.mastery) == list(PAGE.competencies) == list(PAGE.ai_use)
    for level, role in PAGE.roles.items():
        assert en(g, index.mastery[level], SG.roleTitle) == role
    assert [one(g, lv, SG.rank).toPython() for lv in (index.mastery[x] for x in PAGE.competencies)] == [1, 2, 3, 4]


def test_proficiency_levels(index):
    g = index.g
    orders = {tuple(d.levels) for d in PAGE.domains}
    assert len(orders) == 1, f"domains list their levels in different orders: {orders}"
    assert _ranked(g, index.proficiency) == list(orders.pop())
    for lv in index.proficiency.values():
        assert not list(g.objects(lv, SG.roleTitle))


def test_two_level_scales_are_distinct(index):
    g = index.g
    shared = set(index.mastery) & set(index.proficiency)
    assert {"Emerging", "Developing"} <= shared
    for name in shared:
        m, p = index.mastery[name], index.proficiency[name]
        assert m != p
        assert (m, RDF.type, SG.ProficiencyLevel) not in g and (p, RDF.type, SG.MasteryLevel) not in g
    mastery_schemes = {one(g, lv, SKOS.inScheme) for lv in index.mastery.values()}
    proficiency_schemes = {one(g, lv, SKOS.inScheme) for lv in index.proficiency.values()}
    assert len(mastery_schemes) == 1 and len(proficiency_schemes) == 1 and mastery_schemes != proficiency_schemes
    for scheme in mastery_schemes | proficiency_schemes:
        assert (scheme, RDF.type, SG.LevelScale) in g
        assert str(scheme).startswith(NAMESPACE + "scale/")
    for cls, levels in ((SG.CompetencyStatement, index.mastery), (SG.AIUseStatement, index.mastery),
                        (SG.DurableSkillStatement, index.proficiency)):
        used = {one(g, s, SG.level) for s in g.subjects(RDF.type, cls)}
        assert used == set(levels.values()), cls
    assert (SG.MasteryLevel, OWL.disjointWith, SG.ProficiencyLevel) in g


# ---- occupation, release and catalogue ----------------------------------------------------

def test_header(index):
    g, occ, rel = index.g, index.occupation, index.release
    assert en(g, occ, SKOS.prefLabel) == PAGE.title == "Art Therapists"
    assert PAGE.code == "29-1129.01"
    code = one(g, occ, SG.onetSocCode)
    assert str(code) == PAGE.code and code.language is None and code.datatype in (None, XSD.string)
    assert str(one(g, occ, SG.socCode)) == PAGE.code.split(".")[0]
    zone = one(g, occ, SG.jobZone)
    assert (zone, RDF.type, SG.JobZone) in g
    number = one(g, zone, SG.jobZoneNumber)
    assert number.datatype in INTEGER_TYPES and int(number) == PAGE.job_zone_number == 5
    assert en(g, zone, SKOS.prefLabel) == PAGE.job_zone_name == "Extensive Preparation"
    assert str(one(g, rel, SG.releaseVersion)) == PAGE.version == "26.05"
    assert en(g, rel, SG.contextCovered) == PAGE.context
    assert PAGE.context.startswith("This framework covers licensed art therapists")
    framework = one(g, rel, DCTERMS.isVersionOf)
    assert (framework, SG.release, rel) in g and one(g, framework, SG.occupation) == occ


def test_catalogue(index):
    g = index.g
    catalogues = list(g.subjects(RDF.type, SG.Catalogue))
    assert len(catalogues) == 1
    cat = catalogues[0]
    assert en(g, cat, DCTERMS.title) == PAGE.catalogue_title == "National Skills Exchange"
    count = one(g, cat, SG.occupationsWithSourceData)
    assert count.datatype in INTEGER_TYPES and int(count) == PAGE.occupations_with_source_data == 998
    assert en(g, cat, SG.aiUseNote) == PAGE.ai_use_note
    assert en(g, cat, SG.durableSkillsNote) == PAGE.durable_note
    assert en(g, cat, DCTERMS.rights) == PAGE.rights == "© 2026 EBSCOed"
    assert (cat, DCAT_DATASET, index.release) in g
    assert len(set(g.objects(cat, DCTERMS.source))) == len(PAGE.footer_sources)


def test_related_titles(index):
    g = index.g
    titles = list(g.objects(index.occupation, SG.relatedTitle))
    assert all(t.language == "en" for t in titles)
    assert sorted(map(str, titles)) == sorted(PAGE.related_titles)
    assert len(titles) == len(set(titles)) == 12


def test_no_rapids_apprenticeships(index):
    assert PAGE.rapids_apprenticeships == []
    assert list(index.g.objects(index.occupation, SG.rapidsCode)) == []


@pytest.mark.parametrize("pos", range(1, len(PAGE.tasks) + 1))
def test_task(index, pos):
    g = index.g
    found = [(target, a) for p, target, a in index.anchors() if p == pos and (target, RDF.type, SG.Task) in g]
    assert len(found) == 1, f"task anchors at position {pos}: {found}"
    task = found[0][0]
    assert en(g, task, SG.taskText) == PAGE.tasks[pos - 1]
    assert (index.occupation, SG.task, task) in g
    assert one(g, task, SG.occupation) == index.occupation


def test_tasks_in_anchor_order(index):
    g = index.g
    tasks = sorted((p, en(g, t, SG.taskText)) for p, t, _ in index.anchors() if (t, RDF.type, SG.Task) in g)
    assert [text for _, text in tasks] == PAGE.tasks
    assert len(set(g.objects(index.occupation, SG.task))) == 8


def test_cip_codes(index):
    g = index.g
    programs = list(g.objects(index.occupation, SG.instructionalProgram))
    notations = []
    for program in programs:
        assert (program, RDF.type, SG.InstructionalProgram) in g
        notation = one(g, program, SKOS.notation)
        assert notation.language is None and notation.datatype in (None, XSD.string)
        notations.append(str(notation))
    assert sorted(notations) == sorted(PAGE.cip)
    assert len(notations) == 10


@pytest.mark.parametrize("heading", list(SPEC_DESCRIPTORS))
def test_descriptors_in_anchor_order(index, heading):
    g = index.g
    cls = DESCRIPTOR_CLASSES[heading]
    anchored = sorted((p, target, a) for p, target, a in index.anchors() if (target, RDF.type, cls) in g)
    assert [p for p, _, _ in anchored] == list(range(1, len(anchored) + 1))
    assert len(anchored) == SPEC_DESCRIPTORS[heading]
    names = [en(g, target, SKOS.prefLabel) for _, target, _ in anchored]
    # The page glues the names together with nothing between them.
    assert "".join(names) == PAGE.descriptors[heading]
    assert set(g.objects(index.occupation, DESCRIPTOR_LINKS[heading])) == {t for _, t, _ in anchored}
    for _, _, anchor in anchored:
        source = one(g, anchor, PROV.wasDerivedFrom)
        assert en(g, source, DCTERMS.title).lower() == PAGE.anchor_source.lower()


def test_every_anchor_is_a_descriptor_or_task(index):
    g = index.g
    kinds = list(DESCRIPTOR_CLASSES.values()) + [SG.Task]
    for _, target, _ in index.anchors():
        assert sum((target, RDF.type, k) in g for k in kinds) == 1, target
    assert sum(SPEC_DESCRIPTORS.values()) + len(PAGE.tasks) == PAGE.anchor_count


# ---- evidence pack ---------------------------------------------------------------------------

def observation(index: Index, group: str, label: str) -> URIRef:
    """The release's observation of the metric labelled `label` in the metric group labelled `group`."""
    g = index.g
    found = []
    for obs in g.objects(index.release, SG.evidence):
        metric = one(g, obs, SG.metric)
        scheme = one(g, metric, SKOS.inScheme)
        if en(g, metric, SKOS.prefLabel) == label and en(g, scheme, SKOS.prefLabel) == group:
            found.append(obs)
    assert len(found) == 1, f"observations of {group}/{label}: {found}"
    return found[0]


NUMERIC = [(e.group, e.label, e.value) for e in PAGE.evidence if e.label and re.match(r"^\d", e.value)]


@pytest.mark.parametrize("group,label,printed", NUMERIC, ids=[f"{g}-{l}" for g, l, _ in NUMERIC])
def test_numeric_evidence(index, group, label, printed):
    g = index.g
    obs = observation(index, group, label)
    m = re.match(r"^(\d+(?:\.\d+)?)(%| / (\d+))?$", printed)
    assert m, printed
    number, suffix, maximum = m.groups()
    value = one(g, obs, SCHEMA.value)
    if "." in number:
        assert value.datatype == XSD.decimal and str(value) == number and value.toPython() == Decimal(number)
    else:
        assert value.datatype == XSD.integer and int(value) == int(number)
    units = list(g.objects(obs, SCHEMA.unitCode))
    if suffix == "%":
        assert units == [UNIT.PERCENT]
    else:
        assert UNIT.PERCENT not in units
    if maximum:
        top = one(g, obs, SCHEMA.maxValue)
        assert top.datatype in INTEGER_TYPES and int(top) == int(maximum)
    assert list(g.objects(obs, SCHEMA.valueReference)) == []


def test_evidence_values_from_the_spec(index):
    """The issue's list: 56 integer; 5.6, 61.1, 3.13, 51.5 decimal; percent unit; max 100."""
    assert [(label, value) for _, label, value in NUMERIC] == [
        ("Task observations", "56"), ("Augment share", "5.6%"), ("Time saved", "61.1%"),
        ("AI autonomy", "3.13"), ("Score", "51.5 / 100")]


def test_top_skill_is_the_onet_skill(index):
    g = index.g
    obs = observation(index, "SAFI positioning", "Top skill")
    skill = one(g, obs, SCHEMA.valueReference)
    assert (skill, RDF.type, SG.Skill) in g
    assert en(g, skill, SKOS.prefLabel) == PAGE.evidence_value("SAFI positioning", "Top skill")
    assert (index.occupation, SG.skill, skill) in g
    assert list(g.objects(obs, SCHEMA.value)) == []


def test_quadrant_is_a_code_of_the_quadrant_list(index):
    g = index.g
    obs = observation(index, "SAFI positioning", "Quadrant")
    code = one(g, obs, SCHEMA.valueReference)
    assert str(one(g, code, SKOS.notation)) == PAGE.evidence_value("SAFI positioning", "Quadrant")
    code_list = one(g, one(g, obs, SG.metric), SG.codeList)
    assert (code, SKOS.inScheme, code_list) in g and (code_list, RDF.type, SG.CodeList) in g


def test_precision_is_text(index):
    g = index.g
    obs = observation(index, "SAFI positioning", "precision")
    value = one(g, obs, SCHEMA.value)
    assert value.language is None and value.datatype in (None, XSD.string)
    assert str(value) == PAGE.evidence_value("SAFI positioning", "precision") == "exact"


def test_wef_cluster(index):
    g = index.g
    printed = [e.value for e in PAGE.evidence if e.group == "WEF cluster"]
    assert len(printed) == 2  # the cluster's name, then its code
    obs = observation(index, "WEF cluster", "WEF cluster")
    concept = one(g, obs, SCHEMA.valueReference)
    assert en(g, concept, SKOS.prefLabel) == printed[0]
    assert str(one(g, concept, SKOS.notation)) == printed[1]
    assert (concept, SKOS.inScheme, one(g, one(g, obs, SG.metric), SG.codeList)) in g


def test_every_page_evidence_line_has_one_observation(index):
    g = index.g
    labelled = [(e.group, e.label) for e in PAGE.evidence if e.label]
    groups = {e.group for e in PAGE.evidence}
    assert len(list(g.objects(index.release, SG.evidence))) == len(labelled) + sum(
        1 for grp in groups if all(e.label is None for e in PAGE.evidence if e.group == grp))
    # each observation comes from the source its group is named after (AEI, SAFI, WEF)
    for obs in g.objects(index.release, SG.evidence):
        group = en(g, one(g, one(g, obs, SG.metric), SKOS.inScheme), SKOS.prefLabel)
        title = en(g, one(g, obs, PROV.wasDerivedFrom), DCTERMS.title)
        acronym = "".join(w[0] for w in re.findall(r"[A-Z][\w-]*", title.split(" — ")[0]))
        first = group.split()[0]
        assert first == acronym or title.startswith(first), (group, title)


# ---- sources ---------------------------------------------------------------------------------

def _source_texts(g: Graph, source) -> list[str]:
    return [str(o) for p in (DCTERMS.title, SG.chipLabel, DCTERMS.bibliographicCitation, RDFS.label)
            for o in g.objects(source, p)]


@pytest.mark.parametrize("entry", PAGE.footer_sources)
def test_footer_source(index, entry):
    """Each source the footer names is one sg:Source, with a title and the licence the page states."""
    g = index.g
    m = re.match(r"^(.*?)(?: \((.*)\))?$", entry)
    name, note = m.group(1), m.group(2)
    licences = {"CC BY 4.0": URIRef("https://creativecommons.org/licenses/by/4.0/")}
    needles = [name] + ([note] if note and note not in licences else [])
    matches = [s for s in g.subjects(RDF.type, SG.Source)
               if any(n in t for n in needles for t in _source_texts(g, s))]
    assert len(matches) == 1, f"{entry!r} matches sources {matches}"
    source = matches[0]
    assert en(g, source, DCTERMS.title) and en(g, source, RDFS.label)
    assert list(g.objects(source, DCTERMS.license)) == ([licences[note]] if note in licences else []), \
        "a licence is recorded exactly when the page states one"


def test_onet_source_is_cc_by_and_version_30_2(index):
    g = index.g
    onet = [s for s in g.subjects(RDF.type, SG.Source) if str(g.value(s, SG.chipLabel)) == "O*NET v30.2"]
    assert len(onet) == 1
    assert one(g, onet[0], DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert "O*NET v30.2 (CC BY 4.0)" in PAGE.footer_sources
    assert str(one(g, onet[0], OWL.versionInfo)) == re.search(r"v(\d+\.\d+)", "O*NET v30.2").group(1)


# How the page's chips print a release: "v30.2", "release_2026_03_24", "(arXiv:2604.06906)", "Taxonomy 2021".
VERSION_PATTERNS = [r"\bv(\d+(?:\.\d+)+)\b", r"\b(release_\d{4}_\d{2}_\d{2})\b", r"\((arXiv:\d{4}\.\d{4,5})\)",
                    r"Taxonomy (\d{4})\b"]


def _page_version(chip: str) -> str | None:
    for pattern in VERSION_PATTERNS:
        m = re.search(pattern, chip)
        if m:
            return m.group(1)
    return None


def test_cited_sources_have_the_versions_their_chips_print(index):
    g = index.g
    chips = {chip for _, i in AI_USE for chip in i.chips} | {chip for _, _, i in DURABLE for chip in i.chips}
    assert len(chips) == 5
    stated = {chip: _page_version(chip) for chip in chips}
    assert sum(v is not None for v in stated.values()) == 4  # the Pathsmith chip states no release
    for chip, version in stated.items():
        source = expected_source(chip)
        assert [str(v) for v in g.objects(source, OWL.versionInfo)] == ([version] if version else []), chip
        assert en(g, source, DCTERMS.title) in chip or en(g, source, SG.chipLabel) in chip
