"""The curriculum, loaded once from the JSON files shipped in this package, and lookups into it."""

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise

from learnflow.domain.concepts.models import Concept

_PACKAGE = "learnflow.domain.concepts"
_TOKEN = re.compile(r"[a-z0-9_]+|@|\*+")


def normalize(text: str) -> str:
    """Lowercase words and the symbols `@` and `*`, one space apart: "An f-string?" -> "an f string"."""
    return " ".join(_TOKEN.findall(text.lower().replace("'", "").replace("\u2019", "")))


@dataclass(frozen=True)
class _Alias:
    phrase: str
    pattern: re.Pattern[str]
    slug: str

    @property
    def specificity(self) -> tuple[int, int]:
        return self.phrase.count(" ") + 1, len(self.phrase)


@dataclass(frozen=True)
class _Catalog:
    concepts: dict[str, Concept]
    aliases: tuple[_Alias, ...]


def _names(concept: Concept) -> set[str]:
    return {normalize(name) for name in (concept.slug, concept.title, *concept.aliases)} - {""}


def _alias(phrase: str, slug: str) -> _Alias:
    # Whole words only; the last word may be plural ("dict" matches "dicts", "class" matches "classes").
    pattern = re.compile(rf"(?:^| ){re.escape(phrase)}(?:s|es)?(?= |$)")
    return _Alias(phrase, pattern, slug)


def _check(concepts: list[Concept], order: list[str]) -> None:
    slugs = [concept.slug for concept in concepts]
    if sorted(slugs) != sorted(order) or len(set(order)) != len(order):
        raise ValueError("syllabus.json must list each curriculum file exactly once")
    owners: dict[str, str] = {}
    for concept in concepts:
        unknown = set(concept.related) - set(slugs)
        if unknown:
            raise ValueError(f"{concept.slug}: unknown related concepts {sorted(unknown)}")
        for name in _names(concept):
            if owners.setdefault(name, concept.slug) != concept.slug:
                raise ValueError(f"alias {name!r} belongs to both {owners[name]} and {concept.slug}")


@cache
def _catalog() -> _Catalog:
    package = resources.files(_PACKAGE)
    order: list[str] = json.loads((package / "syllabus.json").read_text(encoding="utf-8"))["order"]
    files = [entry for entry in (package / "curriculum").iterdir() if entry.name.endswith(".json")]
    concepts = [Concept.model_validate_json(entry.read_text(encoding="utf-8")) for entry in files]
    for entry, concept in zip(files, concepts, strict=True):
        if entry.name != f"{concept.slug}.json":
            raise ValueError(f"{entry.name} holds the concept {concept.slug!r}")
    _check(concepts, order)
    by_slug = {concept.slug: concept for concept in concepts}
    ordered = {slug: by_slug[slug] for slug in order}
    aliases = tuple(_alias(name, c.slug) for c in ordered.values() for name in sorted(_names(c)))
    return _Catalog(ordered, aliases)


def list_concepts() -> list[Concept]:
    """Every concept of the curriculum, in teaching order."""
    return list(_catalog().concepts.values())


MIN_STEM = 4


def _abbreviates(word: str, name_word: str) -> bool:
    """ "comps" abbreviates "comprehensions", "funcs" "functions": a stem of 4+ letters it starts with."""
    if word == name_word:
        return True
    stem = word[:-1] if word.endswith("s") and len(word) > MIN_STEM else word
    return len(stem) >= MIN_STEM and name_word.startswith(stem)


@cache
def _names_by_start() -> dict[str, list[tuple[_Alias, tuple[str, ...]]]]:
    """Names keyed by the first 4 letters of their first word: an abbreviation starts the same way."""
    index: dict[str, list[tuple[_Alias, tuple[str, ...]]]] = {}
    for alias in _catalog().aliases:
        name = tuple(alias.phrase.split())
        index.setdefault(name[0][:MIN_STEM], []).append((alias, name))
    return index


def _abbreviated(words: list[str]) -> _Alias | None:
    """The most specific name the words abbreviate ("list comps"): several-word names anywhere in the
    text, a one-word name only when it is the whole text ("decos"), so ordinary words do not match."""
    index = _names_by_start()
    best: _Alias | None = None
    for start, word in enumerate(words):
        for alias, name in index.get(word[:MIN_STEM], ()):
            if (len(name) == 1 and len(words) != 1) or (
                best is not None and alias.specificity <= best.specificity
            ):
                continue
            window = words[start : start + len(name)]
            if len(window) == len(name) and all(map(_abbreviates, window, name)):
                best = alias
    return best


def find_concept(text: str) -> Concept | None:
    """The concept a free-text question is about, matching slugs, titles and aliases as whole words.

    When several match, the most specific name (most words, then most letters) wins:
    "what's a dict comprehension?" is about comprehensions, not dictionaries. Abbreviated names
    match too ("list comps", "decos"), when they name more than the whole words do.
    """
    catalog = _catalog()
    normalized = normalize(text)
    best: _Alias | None = None
    for alias in catalog.aliases:
        if (best is None or alias.specificity > best.specificity) and alias.pattern.search(normalized):
            best = alias
    abbreviated = _abbreviated(normalized.split())
    if abbreviated is not None and (best is None or abbreviated.specificity[0] > best.specificity[0]):
        best = abbreviated
    return catalog.concepts[best.slug] if best else None


def suggest(text: str, limit: int = 3) -> list[str]:
    """Titles of the concepts whose names are closest to the words of `text` (for typos)."""
    catalog = _catalog()
    owner = {alias.phrase: alias.slug for alias in catalog.aliases}
    words = [word for word in normalize(text).split() if len(word) >= 3]
    queries = {normalize(text), *words, *(" ".join(pair) for pair in pairwise(words))}
    ranked: dict[str, float] = {}
    for query in sorted(queries):
        for phrase in difflib.get_close_matches(query, owner, n=5, cutoff=0.75):
            score = difflib.SequenceMatcher(None, query, phrase).ratio()
            slug = owner[phrase]
            ranked[slug] = max(ranked.get(slug, 0.0), score)
    position = {slug: index for index, slug in enumerate(catalog.concepts)}
    best = sorted(ranked, key=lambda slug: (-ranked[slug], position[slug]))[:limit]
    return [catalog.concepts[slug].title for slug in best]


def concepts_named(text: str) -> list[Concept]:
    """Every concept the text names as whole words, in the order they first appear: "the difference
    between a list and a tuple" names Lists, then Tuples. A name inside a longer one counts once
    ("dict comprehension" is Comprehensions, not also Dictionaries)."""
    catalog = _catalog()
    normalized = normalize(text)
    spans: list[tuple[int, int, _Alias]] = []
    for alias in sorted(catalog.aliases, key=lambda alias: alias.specificity, reverse=True):
        for found in alias.pattern.finditer(normalized):
            start, end = found.span()
            if all(end <= taken_start or start >= taken_end for taken_start, taken_end, _ in spans):
                spans.append((start, end, alias))
    ordered = dict.fromkeys(alias.slug for _, _, alias in sorted(spans, key=lambda span: span[0]))
    return [catalog.concepts[slug] for slug in ordered]
