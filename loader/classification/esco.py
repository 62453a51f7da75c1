"""ESCO's classification (European Commission), from the CSV files of one language
(loader.classification.esco_files), as SKOS concepts at ESCO's own IRIs:

- occupations (occupations_<lang>.csv): esco:Occupation with preferred, alternative and hidden
  labels, description (dcterms:description), definition, scope note, regulated-profession note
  (sg:regulatedProfessionNote, ESCO's concept), code (skos:notation), ISCO-08 unit group
  (sg:iscoGroup), status (sg:status), modified date and concept schemes;
- the ISCO-08 groups (ISCOGroups_<lang>.csv) as our isco08/<code> concepts in code-list/isco08,
  the nodes the crosswalks name, each skos:exactMatch ESCO's IRI of the group (isco/C2269); the
  ten major groups are the scheme's top concepts;
- broader relations of the occupation pillar (ISCO groups and occupations; ESCO's ISCO IRIs read
  as our isco08 concepts) and of the skill pillar, each written both ways;
- skill groups, the skills hierarchy (its level-0 concepts the top concepts of ESCO's
  skills-hierarchy scheme), skills (skills_<lang>.csv) with their skill type and reuse level,
  skill-skill and occupation-skill relations (sg:essentialSkill, sg:optionalSkill);
- the concept schemes with their top concepts, and the collections (digital, green, language,
  transversal, research skills and occupations, DigComp), each a skos:Collection of ours,
  esco-collection/<name>, whose members keep the labels and broader concepts the file gives.

A file the folder lacks is skipped and said so (the public copy here has no skills_en.csv or
occupationSkillRelations_en.csv), except occupations and ISCO groups, which the others refer to.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..code_lists import SCHEMES
from ..errors import SourceDataError
from ..graphs import DCTERMS, ESCO_MODEL, SG, SKOS, XSD
from ..iris import Iris
from ..nquads import iri, plain, typed
from ..tables import Layout, Problems, RowError, Table, problem, read_table, text
from . import esco_files as ef
from .concepts import ALT, DEFINITION, DESCRIPTION, HIDDEN, IN_SCHEME, MEMBER, SCOPE, Concepts

OCCUPATION, SKILL = str(ESCO_MODEL.Occupation), str(ESCO_MODEL.Skill)
SKILLS_HIERARCHY_SCHEME = ef.ESCO_ROOT + "concept-scheme/skills-hierarchy"
STATUS, MODIFIED, ISCO_GROUP, REGULATED = (iri(SG.status), iri(DCTERMS.modified), iri(SG.iscoGroup),
                                           iri(SG.regulatedProfessionNote))
SKILL_TYPE, REUSE_LEVEL, EXACT, TITLE = (iri(SG.skillType), iri(SG.reuseLevel), iri(SKOS.exactMatch),
                                         iri(DCTERMS.title))
RELATION = {"essential": str(SG.essentialSkill), "optional": str(SG.optionalSkill)}


@dataclass
class EscoTables:
    read: list[tuple[ef.EscoFile, Table]]
    skipped: list[str]


def esco_tables(folder: Path, language: str = "en") -> EscoTables:
    """The tables of the files the folder has; raises SourceDataError when a required one is missing."""
    read, skipped = [], []
    for f in ef.FILES:
        path = Path(folder) / f.name(language)
        if not path.is_file():
            if f.required:
                raise SourceDataError([problem(Path(folder).name, None, "", f"has no {f.name(language)}; an ESCO "
                                               "classification folder holds the CSV files of one language, at least "
                                               f"{' and '.join(g.name(language) for g in ef.FILES if g.required)}")])
            skipped.append(f"{f.name(language)} (file not in this folder)")
            continue
        read.append((f, read_table(path, Layout(f.columns), f"ESCO's {f.stem}")))
    return EscoTables(read, skipped)


@dataclass
class EscoWriter:
    """Turns the rows of each file into concepts; knows the occupations and ISCO groups read so
    far, so that the files read after them are checked against them."""
    out: Concepts
    iris: Iris
    occupations: set[str] = field(default_factory=set)
    isco: set[str] = field(default_factory=set)
    handlers: dict[str, Callable[[dict[str, str]], None]] = field(init=False)

    def __post_init__(self) -> None:
        self.handlers = {ef.OCCUPATIONS.stem: self.occupation, ef.ISCO_GROUPS.stem: self.isco_group,
                         ef.OCCUPATION_BROADER.stem: self.occupation_broader, ef.SKILLS.stem: self.skill,
                         ef.SKILL_GROUPS.stem: self.skill_group, ef.SKILLS_HIERARCHY.stem: self.hierarchy,
                         ef.SKILL_BROADER.stem: self.skill_broader, ef.SKILL_SKILL.stem: self.skill_skill,
                         ef.OCCUPATION_SKILLS.stem: self.occupation_skill, ef.CONCEPT_SCHEMES.stem: self.concept_scheme}
        for collection in ef.COLLECTIONS:
            self.handlers[collection.file.stem] = self._collection(collection)

    def _isco(self, code: str) -> str:
        return str(self.iris.code_node("isco08", code))

    def _common(self, s: str, c: dict[str, str], label_lists: Callable[[str], list[str]] = ef.lines) -> None:
        """The columns files share, where the file has them."""
        for column, predicate in (("altLabels", ALT), ("hiddenLabels", HIDDEN)):
            if column in c:
                self.out.texts(s, predicate, label_lists(c[column]))
        for column, predicate in (("description", DESCRIPTION), ("definition", DEFINITION), ("scopeNote", SCOPE)):
            if column in c:
                self.out.text(s, predicate, c[column])
        if c.get("status"):
            self.out.t(iri(s), STATUS, plain(c["status"]))
        if "modifiedDate" in c and (modified := ef.date_time(c, "modifiedDate")):
            self.out.t(iri(s), MODIFIED, typed(modified, XSD.dateTime))
        if "inScheme" in c:
            for scheme in ef.iris(c, "inScheme"):
                self.out.link(s, IN_SCHEME, scheme)

    def occupation(self, c: dict[str, str]) -> None:
        ef.expect(c, "conceptType", "Occupation")
        s = ef.esco_iri(c, "conceptUri", "occupation")
        group = ef.isco_code(c, "iscoGroup")
        if group not in self.isco:
            raise RowError("iscoGroup", f"{group!r} is not an ISCO-08 group of {ef.ISCO_GROUPS.name('en')}")
        self.out.concept(s, [OCCUPATION], None, ef.occupation_code(c), c["preferredLabel"])
        self.out.link(s, ISCO_GROUP, self._isco(group))
        if c["regulatedProfessionNote"]:
            self.out.link(s, REGULATED, ef.esco_iri(c, "regulatedProfessionNote", "regulated-profession note"))
        self._common(s, c)
        self.occupations.add(s)

    def isco_group(self, c: dict[str, str]) -> None:
        ef.expect(c, "conceptType", "ISCOGroup")
        code = ef.isco_code(c, "code")
        if ef.isco_of(c, "conceptUri") != code:
            raise RowError("conceptUri", f"{c['conceptUri']!r} is not ESCO's IRI of ISCO group {code}")
        scheme = str(self.iris.code_list("isco08"))
        self.out.scheme(scheme, SCHEMES["isco08"].label)
        node = self._isco(code)
        self.out.concept(node, [SG.CodedConcept], scheme, code, c["preferredLabel"])
        self.out.link(node, EXACT, c["conceptUri"])
        if len(code) == 1:
            self.out.top(node, scheme)
        self._common(node, {k: v for k, v in c.items() if k != "inScheme"})   # ESCO's schemes hold ESCO's IRI
        self.isco.add(code)

    def _pillar_node(self, c: dict[str, str], uri: str, kind: str) -> str:
        if c[kind] == "ISCOGroup":
            code = ef.isco_of(c, uri)
            if code not in self.isco:
                raise RowError(uri, f"{c[uri]!r} is not a group of {ef.ISCO_GROUPS.name('en')}")
            return self._isco(code)
        ef.expect(c, kind, "Occupation")
        if c[uri] not in self.occupations:
            raise RowError(uri, f"{c[uri]!r} is not an occupation of {ef.OCCUPATIONS.name('en')}")
        return c[uri]

    def occupation_broader(self, c: dict[str, str]) -> None:
        self.out.broader(self._pillar_node(c, "conceptUri", "conceptType"), self._pillar_node(c, "broaderUri", "broaderType"))

    def skill(self, c: dict[str, str]) -> None:
        ef.expect(c, "conceptType", "KnowledgeSkillCompetence")
        s = ef.esco_iri(c, "conceptUri", "skill")
        self.out.concept(s, [SKILL], None, "", c["preferredLabel"])
        self._skill_kind(s, c)
        self._common(s, c)

    def _skill_kind(self, s: str, c: dict[str, str]) -> None:
        for column, predicate in (("skillType", SKILL_TYPE), ("reuseLevel", REUSE_LEVEL)):
            if c.get(column):
                self.out.t(iri(s), predicate, plain(c[column]))

    def skill_group(self, c: dict[str, str]) -> None:
        ef.expect(c, "conceptType", "SkillGroup")
        s = ef.esco_iri(c, "conceptUri", "skill group")
        self.out.concept(s, [], None, c["code"], c["preferredLabel"])
        self._common(s, c)

    def hierarchy(self, c: dict[str, str]) -> None:
        levels = [n for n in range(4) if c[f"Level {n} URI"]]
        if not levels or levels != list(range(len(levels))):
            raise RowError("Level 0 URI", "names no concept, or skips a level; each row is a path from level 0 down")
        n = levels[-1]
        s = ef.esco_iri(c, f"Level {n} URI")
        self.out.concept(s, [], None, c[f"Level {n} code"], c[f"Level {n} preferred term"])
        self.out.text(s, DESCRIPTION, c["Description"])
        self.out.text(s, SCOPE, c["Scope note"])
        if n == 0:
            self.out.top(s, SKILLS_HIERARCHY_SCHEME)
        else:
            self.out.broader(s, ef.esco_iri(c, f"Level {n - 1} URI"))

    def skill_broader(self, c: dict[str, str]) -> None:
        for uri, kind in (("conceptUri", "conceptType"), ("broaderUri", "broaderType")):
            if ef.expect(c, kind, "KnowledgeSkillCompetence", "SkillGroup") == "KnowledgeSkillCompetence":
                self.out.concept(ef.esco_iri(c, uri, "skill"), [SKILL])
        self.out.broader(ef.esco_iri(c, "conceptUri"), ef.esco_iri(c, "broaderUri"))

    def _relation(self, c: dict[str, str], subject: str, obj: str) -> None:
        relation = ef.expect(c, "relationType", *ef.RELATION_TYPES)
        self.out.link(ef.esco_iri(c, subject), iri(RELATION[relation]), ef.esco_iri(c, obj, "skill"))

    def skill_skill(self, c: dict[str, str]) -> None:
        self._relation(c, "originalSkillUri", "relatedSkillUri")

    def occupation_skill(self, c: dict[str, str]) -> None:
        if c["occupationUri"] not in self.occupations:
            raise RowError("occupationUri", f"{c['occupationUri']!r} is not an occupation of {ef.OCCUPATIONS.name('en')}")
        self._relation(c, "occupationUri", "skillUri")

    def concept_scheme(self, c: dict[str, str]) -> None:
        ef.expect(c, "conceptType", "ConceptScheme")
        s = ef.esco_iri(c, "conceptSchemeUri", "concept scheme")
        self.out.scheme(s, c["preferredLabel"])
        self.out.text(s, TITLE, c["title"])
        self._common(s, {k: c[k] for k in ("description", "status")})
        for top in ef.iris(c, "hasTopConcept"):
            self.out.top(top, s)

    def _collection(self, collection: ef.Collection) -> Callable[[dict[str, str]], None]:
        node = str(self.iris.esco_collection(collection.slug))

        def member(c: dict[str, str]) -> None:
            kind = ef.expect(c, "conceptType", "KnowledgeSkillCompetence", "Occupation")
            s = ef.esco_iri(c, "conceptUri")
            self.out.collection(node, collection.label)
            self.out.link(node, MEMBER, s)
            self.out.concept(s, [SKILL if kind == "KnowledgeSkillCompetence" else OCCUPATION], None, "", c["preferredLabel"])
            self._skill_kind(s, c)
            self._common(s, {k: v for k, v in c.items() if k in ("altLabels", "description", "status")}, ef.piped)
            for broader in ef.iris(c, "broaderConceptUri"):
                self.out.broader(s, broader)
        return member


def write_esco(out: Concepts, iris: Iris, tables: EscoTables) -> list[tuple[str, int]]:
    """Every row of every table as concepts; (file name, rows) of each; raises SourceDataError
    with the problems of every file when any row is wrong."""
    writer = EscoWriter(out, iris)
    problems: list = []
    counts = []
    for f, table in tables.read:
        found = Problems(table.file.name)
        handle = writer.handlers[f.stem]
        for line, values in table.rows:
            try:
                if len(values) > len(f.columns):  # ESCO leaves out a record's empty fields at its end
                    raise RowError("", f"has {len(values)} fields; the header has {len(f.columns)}")
                handle({k: text(v) for k, v in table.cells(f.columns, values).items()})
            except RowError as exc:
                found.add(table.row_problem(line, exc))
        problems += found.all()
        counts.append((table.file.name, len(table.rows)))
    if problems:
        raise SourceDataError(problems)
    return counts
