"""O*NET's ESCO crosswalk names ESCO occupations and ISCO-08 groups by code (2269.9.2, 2269, 818);
this resolves each code through an ESCO classification release (its occupations_en.csv and
ISCOGroups_en.csv): an occupation code to ESCO's IRI of the occupation, a group code to our
isco08/<code> concept, the nodes the classification import describes.

The file says which ESCO release it was made from (its footer: 'ESCO v1.1.0 used'). When that
is the release resolved against, or the file names none, a code in neither list is a row error.
When the releases differ, ESCO may have recoded an occupation since (an occupation keeps its IRI
when its code changes): a code the release lacks is resolved by the row's title when exactly one
occupation of the release has it as its preferred label, and otherwise kept as the code it was,
esco-code/<code>; each such row carries a note saying so, and the import's summary counts them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..tables import Layout, Problems, RowError, Table, read_table, text
from ..classification import esco_files as ef
from .kinds import ESCO_FOOTER, Node, Pair

COLUMN = "ESCO/ISCO Code"


@dataclass(frozen=True)
class EscoCodes:
    release: str
    occupations: dict[str, str]        # code -> ESCO's IRI
    labels: dict[str, list[str]]       # preferred label -> the IRIs that have it
    codes_of: dict[str, str]           # IRI -> code
    isco: frozenset[str]


def load_esco_codes(folder: Path, release: str) -> EscoCodes:
    """The occupation and ISCO group codes of an ESCO classification folder, checked as its importer checks them."""
    occupations: dict[str, str] = {}
    labels: dict[str, list[str]] = {}
    for c in _rows(folder, ef.OCCUPATIONS):
        occupations[ef.occupation_code(c)] = c["conceptUri"]
        labels.setdefault(c["preferredLabel"], []).append(c["conceptUri"])
    isco = frozenset(ef.isco_code(c, "code") for c in _rows(folder, ef.ISCO_GROUPS))
    return EscoCodes(release, occupations, labels, {iri: code for code, iri in occupations.items()}, isco)


def _rows(folder: Path, f: ef.EscoFile) -> list[dict[str, str]]:
    table = read_table(Path(folder) / f.name("en"), Layout(f.columns), f"ESCO's {f.stem}")
    problems = Problems(table.file.name)
    rows = []
    for line, values in table.rows:
        c = {k: text(v) for k, v in table.cells(f.columns, values).items()}
        try:
            ef.esco_iri(c, "conceptUri")
            rows.append(c)
        except RowError as exc:
            problems.add(table.row_problem(line, exc))
    problems.check()
    return rows


def file_release(table: Table) -> str | None:
    """The ESCO release the file's footer names."""
    for _, cells in table.footer:
        m = ESCO_FOOTER.search(" ".join(cells))
        if m:
            return m.group(1)
    return None


def resolve(pairs: list[tuple[int, Pair]], codes: EscoCodes, table: Table) -> tuple[list[tuple[int, Pair]], str]:
    """The pairs with every ESCO/ISCO code resolved, and a summary of how; raises SourceDataError
    with every row whose code cannot be."""
    made_from = file_release(table)
    drift = made_from is not None and made_from != codes.release
    problems = Problems(table.file.name)
    out: list[tuple[int, Pair]] = []
    how: Counter[str] = Counter()
    for line, pair in pairs:
        try:
            node, way, note = _resolve(pair.subject, codes, made_from if drift else None)
        except RowError as exc:
            problems.add(table.row_problem(line, exc))
            continue
        how[way] += 1
        out.append((line, Pair(node, pair.obj, pair.relation, note)))
    problems.check()
    ways = ("ESCO occupation by code", "ISCO-08 group by code", "ESCO occupation by title", "kept as its code")
    summary = f"codes resolved through ESCO {codes.release}" + (f" (the file used ESCO {made_from})" if made_from else "")
    return out, summary + ": " + ", ".join(f"{how[w]} rows {w}" for w in ways if how[w])


def _resolve(node: Node, codes: EscoCodes, made_from: str | None) -> tuple[Node, str, str | None]:
    code, title = node.code, node.title
    if code in codes.occupations:
        return Node("esco", codes.occupations[code], title), "ESCO occupation by code", None
    if code.isdigit() and code in codes.isco:
        return Node("isco08", code, title), "ISCO-08 group by code", None
    if made_from is None:
        raise RowError(COLUMN, f"{code!r} is neither an occupation code nor an ISCO-08 group of ESCO {codes.release} "
                               f"({ef.OCCUPATIONS.name('en')}, {ef.ISCO_GROUPS.name('en')}); expected a code of that "
                               "release, e.g. 2269.9.2 (art therapist) or 2269")
    same = codes.labels.get(title, [])
    if len(same) == 1:
        return (Node("esco", same[0], title), "ESCO occupation by title",
                f"ESCO {made_from} code {code} is not in ESCO {codes.release}, where the occupation titled "
                f"'{title}' has code {codes.codes_of[same[0]]}; read as that occupation by its title")
    return (Node("esco-code", code, title), "kept as its code",
            f"ESCO {made_from} code {code} ('{title}') is in ESCO {codes.release} neither by code nor by title; "
            "kept as that code")
