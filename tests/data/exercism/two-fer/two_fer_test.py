import pytest
from two_fer import two_fer


def test_no_name_given():
    assert two_fer() == "One for you, one for me."


@pytest.mark.parametrize("name", ["Alice", "Bob"])
def test_a_name_given(name):
    assert two_fer(name) == f"One for {name}, one for me."
