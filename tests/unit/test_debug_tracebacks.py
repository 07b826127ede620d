"""Reading the tracebacks students paste, in every shape they come in."""

import pytest

from learnflow.domain.debugging import parse_traceback

CODE = 'def greet(name):\n    print("Hello " + nme)\n\ngreet("Ada")\n'


def test_a_whole_traceback_gives_type_message_line_column_and_frames() -> None:
    pasted = (
        "Traceback (most recent call last):\n"
        '  File "/home/ada/main.py", line 4, in <module>\n'
        '    greet("Ada")\n'
        '  File "/home/ada/main.py", line 2, in greet\n'
        '    print("Hello " + nme)\n'
        "                     ^^^\n"
        "NameError: name 'nme' is not defined. Did you mean: 'name'?\n"
    )
    error = parse_traceback(pasted, CODE)
    assert error is not None
    assert (error.error_type, error.line) == ("NameError", 2)
    assert error.message == "name 'nme' is not defined. Did you mean: 'name'?"
    assert error.column == CODE.splitlines()[1].index("nme") + 1
    assert [frame.function for frame in error.frames] == ["<module>", "greet"]


def test_the_header_and_the_outer_frames_may_be_missing() -> None:
    pasted = (
        '  File "main.py", line 2, in greet\n'
        '    print("Hello " + nme)\n'
        "NameError: name 'nme' is not defined"
    )
    error = parse_traceback(pasted)
    assert error is not None and (error.error_type, error.line) == ("NameError", 2)


def test_a_message_without_its_type_is_recognised() -> None:
    error = parse_traceback("list index out of range")
    assert error is not None and error.error_type == "IndexError" and error.line is None


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        # Python 3.8: a single caret, older wording
        (
            '  File "main.py", line 3\n    if x = 5\n         ^\nSyntaxError: invalid syntax',
            ("SyntaxError", 3, 6),
        ),
        # 3.10+: a run of carets
        (
            '  File "main.py", line 1\n    print("hi)\n          ^\nSyntaxError: unterminated string '
            "literal (detected at line 1)",
            ("SyntaxError", 1, 7),
        ),
        (
            '  File "main.py", line 2\n    print(1)\nIndentationError: unexpected indent',
            ("IndentationError", 2, None),
        ),
    ],
)
def test_syntax_errors_give_the_line_and_the_caret_column(
    pasted: str, expected: tuple[str, int, int | None]
) -> None:
    error = parse_traceback(pasted)
    assert error is not None
    assert (error.error_type, error.line, error.column) == expected


def test_in_a_chain_the_last_error_is_the_error_and_the_others_its_chain() -> None:
    pasted = (
        "Traceback (most recent call last):\n"
        '  File "main.py", line 3, in <module>\n'
        "    return int(text)\n"
        "ValueError: invalid literal for int() with base 10: 'x'\n\n"
        "The above exception was the direct cause of the following exception:\n\n"
        "Traceback (most recent call last):\n"
        '  File "main.py", line 5, in <module>\n'
        '    raise RuntimeError("bad number") from error\n'
        "RuntimeError: bad number\n"
    )
    error = parse_traceback(pasted)
    assert error is not None and (error.error_type, error.line) == ("RuntimeError", 5)
    assert [(link.error_type, link.relation) for link in error.chain] == [("ValueError", "cause")]


def test_library_frames_are_skipped_to_the_students_line() -> None:
    pasted = (
        "Traceback (most recent call last):\n"
        '  File "/home/ada/main.py", line 2, in <module>\n'
        '    data = json.loads("{name: 1}")\n'
        '  File "/usr/lib/python3.12/json/__init__.py", line 346, in loads\n'
        "    return _default_decoder.decode(s)\n"
        "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 "
        "(char 1)\n"
    )
    error = parse_traceback(pasted)
    assert error is not None
    assert (error.error_type, error.qualified_type, error.line) == (
        "JSONDecodeError",
        "json.decoder.JSONDecodeError",
        2,
    )


def test_ipython_and_jupyter_tracebacks_are_read() -> None:
    pasted = (
        "---------------------------------------------------------------------------\n"
        "ZeroDivisionError                         Traceback (most recent call last)\n"
        "Cell In[3], line 2\n"
        "      1 total = 10\n"
        "----> 2 share = total / 0\n\n"
        "ZeroDivisionError: division by zero\n"
    )
    error = parse_traceback(pasted)
    assert error is not None and (error.error_type, error.line) == ("ZeroDivisionError", 2)


def test_colours_quotes_fences_and_indentation_from_chat_are_ignored() -> None:
    pasted = (
        "```\n"
        "> Traceback (most recent call last):\n"
        '>   File "main.py", line 1, in <module>\n'
        ">     \x1b[31mprint(x)\x1b[0m\n"
        "> \x1b[1;35mNameError\x1b[0m: name 'x' is not defined\n"
        "```"
    )
    error = parse_traceback(pasted)
    assert error is not None and (error.error_type, error.line) == ("NameError", 1)


def test_an_exception_group_reports_the_inner_error() -> None:
    pasted = (
        "  + Exception Group Traceback (most recent call last):\n"
        '  |   File "main.py", line 1, in <module>\n'
        '  |     raise ExceptionGroup("many", [ValueError("bad")])\n'
        "  | ExceptionGroup: many (1 sub-exception)\n"
        "  +-+---------------- 1 ----------------\n"
        "    | ValueError: bad\n"
        "    +------------------------------------\n"
    )
    error = parse_traceback(pasted)
    assert error is not None and error.error_type == "ValueError" and error.message == "bad"


def test_an_exception_class_of_the_students_own_is_read() -> None:
    pasted = (
        "Traceback (most recent call last):\n"
        '  File "main.py", line 9, in <module>\n'
        "    withdraw(3, 10)\n"
        '  File "main.py", line 6, in withdraw\n'
        '    raise InsufficientFunds("balance is only 3")\n'
        "__main__.InsufficientFunds: balance is only 3\n"
    )
    error = parse_traceback(pasted)
    assert error is not None and (error.error_type, error.line) == ("InsufficientFunds", 6)


def test_the_line_is_mapped_into_the_part_of_the_file_the_student_pasted() -> None:
    code = 'name = "Ada"\nprint(nme)\n'
    pasted = (
        '  File "big_project.py", line 120, in <module>\n'
        "    print(nme)\n"
        "NameError: name 'nme' is not defined"
    )
    error = parse_traceback(pasted, code)
    assert error is not None and error.line == 2


@pytest.mark.parametrize("text", ["", "it doesn't work, please help", "my output is wrong: 3 instead of 4"])
def test_text_without_an_error_is_not_taken_for_one(text: str) -> None:
    assert parse_traceback(text) is None
