from learnflow.api.nul_text import NUL_MESSAGE, fields_with_nul, nul_details


def test_finds_nul_in_nested_values_and_keys_by_their_paths() -> None:
    document = {
        "name": "Ada\x00",
        "tests": [{"code": "print(1)"}, {"code": "x\x00"}],
        "fine": "no nul here",
        "count": 3,
        "bad\x00key": None,
    }

    assert fields_with_nul(document) == ["bad\x00key", "name", "tests.1.code"]


def test_a_bare_string_is_the_body_itself() -> None:
    assert fields_with_nul("\x00") == ["body"]
    assert fields_with_nul(["ok", "\x00"]) == ["1"]


def test_text_without_nul_has_no_details() -> None:
    assert nul_details({"question": "why does 0 print?", "code": "print('\\\\x00')"}) == []


def test_details_use_the_contract_shape() -> None:
    assert nul_details({"display_name": "A\x00"}) == [{"field": "display_name", "message": NUL_MESSAGE}]
