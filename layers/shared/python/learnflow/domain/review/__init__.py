"""The code review agent: real linters, complexity, efficiency rules, a score and checked suggestions."""

from learnflow.domain.review.models import Complexity, Finding, Review, Suggestion
from learnflow.domain.review.reviewer import review_code

__all__ = ["Complexity", "Finding", "Review", "Suggestion", "review_code"]
