"""Read every source file of a data folder, check it against the data model and
resolve every reference between files. All problems are collected, so one run shows
them all; nothing downstream runs unless this succeeds."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .anchor_candidates import candidates, statements
from .errors import SourceDataError, SourceProblem
from .partial_model import unpruned, without
from .pydantic_messages import problems_from
from .schema import (
    CODE_PATTERN, CatalogueFile, DescriptorsFile, DomainsFile, EvidenceFile, FrameworkFile,
    ScaleMappingsFile, ScalesFile, SourcesFile,
)
from .source_files import LocatedDocument, framework_paths, read_yaml

M = TypeVar("M", bound=BaseModel)

REGISTRY_FILES = {
    "sources": ("registries/sources.yaml", SourcesFile),
    "catalogue": ("registries/catalogue.yaml", CatalogueFile),
    "scales": ("registries/scales.yaml", ScalesFile),
    "domains": ("registries/durable-domains.yaml", DomainsFile),
    "descriptors": ("registries/onet-descriptors.yaml", DescriptorsFile),
    "evidence": ("registries/evidence.yaml", EvidenceFile),
    "scale_mappings": ("registries/scale-mappings.yaml", ScaleMappingsFile),
}
MASTERY, PROFICIENCY = "mastery", "durable-proficiency"
DESCRIPTOR_KINDS = ("skills", "knowledge", "abilities", "work_styles", "technology")


@dataclass(frozen=True)
class Registries:
    sources: SourcesFile
    catalogue: CatalogueFile
    scales: ScalesFile
    domains: DomainsFile
    descriptors: DescriptorsFile
    evidence: EvidenceFile
    scale_mappings: ScaleMappingsFile


@dataclass(frozen=True)
class FrameworkSource:
    file: Path
    content: FrameworkFile


@dataclass(frozen=True)
class SourceData:
    registries: Registries
    frameworks: list[FrameworkSource]


def read_source_data(data_dir: Path, framework_files: list[Path] | None = None) -> SourceData:
    """Read the registries and the framework files (all of data_dir/frameworks by default)."""
    registries = read_registries(data_dir)
    files = framework_files if framework_files is not None else list_framework_files(data_dir)
    problems: list[SourceProblem] = []
    frameworks = []
    for file in files:
        try:
            frameworks.append(read_framework(file, registries))
        except SourceDataError as exc:
            problems.extend(exc.problems)
    problems += duplicate_releases([(fw.file, release_key(fw)) for fw in frameworks])
    if problems:
        raise SourceDataError(problems)
    return SourceData(registries, frameworks)


def list_framework_files(data_dir: Path) -> list[Path]:
    files = framework_paths(data_dir)
    if not files:
        raise SourceDataError([SourceProblem(data_dir / "frameworks", None, None, "",
                                             "no framework files (*.yaml) found; add one per occupation framework")])
    return files


def read_registries(data_dir: Path) -> Registries:
    problems: list[SourceProblem] = []
    docs: dict[str, LocatedDocument] = {}
    parsed: dict[str, BaseModel] = {}
    pruned: list[tuple] = []
    for name, (relative, model) in REGISTRY_FILES.items():
        result = _parse(data_dir / relative, model, problems)
        if result:
            docs[name], parsed[name] = result.doc, result.content
            pruned += result.pruned
    if len(parsed) == len(REGISTRY_FILES):
        # Checked even when a file broke the data model: with the broken values left out, what
        # the rest says is checked in the same run.
        problems += unpruned(_check_registries(Registries(**parsed), docs), pruned)  # type: ignore[arg-type]
    if problems:
        raise SourceDataError(problems)
    return Registries(**parsed)  # type: ignore[arg-type]


def read_framework(file: Path, registries: Registries) -> FrameworkSource:
    """One framework file, checked against the data model and the registries: every problem of
    both at once (a value that breaks the data model is left out of the second check)."""
    problems: list[SourceProblem] = []
    result = _parse(file, FrameworkFile, problems)
    if result:
        problems += unpruned(_check_framework(registries, result.doc, result.content), result.pruned)
    if problems:
        raise SourceDataError(problems)
    return FrameworkSource(file, result.content)


def release_key(framework: FrameworkSource) -> tuple[str, str]:
    return framework.content.occupation.onet_soc, framework.content.framework.release


def duplicate_releases(entries: list[tuple[Path, tuple[str, str]]]) -> list[SourceProblem]:
    """Each (occupation, release) pair may be defined by one file only."""
    seen: dict[tuple[str, str], Path] = {}
    out = []
    for file, key in entries:
        if key in seen:
            out.append(SourceProblem(file, None, None, "framework.release",
                                     f"release {key[1]} of {key[0]} is also defined in {seen[key]}; each release may be defined once"))
        seen[key] = file
    return out


@dataclass(frozen=True)
class Parsed(Generic[M]):
    doc: LocatedDocument
    content: M
    pruned: list[tuple]  # the key paths left out because their values broke the data model


def _parse(file: Path, model: type[M], problems: list[SourceProblem]) -> Parsed[M] | None:
    """The file as its model, or None when it cannot be read; a file that breaks the model has
    its problems added and is read again without the broken values (each list item holding one
    left out whole, else the key), so that its other checks can still run."""
    if not file.is_file():
        problems.append(SourceProblem(file, None, None, "", "file not found; every data folder needs it (see README 'Source data')"))
        return None
    try:
        doc = read_yaml(file)
    except SourceDataError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), f"expected a YAML mapping at the top of the file, got {type(doc.data).__name__}"))
        return None
    try:
        return Parsed(doc, model.model_validate(doc.data), [])
    except ValidationError as exc:
        problems.extend(problems_from(exc, doc, model))
        errors = exc.errors(include_url=False)
    data, pruned = without(doc.data, [(tuple(e["loc"]), e["type"] == "missing") for e in errors])
    if data is None:
        return None
    try:
        return Parsed(doc, model.model_validate(data), pruned)
    except ValidationError:
        return None  # a required value is broken: the other checks would only echo it


def _unknown(value: str, known: list[str], what: str, shown: int | None = 12) -> str:
    """`shown` caps the known values listed (None: all of them)."""
    close = difflib.get_close_matches(value, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    listed = ", ".join(known) if shown is None or len(known) <= shown else ", ".join(known[:shown]) + ", ..."
    return f"unknown {what} {value!r}; {hint}known: {listed}"


def _check_registries(reg: Registries, docs: dict[str, LocatedDocument]) -> list[SourceProblem]:
    import re
    out: list[SourceProblem] = []
    sources = list(reg.sources.sources)
    for key in sources:
        if not re.match(CODE_PATTERN, key):
            out.append(docs["sources"].problem(("sources", key), f"source code {key!r} is not valid: use lower-case letters, digits, '.' and '-'"))

    def cite(doc: str, path: tuple, code: str | None) -> None:
        if code is not None and code not in reg.sources.sources:
            out.append(docs[doc].problem(path, _unknown(code, sources, "source")))

    for i, code in enumerate(reg.catalogue.catalogue.sources):
        cite("catalogue", ("catalogue", "sources", i), code)
    for name, scale in reg.scales.scales.items():
        cite("scales", ("scales", name, "source"), scale.source)
        out += _duplicates(docs["scales"], ("scales", name, "levels"), [lv.code for lv in scale.levels], "level code")
    for name in (MASTERY, PROFICIENCY):
        if name not in reg.scales.scales:
            out.append(docs["scales"].problem(("scales",), f"the scale {name!r} is required"))
    cite("domains", ("source",), reg.domains.source)
    out += _duplicates(docs["domains"], ("domains",), [d.code for d in reg.domains.domains], "domain code")
    out += _duplicates(docs["domains"], ("domains",), [str(d.number) for d in reg.domains.domains], "domain number")
    for kind in DESCRIPTOR_KINDS:
        out += _duplicates(docs["descriptors"], (kind,), [d.name for d in getattr(reg.descriptors, kind)], "descriptor name")
    for gname, group in reg.evidence.groups.items():
        cite("evidence", ("groups", gname, "source"), group.source)
        for mname, metric in group.metrics.items():
            if metric.kind == "concept" and metric.scheme not in reg.evidence.schemes:
                out.append(docs["evidence"].problem(("groups", gname, "metrics", mname, "scheme"),
                                                    _unknown(str(metric.scheme), list(reg.evidence.schemes), "code list")))
            if metric.kind == "score" and metric.max is None:
                out.append(docs["evidence"].problem(("groups", gname, "metrics", mname), "a score metric needs 'max', the top of its range"))
    for sname, scheme in reg.evidence.schemes.items():
        cite("evidence", ("schemes", sname, "source"), scheme.source)
    out += _check_scale_mappings(reg, docs["scale_mappings"])
    return out


def _check_scale_mappings(reg: Registries, doc: LocatedDocument) -> list[SourceProblem]:
    """Every editorial mapping names known levels, domains and O*NET skills, once each, and
    leaves no mastery level or domain unmapped: a gap would read as 'no counterpart' by omission."""
    out: list[SourceProblem] = []
    mastery = [lv.code for lv in reg.scales.scales[MASTERY].levels] if MASTERY in reg.scales.scales else []
    proficiency = [lv.code for lv in reg.scales.scales[PROFICIENCY].levels] if PROFICIENCY in reg.scales.scales else []
    domains = [d.code for d in reg.domains.domains]
    skills = {d.element_id: d.name for d in reg.descriptors.skills if d.element_id}
    skill_list = [f"{i} ({name})" for i, name in skills.items()]
    sm = reg.scale_mappings
    for i, m in enumerate(sm.levels):
        if m.mastery not in mastery:
            out.append(doc.problem(("levels", i, "mastery"), _unknown(m.mastery, mastery, "mastery level")))
        if m.proficiency not in proficiency:
            out.append(doc.problem(("levels", i, "proficiency"), _unknown(m.proficiency, proficiency, "durable-proficiency level")))
    for i, m in enumerate(sm.domains):
        if m.domain not in domains:
            out.append(doc.problem(("domains", i, "domain"), _unknown(m.domain, domains, "durable-skill domain")))
        if m.element_id not in skills:
            out.append(doc.problem(("domains", i, "element_id"), _unknown(m.element_id, skill_list, "O*NET skill element ID")
                                   + " (a skill with this element_id in registries/onet-descriptors.yaml)"))
    out += _duplicates(doc, ("levels",), [f"{m.mastery} -> {m.proficiency}" for m in sm.levels], "level mapping")
    out += _duplicates(doc, ("domains",), [f"{m.domain} -> {m.element_id}" for m in sm.domains], "domain mapping")
    for what, key, codes, mapped in (("mastery level", "levels", mastery, {m.mastery for m in sm.levels}),
                                     ("durable-skill domain", "domains", domains, {m.domain for m in sm.domains})):
        for code in codes:
            if code not in mapped:
                out.append(doc.problem((key,), f"the {what} {code!r} has no mapping; map every {what} (each with its justification)"))
    return out


def _duplicates(doc: LocatedDocument, path: tuple, values: list[str], what: str) -> list[SourceProblem]:
    seen: dict[str, int] = {}
    out = []
    for i, value in enumerate(values):
        if value in seen:
            out.append(doc.problem(path + (i,), f"duplicate {what} {value!r} (first at item {seen[value]}); each must be unique"))
        else:
            seen[value] = i
    return out


def _check_framework(reg: Registries, doc: LocatedDocument, content: FrameworkFile) -> list[SourceProblem]:
    out: list[SourceProblem] = []
    occ, fw = content.occupation, content.framework
    sources = list(reg.sources.sources)
    if fw.catalogue != reg.catalogue.catalogue.code:
        out.append(doc.problem(("framework", "catalogue"), _unknown(fw.catalogue, [reg.catalogue.catalogue.code], "catalogue")))
    if occ.descriptors.source not in reg.sources.sources:
        out.append(doc.problem(("occupation", "descriptors", "source"), _unknown(occ.descriptors.source, sources, "source")))
    for kind in DESCRIPTOR_KINDS:
        known = [d.name for d in getattr(reg.descriptors, kind)]
        names = getattr(occ.descriptors, kind)
        out += _duplicates(doc, ("occupation", "descriptors", kind), names, kind.replace("_", " ").rstrip("s"))
        for i, name in enumerate(names):
            if name not in known:
                out.append(doc.problem(("occupation", "descriptors", kind, i), _unknown(name, known, f"{kind.replace('_', ' ')} descriptor") + " (add it to registries/onet-descriptors.yaml first)"))
    for field in ("related_titles", "cip", "tasks", "rapids_apprenticeships"):
        out += _duplicates(doc, ("occupation", field), getattr(occ, field), field.rstrip("s").replace("_", " "))
    out += _check_levels(reg, doc, ("framework", "competencies"), fw.competencies, MASTERY)
    out += _check_levels(reg, doc, ("framework", "ai_use"), fw.ai_use, MASTERY)
    domains = [d.code for d in reg.domains.domains]
    for code, levels in fw.durable_skills.items():
        if code not in domains:
            out.append(doc.problem(("framework", "durable_skills", code), _unknown(code, domains, "durable-skill domain")))
        out += _check_levels(reg, doc, ("framework", "durable_skills", code), levels, PROFICIENCY)
    out += _check_evidence(reg, doc, fw.evidence)
    out += _check_anchor_decisions(doc, content)
    return out


def _check_anchor_decisions(doc: LocatedDocument, content: FrameworkFile) -> list[SourceProblem]:
    """Every anchor an editor confirms or rejects under a statement is one of the occupation's
    (all of whose codes the message lists: there are a few dozen), and is decided once."""
    codes = [c.code for c in candidates(content.occupation)]
    out: list[SourceProblem] = []
    for at in statements(content):
        decisions = at.statement.anchors
        if decisions is None:
            continue
        path = at.path + ("anchors",)
        named = [(path + ("confirm", code), code) for code in decisions.confirm]
        named += [(path + ("reject", i), code) for i, code in enumerate(decisions.reject)]
        for where, code in named:
            if code not in codes:
                out.append(doc.problem(where, _unknown(code, codes, "anchor", shown=None)
                                       + " (task/<position>, or <kind>/<slug of the name> for a descriptor)"))
        out += _duplicates(doc, path + ("reject",), decisions.reject, "rejected anchor")
        for i, code in enumerate(decisions.reject):
            if code in decisions.confirm:
                out.append(doc.problem(path + ("reject", i), f"anchor {code!r} is both confirmed and rejected; decide once"))
    return out


def _check_levels(reg: Registries, doc: LocatedDocument, path: tuple, by_level: dict, scale: str) -> list[SourceProblem]:
    out: list[SourceProblem] = []
    codes = [lv.code for lv in reg.scales.scales[scale].levels]
    other = PROFICIENCY if scale == MASTERY else MASTERY
    other_codes = [lv.code for lv in reg.scales.scales[other].levels]
    for level, statements in by_level.items():
        if level not in codes:
            if level in other_codes:
                message = f"{level!r} is a level of the {other} scale, not of the {scale} scale used here; use one of {', '.join(codes)}"
            else:
                message = _unknown(level, codes, f"{scale} level")
            out.append(doc.problem(path + (level,), message))
        out += _duplicates(doc, path + (level,), [s.label for s in statements], "statement label in this level")
        for i, statement in enumerate(statements):
            cites = getattr(statement, "cites", [])
            out += _duplicates(doc, path + (level, i, "cites"), cites, "citation")
            for j, code in enumerate(cites):
                if code not in reg.sources.sources:
                    out.append(doc.problem(path + (level, i, "cites", j), _unknown(code, list(reg.sources.sources), "source")))
    return out


def _check_evidence(reg: Registries, doc: LocatedDocument, evidence: dict) -> list[SourceProblem]:
    out: list[SourceProblem] = []
    metrics = {code: m for g in reg.evidence.groups.values() for code, m in g.metrics.items()}
    for code, value in evidence.items():
        path = ("framework", "evidence", code)
        metric = metrics.get(code)
        if metric is None:
            out.append(doc.problem(path, _unknown(code, list(metrics), "metric") + " (metrics are defined in registries/evidence.yaml)"))
            continue
        problem = _value_problem(reg, metric, value)
        if problem:
            out.append(doc.problem(path, problem))
    return out


def _value_problem(reg: Registries, metric, value) -> str | None:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if metric.kind == "count":
        return None if isinstance(value, int) and value >= 0 else f"expected a whole number of 0 or more, got {value!r}"
    if metric.kind == "percent":
        return None if number and 0 <= value <= 100 else f"expected a percentage between 0 and 100, got {value!r}"
    if metric.kind == "decimal":
        return None if number else f"expected a number, got {value!r}"
    if metric.kind == "score":
        return None if number and 0 <= value <= metric.max else f"expected a score between 0 and {metric.max}, got {value!r}"
    if metric.kind == "skill":
        known = [d.name for d in reg.descriptors.skills]
        return None if value in known else _unknown(str(value), known, "O*NET skill")
    if metric.kind == "concept":
        known = [c.code for c in reg.evidence.schemes[metric.scheme].concepts]
        return None if value in known else _unknown(str(value), known, f"code of {metric.scheme}")
    return None if isinstance(value, str) and value.strip() else f"expected a non-empty text, got {value!r}"
