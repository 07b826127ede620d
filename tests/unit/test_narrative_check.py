"""Numbers in an LLM's progress summary must be the student's real figures."""

from learnflow.domain.progress.narrative_check import invented_numbers, numbers_in

FIGURES = {"mastery": 62, "topics": [{"topic": "functions", "mastery": 45}], "exercises_passed": 7}


def test_numbers_are_read_as_written_with_digits() -> None:
    assert numbers_in("62 of 100, 66.7%, 1,200 tokens, 3.50 and x2 or v1.2") == {
        "62",
        "100",
        "66.7",
        "1200",
        "3.5",
    }


def test_real_figures_pass_and_invented_ones_are_named() -> None:
    assert invented_numbers("Your mastery is 62 and functions is at 45; 7 exercises passed.", FIGURES) == []
    assert invented_numbers("Your mastery is 62, up 12 points; you are in the top 10%.", FIGURES) == [
        "10",
        "12",
    ]


def test_numbers_from_the_question_may_be_repeated() -> None:
    assert (
        invented_numbers("Over the last 30 days you passed 7.", FIGURES, "how did I do in the last 30 days?")
        == []
    )
