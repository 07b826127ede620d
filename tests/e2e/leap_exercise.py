"""The Leap exercise (Exercism's layout) that the end-to-end tests create, solve and grade."""

import uuid

LEAP_TESTS = """import unittest

from leap import leap_year


class LeapTest(unittest.TestCase):
    def test_year_not_divisible_by_4_in_common_year(self):
        self.assertIs(leap_year(2015), False)

    def test_year_divisible_by_100_not_by_400_in_common_year(self):
        self.assertIs(leap_year(2100), False)

    def test_year_divisible_by_400_is_leap_year(self):
        self.assertIs(leap_year(2000), True)


def test_year_divisible_by_4_not_by_100_is_leap_year():
    print("checking 1996")
    assert leap_year(1996) is True
"""
LEAP_SOLUTION = "def leap_year(year):\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)\n"


def leap_exercise(**changes: object) -> dict[str, object]:
    return {
        "slug": f"leap-{uuid.uuid4().hex[:8]}",
        "title": "Leap",
        "description": "Tell whether a year is a leap year in the Gregorian calendar.",
        "topic": "conditionals",
        "difficulty": "easy",
        "module_name": "leap",
        "starter_code": "def leap_year(year):\n    pass\n",
        "solution": LEAP_SOLUTION,
        "test_code": LEAP_TESTS,
        "hints": ["Use the modulo operator %.", "Divisible by 100 is special.", "But 400 is special again."],
    } | changes
