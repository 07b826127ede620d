"""What students really write runs and gives the right output, in both modes."""

import pytest

from sandbox_image.runner.client import SandboxRunner
from sandbox_image.runner.settings import namespaces_wanted
from sandbox_image.runner.static_check import Finding, SyntaxProblem, check

PROGRAMS = [
    (
        "stdin",
        "name = input()\nnumbers = [int(x) for x in input().split()]\nprint(name, sum(numbers))",
        "Ada\n1 2 3\n",
        "Ada 6\n",
    ),
    ("sys_stdin", "import sys\nprint(sum(int(line) for line in sys.stdin))", "1\n2\n3\n", "6\n"),
    (
        "classes",
        "class Animal:\n    def __init__(self, name):\n        self.name = name\n    def speak(self):\n"
        "        return f'{self.name} makes a sound'\nclass Dog(Animal):\n    def speak(self):\n"
        "        return f'{self.name} barks ({type(self).__name__})'\nprint(Dog('Rex').speak())",
        "",
        "Rex barks (Dog)\n",
    ),
    (
        "generators",
        "def squares(n):\n    for i in range(n):\n        yield i * i\nprint(list(squares(5)))",
        "",
        "[0, 1, 4, 9, 16]\n",
    ),
    (
        "standard_library",
        "import json, math, re, collections, itertools, functools, statistics, fractions, decimal, heapq\n"
        "print(json.dumps({'a': [1, 2]}), math.isqrt(17), re.findall(r'\\d+', 'a1b22'))\n"
        "print(collections.Counter('banana').most_common(1), list(itertools.accumulate([1, 2, 3])))\n"
        "print(functools.reduce(lambda a, b: a * b, range(1, 6)), statistics.mean([1, 2, 3, 4]))\n"
        "print(fractions.Fraction(1, 3) + fractions.Fraction(1, 6),"
        " decimal.Decimal('0.1') + decimal.Decimal('0.2'))\n"
        "print(heapq.nsmallest(2, [5, 1, 4]))",
        "",
        "{\"a\": [1, 2]} 4 ['1', '22']\n[('a', 3)] [1, 3, 6]\n120 2.5\n1/2 0.3\n[1, 4]\n",
    ),
    (
        "dataclasses_and_namedtuples",
        "from dataclasses import dataclass\nfrom collections import namedtuple\n"
        "from typing import NamedTuple\n"
        "@dataclass(frozen=True)\nclass Point:\n    x: int\n    y: int = 0\n"
        "Pair = namedtuple('Pair', 'a b')\nclass Row(NamedTuple):\n    id: int\n"
        "print(Point(1), Pair(1, 2), Row(7))",
        "",
        "Point(x=1, y=0) Pair(a=1, b=2) Row(id=7)\n",
    ),
    (
        "dates",
        "import datetime\nprint(datetime.datetime.strptime('2024-02-29', '%Y-%m-%d').date().isoformat())",
        "",
        "2024-02-29\n",
    ),
    (
        "random_with_seed",
        "import random\nrandom.seed(1)\nprint(len([random.random() for _ in range(3)]))",
        "",
        "3\n",
    ),
    (
        "files_in_tmp",
        "with open('/tmp/notes.txt', 'w') as f:\n    f.write('line 1\\nline 2\\n')\n"
        "with open('notes2.txt', 'w') as f:\n    f.write('relative')\n"
        "print(open('/tmp/notes.txt').read().splitlines(), open('notes2.txt').read())",
        "",
        "['line 1', 'line 2'] relative\n",
    ),
    (
        "pathlib_in_own_folder",
        "import pathlib\npathlib.Path('data.csv').write_text('a,b\\n1,2\\n')\nimport csv\n"
        "print(list(csv.reader(open('data.csv'))))",
        "",
        "[['a', 'b'], ['1', '2']]\n",
    ),
    (
        "handled_exception",
        "try:\n    int('x')\nexcept ValueError as error:\n    print('caught', error)",
        "",
        "caught invalid literal for int() with base 10: 'x'\n",
    ),
    ("exit_zero", "import sys\nprint('bye')\nsys.exit(0)", "", "bye\n"),
    ("unicode", "print('héllo wörld ✓ 你好')", "", "héllo wörld ✓ 你好\n"),
    (
        "moderate_recursion",
        "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(20))",
        "",
        "6765\n",
    ),
    (
        "one_thread",
        "import threading\nout = []\nt = threading.Thread(target=out.append, args=(1,))\nt.start()\n"
        "t.join()\nprint(out)",
        "",
        "[1]\n",
    ),
    ("a_big_but_allowed_list", "print(len(list(range(500_000))))", "", "500000\n"),
    (
        "getattr_on_own_objects",
        "class A:\n    x = 1\nprint(getattr(A(), 'x'), hasattr(A, 'y'))",
        "",
        "1 False\n",
    ),
]


@pytest.mark.parametrize(("name", "code", "stdin", "expected"), PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_legitimate_program_runs(
    runner: SandboxRunner, name: str, code: str, stdin: str, expected: str
) -> None:
    result = runner.run(code, stdin)
    assert result["status"] == "ok", result
    assert result["stdout"] == expected
    assert result["exit_code"] == 0 and result["message"] is None and result["truncated"] is False


def test_an_error_shows_the_students_traceback_only(runner: SandboxRunner) -> None:
    result = runner.run("def half(x):\n    return x / 0\n\nprint(half(4))")
    assert result["status"] == "error" and result["exit_code"] == 1
    assert result["message"] == "Your program stopped with ZeroDivisionError on line 2: division by zero."
    assert 'File "main.py", line 4' in result["stderr"] and "return x / 0" in result["stderr"]
    assert "sandbox_image" not in result["stderr"]


def test_a_non_zero_exit_and_a_syntax_error_are_errors(runner: SandboxRunner) -> None:
    exited = runner.run("import sys\nsys.exit(3)")
    assert exited["status"] == "error" and exited["exit_code"] == 3
    broken = runner.run("print('unclosed'")
    assert broken["status"] == "error" and "syntax error on line 1" in broken["message"]


def test_the_static_check_names_the_line() -> None:
    assert check("import json\nx = eval('1')") == Finding(2, "Line 2: eval is not allowed in the sandbox.")
    assert isinstance(check("def f(:\n    pass"), SyntaxProblem)
    assert check("import math\nprint(math.pi)") is None


def test_namespaces_can_be_switched_off_for_the_lambda_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEARNFLOW_SANDBOX_NAMESPACES", "off")
    assert namespaces_wanted() is False
    monkeypatch.setenv("LEARNFLOW_SANDBOX_NAMESPACES", "auto")
    assert namespaces_wanted() is True
