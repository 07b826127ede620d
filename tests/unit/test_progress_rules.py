"""The mastery formula, levels, rounding, consistency and streaks, on cases computed by hand."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from learnflow.domain.progress import (
    Components,
    Evidence,
    assess,
    consistency_of,
    level_of,
    local_day,
    milestone_reached,
    recent_average,
    streaks_of,
    topic_of,
)


def components(exercises: str, quizzes: str, code_quality: str, consistency: str) -> Components:
    return Components(Decimal(exercises), Decimal(quizzes), Decimal(code_quality), Decimal(consistency))


def test_mastery_weighs_exercises_40_quizzes_30_code_quality_20_consistency_10() -> None:
    # 0.4 x 80 + 0.3 x 60 + 0.2 x 50 + 0.1 x 10 = 32 + 18 + 10 + 1 = 61
    figures = components("80", "60", "50", "10")
    assert figures.weighted_sum() == Decimal("61.0")
    assert figures.mastery() == 61
    assert level_of(61) == "yellow"


@pytest.mark.parametrize(
    ("mastery", "level"),
    [
        (0, "red"),
        (40, "red"),
        (41, "yellow"),
        (70, "yellow"),
        (71, "green"),
        (90, "green"),
        (91, "blue"),
        (100, "blue"),
    ],
)
def test_level_boundaries(mastery: int, level: str) -> None:
    assert level_of(mastery) == level


@pytest.mark.parametrize(
    ("figures", "weighted", "mastery", "level"),
    [
        # 40 + 0.1 x 5 = 40.5: half up gives 41 (Python's round() would give 40, red)
        (components("100", "0", "0", "5"), "40.5", 41, "yellow"),
        (components("100", "0", "0", "4.9"), "40.49", 40, "red"),
        (components("100", "100", "0", "5"), "70.5", 71, "green"),
        (components("100", "100", "100", "4.5"), "90.45", 90, "green"),
        (components("100", "100", "100", "5"), "90.5", 91, "blue"),
        (components("0", "0", "0", "0"), "0", 0, "red"),
        (components("100", "100", "100", "100"), "100", 100, "blue"),
    ],
)
def test_mastery_is_rounded_half_up_and_the_level_read_from_the_whole_number(
    figures: Components, weighted: str, mastery: int, level: str
) -> None:
    assert figures.weighted_sum() == Decimal(weighted)
    assert figures.mastery() == mastery
    assert level_of(figures.mastery()) == level


def test_a_component_is_the_average_of_the_five_most_recent_scores_rounded_half_up() -> None:
    newest_first = [Decimal(score) for score in (100, 100, 100, 100, 100, 0, 0)]
    assert recent_average(newest_first) == Decimal("100.0")
    assert recent_average([Decimal(70), Decimal(80), Decimal(85)]) == Decimal("78.3")  # 78.333...
    # 83.65 -> 83.7 (half up; half-even rounding would give 83.6)
    assert recent_average([Decimal("83.6"), Decimal("83.7")]) == Decimal("83.7")
    assert recent_average([]) == Decimal(0)


def test_consistency_counts_active_days_in_the_30_days_ending_today() -> None:
    today = date(2024, 5, 31)
    window_start = date(2024, 5, 2)
    days = [window_start, date(2024, 5, 10), date(2024, 5, 20), today, date(2024, 5, 1), date(2024, 4, 1)]
    assert consistency_of(days, today) == (4, Decimal("13.3"))  # 4/30 = 13.33
    assert consistency_of([today - timedelta(days=n) for n in range(30)], today) == (30, Decimal("100.0"))
    assert consistency_of([today, today - timedelta(days=1)], today) == (2, Decimal("6.7"))  # 6.666
    assert consistency_of([], today) == (0, Decimal("0.0"))


def test_a_streak_is_current_while_its_last_day_is_today_or_yesterday() -> None:
    may = [date(2024, 5, day) for day in (1, 2, 3, 5, 6)]
    assert (streaks_of(may, date(2024, 5, 6)).current, streaks_of(may, date(2024, 5, 6)).longest) == (2, 3)
    assert streaks_of(may, date(2024, 5, 7)).current == 2  # today is not over yet
    assert streaks_of(may, date(2024, 5, 8)).current == 0
    assert streaks_of(may, date(2024, 5, 8)).longest == 3
    assert streaks_of([], date(2024, 5, 8)).current == 0


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_days_are_counted_on_the_students_calendar_across_the_autumn_dst_change() -> None:
    # Berlin leaves summer time on 27 Oct 2024 at 01:00 UTC: these two are 25 hours apart, yet on
    # consecutive local evenings (23:30 CEST on the 26th, 23:30 CET on the 27th)
    first, second = at("2024-10-26T21:30:00+00:00"), at("2024-10-27T22:30:00+00:00")
    days = [local_day(first, "Europe/Berlin"), local_day(second, "Europe/Berlin")]
    assert days == [date(2024, 10, 26), date(2024, 10, 27)]
    assert streaks_of(days, date(2024, 10, 27)).current == 2


def test_days_are_counted_on_the_students_calendar_across_the_spring_dst_change() -> None:
    # Berlin: 00:10 CET on 30 Mar and 23:50 CEST on 31 Mar 2024 (46 h 40 min apart) are consecutive
    # days; counted in UTC they would be the 29th and the 31st, a broken streak
    first, second = at("2024-03-29T23:10:00+00:00"), at("2024-03-31T21:50:00+00:00")
    days = [local_day(first, "Europe/Berlin"), local_day(second, "Europe/Berlin")]
    assert days == [date(2024, 3, 30), date(2024, 3, 31)]
    assert streaks_of(days, date(2024, 3, 31)).current == 2
    utc_days = [local_day(first, "UTC"), local_day(second, "UTC")]
    assert streaks_of(utc_days, date(2024, 3, 31)).current == 1


def test_the_23_hour_spring_day_in_los_angeles_is_one_day() -> None:
    # 00:30 PST and 23:30 PDT on 10 Mar 2024: the same local day, though on two UTC dates
    morning, night = at("2024-03-10T08:30:00+00:00"), at("2024-03-11T06:30:00+00:00")
    assert (
        local_day(morning, "America/Los_Angeles")
        == local_day(night, "America/Los_Angeles")
        == date(2024, 3, 10)
    )
    assert {local_day(morning, "UTC"), local_day(night, "UTC")} == {date(2024, 3, 10), date(2024, 3, 11)}


def test_the_same_moments_make_different_streaks_in_auckland_and_honolulu() -> None:
    # One hour apart in UTC: 23:30 on 1 Jan and 00:30 on 2 Jan in Auckland (UTC+13), 00:30 and 01:30
    # on 1 Jan in Honolulu (UTC-10). On 3 Jan the Auckland streak is alive (its last day was
    # yesterday), the Honolulu one is over.
    moments = [at("2024-01-01T10:30:00+00:00"), at("2024-01-01T11:30:00+00:00")]
    now = at("2024-01-03T10:00:00+00:00")  # 23:00 on 3 Jan in Auckland, 00:00 on 3 Jan in Honolulu

    auckland = [local_day(moment, "Pacific/Auckland") for moment in moments]
    assert auckland == [date(2024, 1, 1), date(2024, 1, 2)]
    assert streaks_of(auckland, local_day(now, "Pacific/Auckland")).current == 2

    honolulu = [local_day(moment, "Pacific/Honolulu") for moment in moments]
    assert honolulu == [date(2024, 1, 1), date(2024, 1, 1)]
    streak = streaks_of(honolulu, local_day(now, "Pacific/Honolulu"))
    assert (streak.current, streak.longest) == (0, 1)


def test_an_unknown_time_zone_counts_in_utc_and_naive_times_are_utc() -> None:
    assert local_day(at("2024-01-01T23:30:00+00:00"), "Mars/Olympus_Mons") == date(2024, 1, 1)
    assert local_day(datetime(2024, 1, 1, 23, 30), "Asia/Tokyo") == date(2024, 1, 2)


def test_a_milestone_is_reached_once_when_a_streak_grows_past_it() -> None:
    week = {date(2024, 5, day) for day in range(1, 8)}
    assert milestone_reached(week, date(2024, 5, 7), today=date(2024, 5, 7)) == (7, 7)
    assert milestone_reached(week - {date(2024, 5, 7)}, date(2024, 5, 6), today=date(2024, 5, 6)) is None


def test_a_late_event_that_joins_two_runs_reaches_only_the_milestones_neither_had() -> None:
    # 1-3 and 5-7 were two 3-day streaks; the 4th arrives late and makes one of 7 days
    joined = {date(2024, 5, day) for day in range(1, 8)}
    assert milestone_reached(joined, date(2024, 5, 4), today=date(2024, 5, 7)) == (7, 7)
    # 1-2 and 4-5 joined by the 3rd: 3 is new (neither run had it), 7 is not reached
    assert milestone_reached(
        {date(2024, 5, d) for d in range(1, 6)}, date(2024, 5, 3), today=date(2024, 5, 5)
    ) == (
        3,
        5,
    )


def test_a_streak_that_ended_long_ago_is_history_not_a_milestone() -> None:
    week = {date(2024, 5, day) for day in range(1, 8)}
    assert milestone_reached(week, date(2024, 5, 7), today=date(2024, 6, 1)) is None


@pytest.mark.parametrize(
    ("raw", "topic"),
    [
        ("for-loops", "control-flow"),
        ("For Loops", "control-flow"),
        ("control-flow", "control-flow"),
        ("dunder_methods", "oop"),
        (None, "general"),
        ("   ", "general"),
        ("Web Scraping", "web-scraping"),
    ],
)
def test_events_count_toward_their_curriculum_topic(raw: str | None, topic: str) -> None:
    assert topic_of(raw) == topic


def test_the_explanation_shows_the_arithmetic_and_the_quickest_gain() -> None:
    figures = components("62", "0", "40", "23.3")  # 24.8 + 0 + 8 + 2.33 = 35.13 -> 35, red
    assessed = assess(
        figures,
        Evidence(exercises_counted=3, reviews_counted=2, active_days=7),
        topic="functions",
        timezone="UTC",
    )
    assert (assessed.mastery, assessed.level) == (35, "red")
    explanation = assessed.explanation()
    assert explanation["summary"].startswith(
        "Mastery 35 = 40% x 62 + 30% x 0 + 20% x 40 + 10% x 23.3 = 35.13"
    )
    assert "red (0-40)" in explanation["summary"]
    assert explanation["next_level"] == {"level": "yellow", "points_needed": 6}
    assert explanation["focus"]["component"] == "quizzes"  # 30% x (100 - 0) is the biggest gap
    assert "No quiz scores in functions yet" in explanation["components"]["quizzes"]
    assert "latest 3 exercise scores in functions: 62" in explanation["components"]["exercises"]
    assert "7 of the last 30 days" in explanation["components"]["consistency"]


def test_blue_has_no_next_level() -> None:
    assessed = assess(components("100", "100", "100", "100"), Evidence(), topic=None, timezone="UTC")
    assert assessed.level == "blue" and assessed.explanation()["next_level"] is None
