import pytest

from learnflow.domain.classes import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, new_join_code, normalize_join_code


def test_join_codes_avoid_characters_people_confuse() -> None:
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == JOIN_CODE_LENGTH
        assert set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set("01OIL") & set(JOIN_CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["K7QM2XPR", "k7qm2xpr", " K7QM-2XPR ", "k7qm 2xpr"])
def test_a_join_code_is_taken_as_people_type_it(typed: str) -> None:
    assert normalize_join_code(typed) == "K7QM2XPR"
