"""Tell an O*NET release folder's form (text or Excel), version and layout from the files in
it and its 'Read Me.txt', before any row is read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceDataError, SourceProblem
from ..tables import problem
from .layouts import EXCEL, FILES, SUFFIX, TEXT, Dataset

README = "Read Me.txt"
VERSION_RE = re.compile(r"\d+\.\d+\Z")
MONTHS = {name: n for n, name in enumerate(
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"), start=1)}


@dataclass(frozen=True)
class ReleaseFile:
    dataset: Dataset
    name: str          # the file's name without suffix, e.g. "Essential Skills"
    path: Path

    @property
    def label(self) -> str:
        return self.path.name


@dataclass
class Release:
    folder: Path
    form: str
    version: str
    issued: str | None            # YYYY-MM, from Read Me
    dictionary: str | None        # the documentation URL Read Me names
    files: list[ReleaseFile]
    skipped: list[str]            # "Skills (file not in this release)"
    ignored: list[str]            # files present that are not imported
    layout: list[str] = field(default_factory=list)

    @property
    def form_label(self) -> str:
        return "tab-delimited text" if self.form == TEXT else "Excel"



def read_readme(folder: Path) -> tuple[str | None, str | None, str | None, list[SourceProblem]]:
    """(version, issued YYYY-MM, dictionary URL, problems) from the release's 'Read Me.txt'."""
    path = folder / README
    if not path.is_file():
        return None, None, None, []
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, None, [problem(README, None, "", f"cannot be read as UTF-8 text: {exc}")]
    text_lines = [(n, line) for n, line in enumerate(lines, start=1) if line]
    version = issued = dictionary = None
    problems: list[SourceProblem] = []
    if text_lines:
        n, first = text_lines[0]
        m = re.fullmatch(r"O\*NET (\d+\.\d+) Database", first)
        if m:
            version = m.group(1)
        else:
            problems.append(problem(README, n, "", f"{first!r} does not name the release; expected e.g. 'O*NET 29.3 Database'"))
    if len(text_lines) > 1:
        n, second = text_lines[1]
        m = re.fullmatch(r"([A-Z][a-z]+) (\d{4}) Release", second)
        if m and m.group(1) in MONTHS:
            issued = f"{m.group(2)}-{MONTHS[m.group(1)]:02d}"
    for _, line in text_lines:
        m = re.fullmatch(r"(https?://\S*/dictionary/\S+)", line)
        if m:
            dictionary = m.group(1)
    return version, issued, dictionary, problems


def detect_release(folder: Path, release: str | None = None) -> Release:
    """Tell the form, version and layout of a release folder; raises SourceDataError when it cannot."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SourceDataError([problem(folder, None, "", "is not a folder; expected an O*NET release folder such as db_29_3_excel")])
    entries = sorted(p for p in folder.iterdir() if p.is_file())
    texts = [p for p in entries if p.suffix.lower() == ".txt" and p.name != README]
    workbooks = [p for p in entries if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")]
    known = {name for d in FILES for name in d.names}
    known_texts = [p for p in texts if p.stem in known]
    known_books = [p for p in workbooks if p.stem in known]
    if known_texts and known_books:
        raise SourceDataError([problem(folder, None, "", "holds both text (.txt) and Excel (.xlsx) files of O*NET tables, "
                                        f"e.g. {known_texts[0].name} and {known_books[0].name}; give a folder of one form")])
    if not known_texts and not known_books:
        expected = ", ".join(sorted(known))
        raise SourceDataError([problem(folder, None, "", "holds no O*NET table this importer reads, as .txt or .xlsx; "
                                        f"expected some of: {expected}")])
    form = TEXT if known_texts else EXCEL
    suffix = SUFFIX[form]

    version, issued, dictionary, problems = read_readme(folder)
    if problems:
        raise SourceDataError(problems)
    if release is not None:
        if not VERSION_RE.match(release):
            raise SourceDataError([problem(folder, None, "--release", f"{release!r} is not a release version; expected e.g. 29.3")])
        if version is not None and version != release:
            raise SourceDataError([problem(folder / README, None, "--release",
                                            f"--release {release} disagrees with '{README}', which names release {version}")])
        version = release
    if version is None:
        raise SourceDataError([problem(folder, None, "", f"cannot tell which O*NET release this is: no '{README}' naming it "
                                        "('O*NET 29.3 Database'); give the version with --release, e.g. --release 29.3")])

    files: list[ReleaseFile] = []
    skipped: list[str] = []
    layout: list[str] = []
    used: set[str] = set()
    for dataset in FILES:
        present = [name for name in dataset.names if (folder / f"{name}{suffix}").is_file()]
        if dataset.key == "skills":
            if "Skills" in present and len(present) > 1:
                raise SourceDataError([problem(folder, None, "", "holds both Skills and the 30.3 split of it "
                                                "(Essential Skills, Transferable Skills); expected one layout")])
            if present and "Skills" not in present:
                layout.append("Skills split into Essential Skills and Transferable Skills (30.3 and later)")
                for name in ("Essential Skills", "Transferable Skills"):
                    if name not in present:
                        skipped.append(f"{name} (file not in this release)")
        elif len(present) > 1:
            raise SourceDataError([problem(folder, None, "", f"holds both {' and '.join(present)}, two layouts of "
                                            f"{dataset.label}; expected one")])
        elif present and present[0] != dataset.variants[0].file:
            layout.append(f"{dataset.label} named {present[0]} (30.3 and later)")
        if not present:
            skipped.append(f"{dataset.label} (file not in this release)")
        for name in present:
            files.append(ReleaseFile(dataset, name, folder / f"{name}{suffix}"))
            used.add(f"{name}{suffix}")
    ignored = [p.name for p in entries if p.name not in used and p.name != README]
    return Release(folder, form, version, issued, dictionary, files, skipped, ignored, layout)

