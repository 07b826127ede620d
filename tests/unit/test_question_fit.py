"""The offline tutor answers questions its pages do not answer alone honestly: comparisons from what
each page says about the other, and uncovered words named with the topics that cover them."""

import pytest

from learnflow.domain.concept_answers import explanation_for
from learnflow.domain.concepts import explanation_of, find_concept
from learnflow.domain.concepts.catalog import concepts_named
from learnflow.domain.concepts.models import Concept
from learnflow.domain.offline_tutor import OfflineEngine


def concept(question: str) -> Concept:
    found = find_concept(question)
    assert found is not None
    return found


def test_a_question_names_concepts_in_order_and_a_longer_name_counts_once() -> None:
    named = concepts_named("What's the difference between a list and a tuple?")
    assert [c.slug for c in named] == ["lists", "tuples"]
    assert [c.slug for c in concepts_named("what is a dict comprehension")] == ["comprehensions"]


def test_a_comparison_quotes_what_each_page_says_about_the_other_then_both_pages() -> None:
    question = "What's the difference between a list and a tuple?"
    answer = OfflineEngine().explain(concept(question), "beginner", question)

    assert answer.explanation.startswith("**Lists and Tuples**: the curriculum has no page comparing them")
    assert "- A **tuple** is like a list that cannot be changed after it is created." in answer.explanation
    for slug in ("lists", "tuples"):
        page = explanation_of(concept(slug), "beginner")
        assert page.explanation in answer.explanation
        assert page.examples[0] in answer.examples
    assert answer.related[0] == "tuples"


def test_a_comparison_without_cross_mentions_says_so_and_gives_each_page() -> None:
    answer = OfflineEngine().explain(concept("dict vs list"), "beginner", "dict vs list")

    assert answer.explanation.startswith(
        "**Dictionaries and Lists**: the curriculum has no page comparing them; here is each of them."
    )


def test_words_the_page_never_uses_are_named_with_the_topics_that_use_them() -> None:
    question = "How do I sort a dictionary by value?"
    answer = OfflineEngine().explain(concept(question), "beginner", question)

    assert answer.explanation.startswith(
        "The offline tutor cannot answer all of this: its page on Dictionaries does not cover “sort”."
    )
    assert "The closest topics it has: Lists, Lambda Functions" in answer.explanation
    assert explanation_of(concept("dictionaries"), "beginner").explanation in answer.explanation
    assert answer.related[:2] == ["lists", "lambda"]


@pytest.mark.parametrize(
    "question",
    ["explain for loops", "what is a decorator?", "How does a generator work?", "What are f-strings?"],
)
def test_a_question_the_page_answers_gets_the_page_as_it_is(question: str) -> None:
    found = concept(question)
    assert OfflineEngine().explain(found, "intermediate", question) == explanation_of(found, "intermediate")


def test_a_question_no_page_is_about_names_its_words_and_the_closest_topics() -> None:
    answer = explanation_for("tell me about the walrus operator", None)

    assert answer["concept"] is None and answer["source"] == "offline"
    assert answer["explanation"].startswith(
        "The offline tutor has no page that answers this: none of its concepts is about “walrus”, “operator”."
    )
    assert "The closest topics it has:" in answer["explanation"]
    assert answer["suggestions"][0] in answer["explanation"]


def test_a_question_with_no_python_words_is_told_what_the_tutor_teaches_and_where_to_start() -> None:
    answer = explanation_for("how do I cook pasta", None)

    assert answer["explanation"].startswith("The offline tutor has no page about “cook”, “pasta”: it teaches")
    assert answer["suggestions"] and all(title in answer["explanation"] for title in answer["suggestions"])


def test_a_question_without_a_single_subject_word_still_gets_topics_to_start_with() -> None:
    answer = explanation_for("what is the difference between is and ==", None)

    assert answer["explanation"].startswith("The offline tutor has no page: it teaches Python in 32 topics")
    assert answer["suggestions"]
