"""The offline exercise bank: its size and coverage, how an exercise is chosen, and every exercise
validated in the real sandbox (the solution scores 100, the starter code less)."""

from collections import Counter
from collections.abc import Iterator

import pytest

from learnflow.domain.concepts import list_concepts
from learnflow.domain.exercise_assignment import concept_for_topic, difficulty_asked
from learnflow.domain.exercise_bank import (
    DIFFICULTIES,
    ExerciseDraft,
    History,
    bank,
    choose,
    difficulty_for_mastery,
    exercises_on,
    first_unfinished_topic,
)
from learnflow.domain.exercise_checks import exercise_problems
from localcloud.sandbox import LocalSandbox


@pytest.fixture(scope="module")
def sandbox() -> Iterator[LocalSandbox]:
    runner = LocalSandbox()
    yield runner
    runner.close()


def test_the_bank_has_at_least_60_exercises_over_the_curriculum_at_three_difficulties() -> None:
    exercises = bank()
    assert len(exercises) >= 60
    assert {exercise.topic for exercise in exercises} == {concept.slug for concept in list_concepts()}
    by_difficulty = Counter(exercise.difficulty for exercise in exercises)
    assert set(by_difficulty) == set(DIFFICULTIES) and min(by_difficulty.values()) >= 15


@pytest.mark.parametrize("exercise", bank(), ids=lambda exercise: exercise.slug)
def test_each_exercise_is_complete_and_in_exercism_style(exercise: ExerciseDraft) -> None:
    assert len(exercise.hints) == 3 and len(set(exercise.hints)) == 3
    assert f"from {exercise.module_name} import" in exercise.test_code
    assert "unittest.TestCase" in exercise.test_code and exercise.test_code.count("def test_") >= 3
    assert exercise.source == "offline"


@pytest.mark.parametrize("exercise", bank(), ids=lambda exercise: exercise.slug)
def test_each_solution_scores_100_and_its_starter_less_in_the_sandbox(
    exercise: ExerciseDraft, sandbox: LocalSandbox
) -> None:
    assert exercise_problems(sandbox, exercise) == []


@pytest.mark.parametrize(
    ("mastery", "difficulty"),
    [(None, "easy"), (0, "easy"), (40, "easy"), (41, "medium"), (70, "medium"), (71, "hard"), (100, "hard")],
)
def test_the_difficulty_follows_mastery(mastery: int | None, difficulty: str) -> None:
    assert difficulty_for_mastery(mastery) == difficulty


def test_a_passed_exercise_is_not_given_again_while_others_remain() -> None:
    slugs = [exercise.slug for exercise in exercises_on("strings")]
    assert slugs == ["shout", "palindrome", "run-length-encoding"]
    assert choose("strings", "easy", History()).slug == "shout"  # type: ignore[union-attr]
    passed_one = History(passed=frozenset({"shout"}))
    assert choose("strings", "easy", passed_one).slug == "palindrome"  # type: ignore[union-attr]
    passed_two = History(passed=frozenset({"shout", "palindrome"}))
    assert choose("strings", "easy", passed_two).slug == "run-length-encoding"  # type: ignore[union-attr]
    passed_all = History(passed=frozenset(slugs), last_assigned={"shout": 3, "palindrome": 1})
    assert choose("strings", "medium", passed_all).slug == "palindrome"  # type: ignore[union-attr]


def test_an_exercise_handed_out_but_not_passed_rotates_behind_fresh_ones() -> None:
    history = History(last_assigned={"swap-values": 7})
    assert choose("variables", "easy", history).slug == "swap-values"  # type: ignore[union-attr]
    assert choose("variables", "medium", history).slug == "temperature-conversion"  # type: ignore[union-attr]


def test_without_a_topic_the_first_unfinished_one_is_chosen() -> None:
    topics = [concept.slug for concept in list_concepts()]
    assert first_unfinished_topic("easy", History(), topics) == "variables"
    done = History(passed=frozenset({"swap-values"}))
    assert first_unfinished_topic("easy", done, topics) == "numbers"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("list comps", "comprehensions"),
        ("decorator", "decorators"),
        ("oop", "classes"),
        ("Loops", "for-loops"),
    ],
)
def test_topics_are_matched_forgivingly(text: str, slug: str) -> None:
    concept = concept_for_topic(text)
    assert concept is not None and concept.slug == slug


@pytest.mark.parametrize(
    ("question", "difficulty"),
    [
        ("give me a hard exercise", "hard"),
        ("something simple please", "easy"),
        ("an exercise on loops", None),
    ],
)
def test_a_difficulty_asked_in_words_is_heard(question: str, difficulty: str | None) -> None:
    assert difficulty_asked(question) == difficulty
