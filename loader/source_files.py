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

Position = tuple[int, int]


class LocatedDocument:
    """A parsed YAML document and the (line, column) of every key path in it."""

    def __init__(self, file: Path, data: Any, positions: dict[tuple, Position]):
        self.file = file
        self.data = data
        self.positions = positions

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
        mark = exc.problem_mark
        detail = f"{exc.problem}" + (f" ({exc.context})" if exc.context else "")
        raise SourceDataError([SourceProblem(file, mark.line + 1 if mark else None, mark.column + 1 if mark else None, "", f"YAML syntax error: {detail}; check indentation, quoting and colons on this line")]) from None
    if root is None:
        raise SourceDataError([SourceProblem(file, 1, 1, "", "the file is empty; expected a YAML mapping")])
    positions: dict[tuple, Position] = {}
    problems: list[SourceProblem] = []
    data = _build(file, root, (), positions, problems, yaml.constructor.SafeConstructor())
    if problems:
        raise SourceDataError(problems)
    return LocatedDocument(file, data, positions)


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML built without libyaml has no CSafeLoader


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader)


def _build(file: Path, node: yaml.Node, path: tuple, positions: dict, problems: list,
           constructor: yaml.constructor.SafeConstructor) -> Any:
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
            out[key] = _build(file, value_node, path + (key,), positions, problems, constructor)
            if isinstance(value_node, (yaml.MappingNode, yaml.SequenceNode)):
                # A block collection starts on the line after its key: a problem with the
                # key (a misspelt domain, a level of the wrong scale) belongs on the key's line.
                positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(file, child, path + (i,), positions, problems, constructor) for i, child in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)
