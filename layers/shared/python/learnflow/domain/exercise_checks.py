"""The check every exercise passes before a student sees it, whoever wrote it."""

from learnflow.domain.exercise_bank.models import ExerciseDraft
from learnflow.domain.ports import Sandbox


def exercise_problems(sandbox: Sandbox, draft: ExerciseDraft) -> list[str]:
    """Why an exercise may not be shown to a student: its solution must score 100, its starter less."""
    problems = []
    solved = sandbox.grade(draft.module_name, draft.solution, draft.test_code).score
    if solved != 100:
        problems.append(f"the solution scores {solved}, not 100, on its own tests")
    started = sandbox.grade(draft.module_name, draft.starter_code, draft.test_code).score
    if started >= 100:
        problems.append("the starter code already passes every test")
    return problems
