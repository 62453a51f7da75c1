"""Cut the crosswalk excerpts from the real published files in ../shared/crosswalks/:

    python tests/crosswalk_excerpts/make_excerpts.py

Each excerpt keeps its file's layout (tests/excerpt_support.py: the CSV's bytes record by record,
the workbook's sheets, title rows, header and cells as text) and these rows, verbatim:

- every row about Art Therapists: O*NET-SOC 29-1129.01, its 2010 code 29-1125.01, its SOC code
  29-1129, the CIP codes NCES and O*NET pair with them, the ESCO concepts O*NET pairs with it;
- for the files whose relations come from the whole file's shape (the O*NET-SOC taxonomy
  crosswalks), every row sharing a code with a kept row, so that each relation is the one the
  whole file gives: a recoding, a split, a merge and a many-to-many tangle;
- a sample of others, NCES's NO MATCH rows of both kinds, the three-digit ISCO groups, codes
  ESCO recoded after the release O*NET used, and O*NET's footer.

The ESCO portal's ESCO-O*NET CSV has no real copy anywhere; its excerpt
(ONET_(Occupations)_0_updated.csv) is written from its documented layout by documented_esco_onet
and is marked as such in README.md. The files are committed; run this only to change them.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from excerpt_support import CROSSWALKS, closure, csv_records, sheet_rows, write_csv, write_workbook  # noqa: E402

HERE = Path(__file__).resolve().parent
ONET_TITLE_ROWS = 4          # title, subtitle, an empty row, the header
ART = "29-1129.01"


def _taxonomy(name: str, seeds: set[str]) -> None:
    """Both forms of an O*NET taxonomy crosswalk, with the same rows: the seeds' closure."""
    bom, _, records = csv_records(CROSSWALKS / "onet" / f"{name}.csv")
    kept = closure(records[1:], lambda r: (r[2][0], r[2][2]), seeds)
    write_csv(HERE / f"{name}.csv", bom, [records[0], *kept])
    codes = {tuple(r[2]) for r in kept}
    [(sheet, rows)] = sheet_rows(CROSSWALKS / "onet" / f"{name}.xlsx").items()
    write_workbook(HERE / f"{name}.xlsx", {sheet: rows[:ONET_TITLE_ROWS] + [r for r in rows[ONET_TITLE_ROWS:]
                                                                             if tuple(r) in codes]})


def cip_soc() -> None:
    """NCES's workbook, all eight sheets, and its CSV form, with the same CIP-SOC rows."""
    def keep(cip: str, soc: str, seen: dict[str, int]) -> bool:
        kind = "no-cip" if cip == "99.9999" else "no-soc" if soc == "99-9999" else "sample" if cip == "01.0000" else ""
        if cip == "51.2301" or soc == "29-1129":
            return True
        if kind:
            seen[kind] = seen.get(kind, 0) + 1
            return seen[kind] <= 3
        return False

    bom, _, records = csv_records(CROSSWALKS / "nces" / "CIP2020_SOC2018_Crosswalk.csv")
    seen: dict[str, int] = {}
    write_csv(HERE / "CIP2020_SOC2018_Crosswalk.csv", bom,
              [records[0]] + [r for r in records[1:] if keep(r[2][0], r[2][2], seen)])
    sheets = sheet_rows(CROSSWALKS / "nces" / "CIP2020_SOC2018_Crosswalk.xlsx")
    seen = {}
    out = {"File Guide": sheets["File Guide"],
           "CIP-SOC": sheets["CIP-SOC"][:1] + [r for r in sheets["CIP-SOC"][1:] if keep(r[0], r[2], seen)]}
    for title, rows in sheets.items():
        if title not in out:   # the other views of the same pairs: their header and the rows about 51.2301 / 29-1129
            about = [r for r in rows[1:] if {"51.2301", "29-1129"} & {str(c) for c in r}]
            out[title] = rows[:1] + (about or rows[1:4])
    write_workbook(HERE / "CIP2020_SOC2018_Crosswalk.xlsx", {title: out[title] for title in sheets})


def onet_cip() -> None:
    [(sheet, rows)] = sheet_rows(CROSSWALKS / "onet" / "Education_CIP_to_ONET_SOC.xlsx").items()
    body = rows[ONET_TITLE_ROWS:]
    art_cips = {r[0] for r in body if r[2] == ART}
    kept = [r for r in body if r[2] == ART or r[0] == "51.2301" or r[0] == "01.0000"]
    assert {r[0] for r in kept} >= art_cips
    write_workbook(HERE / "Education_CIP_to_ONET_SOC.xlsx", {sheet: rows[:ONET_TITLE_ROWS] + kept})


def onet_esco() -> None:
    """Art Therapists' ESCO rows, army officers (codes with trailing zeros), the three-digit ISCO
    groups, two codes ESCO recoded after v1.1.0 (one found again by its title, one not), the
    empty row and the footer."""
    [(sheet, rows)] = sheet_rows(CROSSWALKS / "onet" / "ESCO_to_ONET-SOC.xlsx").items()
    body = [r for r in rows[ONET_TITLE_ROWS:] if r[0]]
    tail = rows[ONET_TITLE_ROWS + len(body):]
    assert [r[0] for r in tail] == [None, None] and "ESCO v1.1.0" in tail[-1][1], tail
    sample = {"0110.10", "818", "821", "921", "1120.2", "4229.1"}
    kept = [r for r in body if r[2] == ART or r[0] in sample]
    write_workbook(HERE / "ESCO_to_ONET-SOC.xlsx", {sheet: rows[:ONET_TITLE_ROWS] + kept + tail})


# ---- the documented layout of the ESCO portal's crosswalk (no real copy exists) -------------

ESCO_METADATA = [
    "Crosswalk between ESCO and O*NET",
    "Source classification: O*NET-SOC 2019 occupations",
    "Target classification: ESCO v1.1 occupations and ISCO-08 groups",
    "",
    "Columns:",
    "O*NET Id: the O*NET-SOC 2019 code",
    "O*NET Title: the O*NET-SOC 2019 title",
    "O*NET Description: the O*NET-SOC 2019 description",
    "ESCO or ISCO URI: the ESCO occupation or ISCO-08 group matched",
    "ESCO or ISCO Title: its preferred label",
    "ESCO or ISCO Description: its description",
    "Type of Match: exactMatch, closeMatch, broadMatch, narrowMatch or relatedMatch (SKOS)",
    "",
    "Produced by the ESCO secretariat with machine learning and human validation",
    "European Commission, Directorate-General for Employment, Social Affairs and Inclusion",
    "",
]
ESCO_HEADER = ["O*NET Id", "O*NET Title", "O*NET Description", "ESCO or ISCO URI", "ESCO or ISCO Title",
               "ESCO or ISCO Description", "Type of Match"]
ART_DESCRIPTION = ("Plan or conduct art therapy sessions or programs to improve clients' physical, cognitive, or "
                   "emotional well-being.")
# ESCO v1.2.0's own text for art therapist and ISCO group 2269 (../shared/classifications).
ART_ESCO = "http://data.europa.eu/esco/occupation/eb48ccbd-75f2-4799-81be-443034858473"


def documented_esco_onet() -> None:
    """Sixteen metadata lines above the header (their wording is not known: the layout is the
    documented one); every field quoted; a description spanning two lines. The ESCO concepts and
    texts are ESCO v1.2.0's; the pairing and its types of match are illustrative."""
    from excerpt_support import CLASSIFICATIONS
    esco = CLASSIFICATIONS / "esco-v1.2.0-en"
    with open(esco / "occupations_en.csv", encoding="utf-8", newline="") as handle:
        art = next(r for r in csv.DictReader(handle) if r["conceptUri"] == ART_ESCO)
    with open(esco / "ISCOGroups_en.csv", encoding="utf-8", newline="") as handle:
        group = next(r for r in csv.DictReader(handle) if r["code"] == "2269")
    rows = [
        [ART, "Art Therapists", ART_DESCRIPTION, ART_ESCO, art["preferredLabel"], art["description"], "exactMatch"],
        [ART, "Art Therapists", ART_DESCRIPTION, group["conceptUri"], group["preferredLabel"],
         group["description"].split(". ")[0] + ":\nHealth professionals.", "broadMatch"],
    ]
    with open(HERE / "ONET_(Occupations)_0_updated.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for line in ESCO_METADATA:
            writer.writerow([line] + [""] * 6)
        writer.writerow(ESCO_HEADER)
        writer.writerows(rows)


if __name__ == "__main__":
    _taxonomy("2010_to_2019_Crosswalk", {"29-1125.01", "29-1125.02", "29-1129.00", "15-1132.00", "11-2031.00",
                                         "11-2011.01", "11-1011.00"})
    _taxonomy("2019_to_SOC_Crosswalk", {ART, "15-1252.00", "11-1011.03"})
    cip_soc()
    onet_cip()
    onet_esco()
    documented_esco_onet()
