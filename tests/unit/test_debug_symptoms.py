"""A debugging question without code still gets the usual cause of the symptom it describes."""

import pytest

from learnflow.domain.debugging.symptoms import NO_CODE, symptom_in, without_code


@pytest.mark.parametrize(
    ("question", "concept"),
    [
        ("my program prints None instead of the sum, why?", "return-values"),
        ("why does my function return None", "return-values"),
        ("my while loop never stops", "while-loops"),
        ("I run it and nothing happens", "functions"),
        ("my loop misses the last number", "range"),
        ("when I change the copy the original list changes too", "lists"),
    ],
)
def test_a_described_symptom_names_its_usual_cause(question: str, concept: str) -> None:
    symptom = symptom_in(question)
    assert symptom is not None and symptom.concept == concept


def test_the_none_symptom_explains_the_missing_return_and_asks_for_the_code() -> None:
    answer = without_code("my program prints None instead of the sum, why?")

    assert "ends without a `return`" in answer
    assert answer.endswith(
        "Paste the code that fails and the error message it shows, and I will point at the line."
    )


def test_without_a_known_symptom_it_asks_for_the_code() -> None:
    assert without_code("it's broken, help") == NO_CODE
