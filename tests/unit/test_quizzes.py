"""The offline quiz bank: every "predict the output" answer is what the code really prints; grading."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from learnflow.domain.concepts import list_concepts
from learnflow.domain.errors import InvalidInputError
from learnflow.domain.quizzes import MultipleChoice, PredictOutput, Quiz, bank, grade, quiz_by_id, quizzes_on

PREDICTIONS = [
    pytest.param(question, id=question.id)
    for quiz in bank().values()
    for question in quiz.questions
    if isinstance(question, PredictOutput)
]


def test_every_curriculum_topic_has_a_quiz_with_both_kinds_of_question() -> None:
    topics = {concept.topic for concept in list_concepts()}
    assert {quiz.topic for quiz in bank().values()} == topics
    for quiz in bank().values():
        kinds = {question.type for question in quiz.questions}
        assert kinds == {"multiple_choice", "predict_output"}, quiz.slug


@pytest.mark.parametrize("question", PREDICTIONS)
def test_the_expected_output_is_what_the_code_prints(question: PredictOutput, tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-I", "-c", question.code], capture_output=True, text=True, timeout=20, cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == question.answer


def test_students_see_questions_without_answers_or_explanations() -> None:
    for quiz in bank().values():
        shown = json.dumps(quiz.public())
        assert '"answer"' not in shown and '"explanation"' not in shown
        for question, public in zip(quiz.questions, quiz.public()["questions"], strict=True):
            assert public["prompt"] == question.prompt
            if isinstance(question, MultipleChoice):
                assert public["choices"] == list(question.choices)


def control_flow() -> Quiz:
    (quiz,) = quizzes_on("control-flow")
    return quiz


def right_answers(quiz: Quiz) -> list[int | str | None]:
    return [question.answer for question in quiz.questions]


def test_all_right_scores_100_and_reveals_the_answers() -> None:
    graded = grade(control_flow(), right_answers(control_flow()))
    assert graded.score == 100
    assert all(result["correct"] for result in graded.results)
    assert all(result["expected"] and result["explanation"] for result in graded.results)


def test_the_score_is_the_share_of_right_answers_rounded_half_up() -> None:
    quiz = control_flow()  # 6 questions
    answers = right_answers(quiz)
    one_right: list[int | str | None] = [answers[0], *([None] * 5)]
    assert grade(quiz, one_right).score == 17  # 16.67
    half_right = [*answers[:3], None, None, None]
    assert grade(quiz, half_right).score == 50
    assert grade(quiz, [None] * 6).score == 0


def test_a_predicted_output_is_forgiven_trailing_spaces_and_line_endings_but_not_more() -> None:
    quiz = quiz_by_id(control_flow().id)
    index, question = next((i, q) for i, q in enumerate(quiz.questions) if isinstance(q, PredictOutput))
    answers: list[int | str | None] = [None] * len(quiz.questions)
    answers[index] = question.answer.rstrip("\n").replace("\n", "  \r\n") + "\r\n\r\n"
    assert grade(quiz, answers).results[index]["correct"] is True
    answers[index] = " " + question.answer
    assert grade(quiz, answers).results[index]["correct"] is False


def test_answers_must_match_the_questions_in_number_and_form() -> None:
    quiz = control_flow()
    with pytest.raises(InvalidInputError) as too_few:
        grade(quiz, [0])
    assert too_few.value.details[0]["field"] == "answers"
    choice = next(i for i, q in enumerate(quiz.questions) if isinstance(q, MultipleChoice))
    for wrong_form in ("1", True):
        answers: list[int | str | None] = [None] * len(quiz.questions)
        answers[choice] = wrong_form
        with pytest.raises(InvalidInputError) as invalid:
            grade(quiz, answers)
        assert invalid.value.details == [
            {"field": f"answers.{choice}", "message": "must be the index of a choice (a whole number)"}
        ]


def test_quizzes_are_found_by_topic_or_by_one_of_its_concepts() -> None:
    assert quizzes_on("for-loops") == quizzes_on("control-flow") == [control_flow()]
    assert quizzes_on("knitting") == []
    assert len(quizzes_on(None)) == len(bank())
