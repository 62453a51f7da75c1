"""JSON-LD compaction under one fixed context, choosing terms and value forms as pyld does.

The release document is built without pyld (api/release_framing.py), yet it must read exactly
as pyld's framing wrote it. This module holds the part of pyld's compaction algorithm that
document needs: term definitions, the inverse context, IRI compaction (term selection, then
compact IRIs) and value compaction, for contexts of terms, prefixes, keyword aliases, @type,
@language, @reverse and @set/@list containers. Anything else in a context (@vocab, @base,
scoped contexts, @nest, @index, @prefix, @protected ...) raises ValueError when the context
is read, so a context that outgrew this module fails loudly, never silently differently.
The choices follow pyld 2's code, not only the specification, where the two part (the order
in which containers and preferences are tried). Every answer is remembered: a document asks
the same few questions thousands of times.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterator

KEYWORD_VALUES = ("@id", "@type")  # the keywords a term may alias
TERM_KEYS = {"@id", "@reverse", "@type", "@language", "@container"}
CONTAINERS = {"@set", "@list"}
GEN_DELIM = re.compile(r"[:/?#\[\]@]")  # an IRI ending in one can be a prefix (JSON-LD 1.1)
NO_VALUE = object()  # compacting a bare IRI (@id, @type, a datatype), not a property's value
# Entries a cache keyed by node IRIs keeps before it starts again. A release's document brings
# ~1,600 IRIs of its own, so kept for good the server's shared compactor grew by ~450 KB with
# every release served (half a gigabyte for a crawl of the 998); 20,000 covers a dozen
# documents, and the levels, domains and sources they share come back within the next one.
KEPT = 20_000
_MISSING = object()


class Compactor:
    """Compaction under `context` (the value of a "@context" entry: a dict of term definitions)."""

    def __init__(self, context: dict):
        self.language = context.get("@language")
        self.terms: dict[str, dict] = {}
        for term, definition in context.items():
            if term.startswith("@"):
                if term not in ("@version", "@language"):
                    raise ValueError(f"context keyword {term} is not supported by the direct compaction")
                continue
            self.terms[term] = self._definition(context, term, definition)
        self.inverse = self._inverse()
        self._prefixes = self._prefix_index()
        self._iris: dict[tuple[str, bool], str] = {}
        self._property_terms: dict[tuple, str] = {}
        self._arrays: dict[str, bool] = {}
        self._literal_forms: dict[tuple, dict | None] = {}
        self._references: dict[tuple, Any] = {}

    # ---- context processing -----------------------------------------------------------

    def _expand(self, context: dict, value: str) -> str:
        if value.startswith("@"):
            return value
        prefix, colon, suffix = value.partition(":")
        if colon and not suffix.startswith("//") and prefix in context:
            return self._expand(context, context[prefix] if isinstance(context[prefix], str) else context[prefix]["@id"]) + suffix
        return value

    def _definition(self, context: dict, term: str, definition: str | dict) -> dict:
        if isinstance(definition, str):
            iri = self._expand(context, definition)
            if iri.startswith("@") and iri not in KEYWORD_VALUES:
                raise ValueError(f"term {term!r} aliases {iri}, which the direct compaction does not support")
            return {"@id": iri, "reverse": False, "prefix": ":" not in term and GEN_DELIM.fullmatch(iri[-1:]) is not None}
        unknown = set(definition) - TERM_KEYS
        if unknown or ("@id" in definition) == ("@reverse" in definition):
            raise ValueError(f"term {term!r}: definition {definition} is not supported by the direct compaction")
        mapping: dict[str, Any] = {"@id": self._expand(context, definition.get("@id") or definition["@reverse"]),
                                   "reverse": "@reverse" in definition, "prefix": False}
        if "@type" in definition:
            mapping["@type"] = self._expand(context, definition["@type"])
        if "@language" in definition:
            mapping["@language"] = definition["@language"]
        if "@container" in definition:
            container = definition["@container"]
            mapping["@container"] = container if isinstance(container, list) else [container]
            if not set(mapping["@container"]) <= CONTAINERS:
                raise ValueError(f"term {term!r}: container {container} is not supported by the direct compaction")
        return mapping

    def _inverse(self) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
        """IRI -> container -> @language/@type/@any -> preference -> term; shortest, then least term first."""
        inverse: dict = {}
        default_language = self.language if self.language is not None else "@none"
        for term, mapping in sorted(self.terms.items(), key=lambda kv: (len(kv[0]), kv[0])):
            container = "".join(sorted(mapping.get("@container", ["@none"])))
            entry = inverse.setdefault(mapping["@id"], {}).setdefault(container, {"@language": {}, "@type": {}, "@any": {}})
            entry["@any"].setdefault("@none", term)
            if mapping["reverse"]:
                entry["@type"].setdefault("@reverse", term)
            elif mapping.get("@type") == "@none":
                for kind in ("@type", "@language", "@any"):
                    entry[kind].setdefault("@none", term)
            elif "@type" in mapping:
                entry["@type"].setdefault(mapping["@type"], term)
            elif "@language" in mapping:
                language = mapping["@language"]
                entry["@language"].setdefault("@null" if language is None else language.lower(), term)
            else:
                entry["@language"].setdefault(default_language.lower(), term)
                entry["@type"].setdefault("@none", term)
                entry["@language"].setdefault("@none", term)
        return inverse

    def _prefix_index(self) -> dict[str, list[str]] | None:
        """The terms a compact IRI can start with, by their IRI; None when some term holds a
        colon. Without such a term a compact IRI's prefix is a term flagged "prefix", whose IRI
        ends in a gen-delim, so an IRI's candidate prefixes are its own leading substrings up to
        one of its gen-delims: a handful of lookups, not a pass over all ~200 terms (which took
        a third of a first release document's time)."""
        if any(":" in term for term in self.terms):
            return None
        index: dict[str, list[str]] = {}
        for term, mapping in self.terms.items():
            if mapping["prefix"]:
                index.setdefault(mapping["@id"], []).append(term)
        return index

    # ---- questions a document asks -----------------------------------------------------

    def container(self, term: str) -> list[str]:
        mapping = self.terms.get(term)
        return mapping.get("@container", []) if mapping else []

    def is_reverse(self, term: str) -> bool:
        mapping = self.terms.get(term)
        return bool(mapping and mapping["reverse"])

    def iri(self, iri: str, vocab: bool) -> str:
        """An IRI (or keyword) compacted on its own: a node's @id (vocab False), a type or datatype (True)."""
        return _kept(self._iris, (iri, vocab), lambda: self._compact_iri(iri, NO_VALUE, vocab, False))

    def property_term(self, iri: str, value: Any, reverse: bool = False) -> str:
        """The key a property takes for this value (a value object, a node, or [] for no values)."""
        return _kept(self._property_terms, ("any", iri, self._signature(value), reverse),
                     lambda: self._compact_iri(iri, value, True, reverse))

    def node_term(self, iri: str, node: str, reverse: bool = False) -> str:
        """The key a property takes for a node (embedded or referenced) with IRI `node`."""
        return _kept(self._property_terms, ("node", iri, node, reverse),
                     lambda: self.property_term(iri, {"@id": node}, reverse))

    def literal_term(self, iri: str, value: dict) -> str:
        """The key a property takes for a value object."""
        key = ("literal", iri, value.get("@type"), value.get("@language"))
        term = self._property_terms.get(key)
        if term is None:
            term = self._property_terms[key] = self.property_term(iri, value)
        return term

    def as_array(self, term: str) -> bool:
        """Whether the term's values are always an array (a @set or @list container)."""
        array = self._arrays.get(term)
        if array is None:
            array = self._arrays[term] = bool({"@set", "@list"} & set(self.container(term)))
        return array

    def literal(self, term: str, value: dict) -> Any:
        """value() for a value object, its form remembered per term, datatype and language."""
        key = (term, value.get("@type"), value.get("@language"))
        if key not in self._literal_forms:
            compacted = self.value(term, value)
            value_key = self.iri("@value", True)
            self._literal_forms[key] = {k: v for k, v in compacted.items() if k != value_key} \
                if isinstance(compacted, dict) else None
        form = self._literal_forms[key]
        return value["@value"] if form is None else {**form, self.iri("@value", True): value["@value"]}

    def reference(self, term: str | None, node: str) -> Any:
        """value() for a node reference, remembered per term and IRI."""
        return _kept(self._references, (term, node), lambda: self.value(term, {"@id": node}))

    def _signature(self, value: Any) -> tuple:
        """What term selection reads of a value: its kind, type and language, or a node's @id
        only as far as whether that IRI compacts to a term of the same IRI."""
        if isinstance(value, dict):
            if "@value" in value:
                return ("value", value.get("@type"), value.get("@language"), len(value))
            if "@id" in value:
                return ("node", self._names_term(value["@id"]))
        return ("other", repr(value))

    def _names_term(self, iri: str) -> bool:
        mapping = self.terms.get(self.iri(iri, True))
        return bool(mapping and mapping["@id"] == iri)

    def value(self, term: str | None, value: dict) -> Any:
        """A value object ({@value ...}) or node reference ({@id}) compacted under `term`."""
        mapping = self.terms.get(term) if term is not None else None
        type_ = mapping.get("@type") if mapping else None
        if "@id" in value:
            compacted = self.iri(value["@id"], type_ == "@vocab")
            return compacted if type_ in ("@id", "@vocab") else {self.iri("@id", True): compacted}
        language = mapping["@language"] if mapping and "@language" in mapping else self.language
        if type_ != "@none":
            if "@type" in value and value["@type"] == type_:
                return value["@value"]
            if "@language" in value and value["@language"] == language:
                return value["@value"]
        null_language = bool(mapping and "@language" in mapping and mapping["@language"] is None)
        if len(value) == 1 and type_ != "@none" and (self.language is None or not isinstance(value["@value"], str) or null_language):
            return value["@value"]
        out = {}
        if "@type" in value:
            out[self.iri("@type", True)] = self.iri(value["@type"], True)
        elif "@language" in value:
            out[self.iri("@language", True)] = value["@language"]
        out[self.iri("@value", True)] = value["@value"]
        return out

    # ---- pyld's IRI compaction and term selection ------------------------------------------

    def _compact_iri(self, iri: str, value: Any, vocab: bool, reverse: bool) -> str:
        if iri.startswith("@"):
            alias = self.inverse.get(iri, {}).get("@none", {}).get("@type", {}).get("@none")
            if alias:
                return alias
            vocab = True
        if vocab and iri in self.inverse:
            term = self._select_term(iri, value, reverse)
            if term is not None:
                return term
        return self._compact_iri_with_prefix(iri, value) or iri

    def _select_term(self, iri: str, value: Any, reverse: bool) -> str | None:
        is_object = isinstance(value, dict)
        is_value = is_object and "@value" in value
        containers = ["@id", "@id@set", "@type", "@set@type"] if is_object and not is_value else []
        kind, preferred = "@language", "@null"
        if reverse:
            kind, preferred = "@type", "@reverse"
        elif is_value:
            if "@language" in value:
                containers += ["@language", "@language@set"]
                preferred = value["@language"]
            elif "@type" in value:
                kind, preferred = "@type", value["@type"]
        else:
            kind, preferred = "@type", "@id"
        containers += ["@set", "@none"]
        if is_object:
            containers += ["@index", "@index@set"]
        if is_value and len(value) == 1:
            containers += ["@language", "@language@set"]
        preferences = self._preferences(value, preferred)
        by_container = self.inverse[iri]
        for container in containers:
            if container in by_container:
                choices = by_container[container][kind]
                for preference in preferences:
                    if preference in choices:
                        return choices[preference]
        return None

    def _preferences(self, value: Any, preferred: str) -> list[str]:
        if preferred in ("@id", "@reverse") and isinstance(value, dict) and "@id" in value:
            first = ["@reverse"] if preferred == "@reverse" else []
            return first + (["@vocab", "@id"] if self._names_term(value["@id"]) else ["@id", "@vocab"]) + ["@none"]
        preferences = [preferred]
        if "_" in preferred:  # pyld reads a language_direction pair out of any preference with "_"
            preferences.append("_" + preferred.split("_")[-1])
        return preferences + ["@none"]

    def _compact_iri_with_prefix(self, iri: str, value: Any) -> str | None:
        """The shortest, then least, usable compact IRI (prefix:suffix), if any."""
        candidate = None
        for term, prefix in self._prefixes_of(iri):
            curie = f"{term}:{iri[len(prefix):]}"
            usable = (self.terms[term]["prefix"] and curie not in self.terms) or \
                (value is NO_VALUE and self.terms.get(curie, {}).get("@id") == iri)
            if usable and (candidate is None or (len(curie), curie) < (len(candidate), candidate)):
                candidate = curie
        return candidate

    def _prefixes_of(self, iri: str) -> Iterator[tuple[str, str]]:
        """(term, its IRI) for the terms whose IRI is a proper prefix of `iri`."""
        if self._prefixes is None:
            for term, mapping in self.terms.items():
                prefix = mapping["@id"]
                if ":" not in term and prefix and prefix != iri and iri.startswith(prefix):
                    yield term, prefix
            return
        for delim in GEN_DELIM.finditer(iri, 0, len(iri) - 1):
            prefix = iri[:delim.end()]
            for term in self._prefixes.get(prefix, ()):
                yield term, prefix


def _kept(cache: dict, key: Any, make: Callable[[], Any]) -> Any:
    """cache[key], made first if missing; a full cache starts again (threads frame documents
    with one compactor at once: the value made is returned, whatever another clears)."""
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        if len(cache) >= KEPT:
            cache.clear()
        found = cache[key] = make()
    return found


__all__ = ["Compactor", "NO_VALUE"]
