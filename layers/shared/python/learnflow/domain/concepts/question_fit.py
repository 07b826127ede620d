"""Fits a curriculum page to the question asked, honestly, when the page alone does not answer it.

- A comparison of two concepts ("the difference between a list and a tuple") gets what each page
  says about the other, then the pages themselves; the curriculum has no side-by-side pages.
- A question whose words the page never uses ("sort a dictionary by value") says plainly that the
  offline tutor cannot answer that part, names the topics that do mention those words, and then
  gives what the page does cover.
Any other question gets the page as it is.
"""

import re
from functools import cache

from learnflow.domain.concepts.catalog import concepts_named, list_concepts, normalize
from learnflow.domain.concepts.explainer import Explanation, explanation_of
from learnflow.domain.concepts.models import LEVELS, Concept, Level

COMPARISON = re.compile(r"\b(difference|differences|differ|diff|vs|versus|compare|compared|or)\b")
NEAREST_TOPICS = 3
CROSS_MENTIONS = 4
MIN_TERM = 3

#: words of a question that say nothing about its subject
_QUESTION_WORD_LIST = """
    a about after all also am an and any are as at be been before best better between but by can
    could did difference do does doing done each else even ever every example examples explain for
    from get gets give go going good got had has have help her here his how i if in into is it its
    just know learn let like make many me mean means more most much my need new no not now of on
    one only or other our out over please python really same see should show so some something tell
    than that the their them then there these they thing things this those through to too two
    understand up us use used using very want was way ways we well were what whats when where which
    while who why will with without work works would write you your"""
QUESTION_WORDS = frozenset(_QUESTION_WORD_LIST.split())

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\n+")


def fitted_explanation(concept: Concept, level: Level, question: str) -> Explanation:
    named = concepts_named(question)
    others = [other for other in named if other.slug != concept.slug]
    if others and COMPARISON.search(normalize(question)):
        first, second = (concept, others[0]) if named[0].slug == concept.slug else (others[0], concept)
        return _compared(first, second, level)
    missing = uncovered_terms(question, concept, level)
    if missing:
        return _partly_covered(explanation_of(concept, level), concept, missing, others)
    return explanation_of(concept, level)


def uncovered_terms(question: str, concept: Concept, level: Level) -> list[str]:
    """The question's subject words that the page (at this level) never uses, in question order."""
    names = _name_words(concept)
    page_words = set(normalize(_text_of(concept, level)).split())
    terms: list[str] = []
    for word in _subject_words(question):
        if word not in names and word not in terms and not any(_same_word(word, used) for used in page_words):
            terms.append(word)
    return terms


def _compared(first: Concept, second: Concept, level: Level) -> Explanation:
    first_page, second_page = explanation_of(first, level), explanation_of(second, level)
    mentions = [*_sentences_naming(first, second, level), *_sentences_naming(second, first, level)]
    heading = f"**{first.title} and {second.title}**"
    if mentions:
        intro = (
            f"{heading}: the curriculum has no page comparing them side by side; here is what each page"
            " says about the other.\n\n"
            + "\n".join(f"- {sentence}" for sentence in mentions[:CROSS_MENTIONS])
        )
    else:
        intro = f"{heading}: the curriculum has no page comparing them; here is each of them."
    sections = [f"**{page.concept}**\n\n{page.explanation}" for page in (first_page, second_page)]
    return first_page.model_copy(
        update={
            "explanation": "\n\n".join([intro, *sections]),
            "examples": [*first_page.examples[:1], *second_page.examples[:1]],
            "related": _with_first([second.slug], first_page.related),
        }
    )


def _partly_covered(
    page: Explanation, concept: Concept, missing: list[str], named: list[Concept]
) -> Explanation:
    nearest = _with_first_concepts(named, _nearest_topics(concept, missing))[:NEAREST_TOPICS]
    quoted = ", ".join(f"“{term}”" for term in missing)
    text = (
        f"The offline tutor cannot answer all of this: its page on {concept.title} does not cover {quoted}."
    )
    if nearest:
        text += " The closest topics it has: " + ", ".join(topic.title for topic in nearest) + "."
    text += f" Here is what it covers about {concept.title.lower()}.\n\n{page.explanation}"
    return page.model_copy(
        update={"explanation": text, "related": _with_first([topic.slug for topic in nearest], page.related)}
    )


def nearest_topics(question: str) -> tuple[list[Concept], list[str]]:
    """For a question that names no concept: the pages that use its subject words most, and the words."""
    terms = list(dict.fromkeys(_subject_words(question)))
    return (_nearest_topics(None, terms) if terms else []), terms


def _subject_words(question: str) -> list[str]:
    return [
        word
        for word in normalize(question).split()
        if len(word) >= MIN_TERM and word not in QUESTION_WORDS and not word.isdigit()
    ]


def _nearest_topics(concept: Concept | None, missing: list[str]) -> list[Concept]:
    """The concepts whose pages use the missing words most, at any level."""
    counted = []
    for other in list_concepts():
        if concept is not None and other.slug == concept.slug:
            continue
        hits = sum(1 for used in _words_of_page(other.slug) for term in missing if _same_word(term, used))
        if hits:
            counted.append((hits, other))
    counted.sort(key=lambda pair: -pair[0])
    return [other for _, other in counted[:NEAREST_TOPICS]]


@cache
def _words_of_page(slug: str) -> tuple[str, ...]:
    """Every word a concept's page uses, at every level (the curriculum is loaded once, and so is this)."""
    concept = next(concept for concept in list_concepts() if concept.slug == slug)
    return tuple(normalize(" ".join(_text_of(concept, level) for level in LEVELS)).split())


def _sentences_naming(page_of: Concept, named: Concept, level: Level) -> list[str]:
    """Sentences of one page that name the other concept by a word of its slug the page's own slug
    lacks: the Tuples page naming "list", the While Loops page naming "for"."""
    distinct = _slug_words(named) - _slug_words(page_of)
    names = [re.compile(rf"\b{re.escape(word)}(s|es)?\b", re.IGNORECASE) for word in distinct]
    sentences = _SENTENCE_END.split(page_of.at(level).explanation)
    return [
        " ".join(sentence.split()) for sentence in sentences if any(name.search(sentence) for name in names)
    ]


def _slug_words(concept: Concept) -> set[str]:
    """Singular words of the slug: dictionaries -> dictionary, for-loops -> for, loop."""
    return {
        re.sub(r"ies$", "y", word) if word.endswith("ies") else word.removesuffix("s")
        for word in concept.slug.split("-")
    }


def _name_words(concept: Concept) -> set[str]:
    names = (concept.slug.replace("-", " "), concept.title, *concept.aliases)
    return {word for name in names for word in normalize(name).split()} - QUESTION_WORDS


def _text_of(concept: Concept, level: Level) -> str:
    content = concept.at(level)
    return " ".join([content.explanation, *(example.code for example in content.examples)])


def _same_word(word: str, used: str) -> bool:
    """ "sorting" and "sorted" are "sort"; "values" is "value"."""
    return word in (used, f"{used}s", f"{used}es") or (len(word) > MIN_TERM and used.startswith(word))


def _with_first_concepts(first: list[Concept], rest: list[Concept]) -> list[Concept]:
    return list({concept.slug: concept for concept in [*first, *rest]}.values())


def _with_first(first: list[str], rest: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *rest]))
