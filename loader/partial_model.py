"""A source file that breaks its data model, read without the broken values, so that the
checks of everything else in it (references between files, duplicates, levels) run in the same
`validate` as the model's own: one run reports every problem of every kind.
"""
from __future__ import annotations

import copy
from typing import Any

from .errors import SourceProblem, key_path


def without(data: Any, locations: list[tuple[tuple, bool]]) -> tuple[Any, list[tuple]]:
    """A copy of data without the values at these locations (pydantic's error locations, each
    with whether a key is missing there): the whole list item when a location lies within one,
    else the key. None when a key is missing outside any list item: leaving out the mapping that
    lacks it would make every reference to it look unknown. Returns the paths removed too."""
    data = copy.deepcopy(data)
    cut: set[tuple] = set()
    for loc, missing in locations:
        path = _present_prefix(data, loc)
        items = [i for i in range(len(path)) if isinstance(path[i], int)]
        if items:
            cut.add(path[:items[0] + 1])
        elif missing or not path:
            return None, []
        else:
            cut.add(path)
    for path in sorted(cut, key=lambda p: [(-x if isinstance(x, int) else 0, str(x)) for x in p]):
        parent = _at(data, path[:-1])
        if parent is not None and (isinstance(parent, dict) and path[-1] in parent
                                   or isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent)):
            del parent[path[-1]]
    return data, sorted(cut, key=str)


def _present_prefix(data: Any, loc: tuple) -> tuple:
    """The longest start of loc that names a value in data (pydantic adds union tags and the
    names of missing keys)."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
        out.append(part)
    return tuple(out)


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def unpruned(found: list[SourceProblem], pruned: list[tuple]) -> list[SourceProblem]:
    """The checks' problems, less those a left-out value may have caused: within a list that
    lost an item the positions moved; an anchor may name a task or descriptor that was left out."""
    if not pruned:
        return found
    lists = [key_path(p[:-1]) + "[" for p in pruned if isinstance(p[-1], int)]
    occupation = any(p[:1] == ("occupation",) for p in pruned)
    return [p for p in found if not any(p.key_path.startswith(prefix) for prefix in lists)
            and not (occupation and p.message.startswith("unknown anchor"))]


__all__ = ["without", "unpruned"]
