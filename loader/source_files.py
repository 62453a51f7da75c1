"""Read YAML source files keeping the line and column of every key and value.

PyYAML's composer gives a node tree with marks; values are built from it here so that
any later problem can be reported at its place in the file. Duplicate keys, which
PyYAML would silently overwrite, are reported instead.

Files are composed by libyaml (PyYAML's C parser, twenty times faster), which marks every node at
the same line and column as the pure-Python parser. Its error messages are worded differently, so a
file libyaml rejects is composed again by the pure-Python parser: whatever it reports (or accepts)
is what the reader says, exactly as before the C parser was used.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import SourceDataError, SourceProblem, key_path


def framework_paths(data_dir: Path) -> list[Path]:
    """The framework files of a data folder, in the order a build reads them."""
    return sorted((data_dir / "frameworks").glob("*.yaml"))


Position = tuple[int, int]


class LocatedDocument:
    """A parsed YAML document and the (line, column) of every key path in it."""

    def __init__(self, file: Path, data: Any, positions: dict[tuple, Position], written: dict[tuple, str] | None = None):
        self.file = file
        self.data = data
        self.positions = positions
        # Unquoted scalars YAML read as numbers, as the file writes them (51.2300, which reads as 51.23).
        self.written = written or {}

    def problem(self, path: tuple, message: str) -> SourceProblem:
        """A problem at `path`, or at its nearest ancestor that exists in the file."""
        probe = tuple(path)
        while probe and probe not in self.positions:
            probe = probe[:-1]
        line, col = self.positions.get(probe, (None, None))
        return SourceProblem(self.file, line, col, key_path(tuple(path)), message)


def read_yaml(file: Path) -> LocatedDocument:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceDataError([SourceProblem(file, None, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8")]) from None
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        raise SourceDataError([_syntax_problem(file, text, exc)]) from None
    if root is None:
        raise SourceDataError([SourceProblem(file, 1, 1, "", "the file is empty; expected a YAML mapping")])
    positions: dict[tuple, Position] = {}
    written: dict[tuple, str] = {}
    problems: list[SourceProblem] = []
    data = _build(file, root, (), positions, problems, yaml.constructor.SafeConstructor(), written)
    if problems:
        raise SourceDataError(problems)
    return LocatedDocument(file, data, positions, written)


# Constructs a YAML parser reports as still open when the file goes wrong after them, by the
# context its error names: the problem is where they open, not where the parser gave up.
UNCLOSED = {"while parsing a flow sequence": "the list opened with '[' here is not closed with ']'",
            "while parsing a flow mapping": "the mapping opened with '{' here is not closed with '}'",
            "while scanning a quoted scalar": "the quoted text opened here is not closed by its quote"}


def _syntax_problem(file: Path, text: str, exc: yaml.MarkedYAMLError) -> SourceProblem:
    mark, opened = exc.problem_mark, exc.context_mark
    runaway = _runaway_quote(text, mark) if mark is not None and exc.context not in UNCLOSED else None
    if runaway is not None:
        return SourceProblem(file, runaway.line + 1, runaway.column + 1, "",
                             f"YAML syntax error: the quoted text opened here is not closed on its line (YAML reads on "
                             f"to the next quote; found at line {mark.line + 1}, column {mark.column + 1}: {exc.problem}); "
                             "close its quote on this line")
    if exc.context in UNCLOSED and opened is not None:
        found = f" (found at line {mark.line + 1}, column {mark.column + 1}: {exc.problem})" if mark else ""
        return SourceProblem(file, opened.line + 1, opened.column + 1, "",
                             f"YAML syntax error: {UNCLOSED[exc.context]}{found}; close it on this line or quote the text")
    detail = f"{exc.problem}" + (f" ({exc.context})" if exc.context else "")
    return SourceProblem(file, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "",
                         f"YAML syntax error: {detail}; check indentation, quoting and colons on this line")


def _runaway_quote(text: str, mark) -> "yaml.Mark | None":
    """The start of a quoted text that spans lines and ends where the parser failed: a quote left
    open, which YAML closes at the next quote of the file, lines further on."""
    tokens = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            tokens.append(token)
    except yaml.YAMLError:
        pass
    spans = [t for t in tokens if isinstance(t, yaml.ScalarToken) and not t.plain
             and t.start_mark.line < t.end_mark.line <= mark.line <= t.end_mark.line + 1]
    return spans[-1].start_mark if spans else None


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML built without libyaml has no CSafeLoader


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def _build(file: Path, node: yaml.Node, path: tuple, positions: dict, problems: list,
           constructor: yaml.constructor.SafeConstructor, written: dict) -> Any:
    # One constructor per file: it remembers every node it built, which would otherwise pile up
    # over a catalogue's files.
    positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if key in out:
                problems.append(SourceProblem(file, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                              key_path(path + (key,)), f"duplicate key {key!r}; each key may appear once in a mapping"))
                continue
            out[key] = _build(file, value_node, path + (key,), positions, problems, constructor, written)
            if isinstance(value_node, (yaml.MappingNode, yaml.SequenceNode)):
                # A block collection starts on the line after its key: a problem with the
                # key (a misspelt domain, a level of the wrong scale) belongs on the key's line.
                positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(file, child, path + (i,), positions, problems, constructor, written) for i, child in enumerate(node.value)]
    value = constructor.construct_object(node, deep=True)
    if not node.style and isinstance(value, (int, float)) and not isinstance(value, bool):  # plain, unquoted
        written[path] = node.value
    return value
