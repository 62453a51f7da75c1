"""Cut the classification excerpts from the real published files in ../shared/classifications/:

    python tests/classification_excerpts/make_excerpts.py

Each excerpt keeps its file's layout (tests/excerpt_support.py) and a self-contained set of rows,
verbatim: every row an importer needs to place the kept rows (their broader groups, the codes
their definitions and cross-references name), so that the excerpt imports as the whole file does.

- bls-soc-2018/: both workbooks, title rows and header as published; the groups above and around
  SOC 29-1129 (Therapists, All Other), Physicians (a broad group numbered past ten) and Chief
  Executives.
- nces-cip-2020/CIPCode2020.csv: the CIP 51.23 series (Art Therapy/Therapist, 51.2301), the other
  programmes the frameworks and crosswalks pair with Art Therapists, a move (01.0309 -> 01.1004),
  a deletion (51.19 -> 51.1202) and the record whose quotes NCES does not double.
- esco-v1.2.0-en/: all fifteen files: art therapist and the other occupations O*NET pairs with
  Art Therapists, their broader occupations and ISCO-08 groups, a few rows of every other file.
- esco-layout/: skills_en.csv and occupationSkillRelations_en.csv, which no public copy has: LAYOUT
  EXCERPTS, written from the published column layout (ESCO v1.2.0) with real skill concepts and
  labels from the digital skills collection; the occupation-skill pairs are illustrative, not ESCO's.

The files are committed; run this only to change them.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from excerpt_support import CLASSIFICATIONS, csv_records, sheet_rows, write_csv, write_workbook  # noqa: E402

HERE = Path(__file__).resolve().parent
SOC_HEADER_ROW = 8
ESCO = "http://data.europa.eu/esco/"
ART = ESCO + "occupation/eb48ccbd-75f2-4799-81be-443034858473"
# The ESCO occupation codes O*NET pairs with Art Therapists (29-1129.01), besides art therapist.
ART_PAIRS = {"2230.1", "2230.2.3", "2266.2", "2269.4", "2269.5", "2269.9.2", "2269.9.3", "2269.9.4", "2634.2.4",
             "3259.2"}


def soc() -> None:
    keep = {"11-0000", "11-1000", "11-1010", "11-1011", "29-0000", "29-1000", "29-1120", "29-1210"}
    for name in ("soc_structure_2018.xlsx", "soc_2018_definitions.xlsx"):
        [(sheet, rows)] = sheet_rows(CLASSIFICATIONS / "bls-soc-2018" / name).items()
        codes = [next((c for c in r[:4] if c), None) if name.startswith("soc_structure") else r[1]
                 for r in rows[SOC_HEADER_ROW:]]
        kept = [r for r, code in zip(rows[SOC_HEADER_ROW:], codes)
                if code in keep or code and (code[:6] in ("29-112", "29-121", "29-122"))]
        write_workbook(HERE / "bls-soc-2018" / name, {sheet: rows[:SOC_HEADER_ROW] + kept})


def cip() -> None:
    from skillsgraph.loader.tables import excel_text_formulas, undoubled_quotes
    bom, _, records = csv_records(CLASSIFICATIONS / "nces-cip-2020" / "CIPCode2020.csv",
                                  lambda t: undoubled_quotes(excel_text_formulas(t)))
    by_code = {r[2][1]: r for r in records[1:]}
    wanted = {"01", "01.10", "01.1004", "01.0309", "43", "51", "51.12", "51.1202", "51.19", "51.36", "51.3601"}
    wanted |= {c for c in by_code if c.startswith("51.23")}
    while True:   # the parents and cross-references of every kept code
        grown = set(wanted)
        for code in wanted:
            grown |= {code[:2], code[:5]} if len(code) > 2 else set()
            grown |= {ref.split(" - ")[0] for ref in by_code[code][2][6].split(", ") if " - " in ref}
        grown = {c for c in grown if c in by_code}
        if grown == wanted:
            break
        wanted = grown
    write_csv(HERE / "nces-cip-2020" / "CIPCode2020.csv", bom,
              [records[0]] + [r for r in records[1:] if r[2][1] in wanted])


def _esco(name: str, keep) -> list:
    bom, _, records = csv_records(CLASSIFICATIONS / "esco-v1.2.0-en" / name)
    header = records[0][2]
    kept = [r for r in records[1:] if keep(dict(zip(header, r[2])))]
    write_csv(HERE / "esco-v1.2.0-en" / name, bom, [records[0], *kept])
    return [dict(zip(header, r[2])) for r in kept]


def esco() -> None:
    folder = CLASSIFICATIONS / "esco-v1.2.0-en"
    with open(folder / "broaderRelationsOccPillar_en.csv", encoding="utf-8", newline="") as handle:
        broader = {r["conceptUri"]: r["broaderUri"] for r in csv.DictReader(handle)}
    with open(folder / "occupations_en.csv", encoding="utf-8", newline="") as handle:
        occupations = {r["conceptUri"]: r for r in csv.DictReader(handle)}
    concepts = {uri for uri, r in occupations.items() if r["code"] in ART_PAIRS}
    for uri in list(concepts):   # each occupation's broader occupations and groups, up to the top
        while uri in broader:
            uri = broader[uri]
            concepts.add(uri)
    groups = {u.rsplit("/C", 1)[1] for u in concepts if "/isco/C" in u}
    groups |= {occupations[u]["iscoGroup"] for u in concepts if u in occupations}
    groups |= {g[:n] for g in groups for n in range(1, len(g))}
    _esco("ISCOGroups_en.csv", lambda r: r["code"] in groups)
    _esco("occupations_en.csv", lambda r: r["conceptUri"] in concepts)
    _esco("broaderRelationsOccPillar_en.csv", lambda r: r["conceptUri"] in concepts)
    hierarchy = _esco("skillsHierarchy_en.csv", lambda r: r["Level 0 preferred term"] == "language skills and knowledge"
                      and not r["Level 2 URI"])
    skill_groups = {r[f"Level {n} URI"] for r in hierarchy for n in range(2) if r[f"Level {n} URI"]}
    _esco("skillGroups_en.csv", lambda r: r["conceptUri"] in skill_groups)
    first: dict[str, int] = {}

    def first_rows(name: str, n: int = 3):
        def keep(_: dict) -> bool:
            first[name] = first.get(name, 0) + 1
            return first[name] <= n
        return keep
    for name in ("broaderRelationsSkillPillar_en.csv", "skillSkillRelations_en.csv", "digitalSkillsCollection_en.csv",
                 "greenSkillsCollection_en.csv", "languageSkillsCollection_en.csv", "transversalSkillsCollection_en.csv",
                 "researchSkillsCollection_en.csv", "researchOccupationsCollection_en.csv",
                 "digCompSkillsCollection_en.csv"):
        _esco(name, first_rows(name))
    _esco("conceptSchemes_en.csv", lambda r: r["conceptSchemeUri"].rsplit("/", 1)[1] in ("occupations", "isco",
                                                                                          "skills-hierarchy"))


# ---- layout excerpts of the ESCO files no public copy has -----------------------------------------

SKILLS_COLUMNS = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel", "altLabels", "hiddenLabels",
                  "status", "modifiedDate", "scopeNote", "definition", "inScheme", "description"]
RELATIONS_COLUMNS = ["occupationUri", "relationType", "skillType", "skillUri"]


def esco_layout() -> None:
    """ESCO's published layout (header on line 1, CRLF records, LF inside fields, quoting only
    where needed) filled with real skills of the digital collection; the relations are made up."""
    with open(CLASSIFICATIONS / "esco-v1.2.0-en" / "digitalSkillsCollection_en.csv", encoding="utf-8", newline="") as h:
        skills = [r for _, r in zip(range(3), csv.DictReader(h))]
    target = HERE / "esco-layout"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "skills_en.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(SKILLS_COLUMNS)
        for s in skills:
            writer.writerow(["KnowledgeSkillCompetence", s["conceptUri"], s["skillType"], s["reuseLevel"],
                             s["preferredLabel"], "\n".join(a.strip() for a in s["altLabels"].split(" | ") if a.strip()),
                             "", s["status"], "", "", "", f"{ESCO}concept-scheme/skills\n{ESCO}concept-scheme/member-skills",
                             s["description"]])
    with open(target / "occupationSkillRelations_en.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(RELATIONS_COLUMNS)
        for s, relation in zip(skills, ("essential", "optional", "optional")):
            writer.writerow([ART, relation, s["skillType"], s["conceptUri"]])


if __name__ == "__main__":
    soc()
    cip()
    esco()
    esco_layout()
