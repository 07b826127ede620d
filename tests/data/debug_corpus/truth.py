"""Ground truth for the debug corpus: what CPython itself reports for each program.

Each program is run twice in a fresh folder as `main.py`: as a student runs it
(`python main.py`, whose stderr is the traceback they would paste) and under a small wrapper
that catches the exception and prints its type and the line in `main.py` where it happened
(`SyntaxError.lineno` for code that does not compile). A first line `# stdin: text` gives the
program its input.

`python tests/data/debug_corpus/truth.py /path/to/python3.8 ...` records the tracebacks of other
interpreters into `recorded/<version>.json`, for the parser tests of 3.8 to 3.13 wording.
"""

import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
PROGRAMS = sorted((CORPUS / "programs").glob("*.py"))
RECORDED = CORPUS / "recorded"

_WRAPPER = r"""
import json, runpy, traceback
found = {"type": None, "line": None}
try:
    runpy.run_path("main.py", run_name="__main__")
except SyntaxError as error:
    found = {"type": type(error).__name__, "line": error.lineno}
except BaseException as error:
    frames = traceback.extract_tb(error.__traceback__)
    frames = [frame for frame in frames if frame.filename.endswith("main.py")]
    found = {"type": type(error).__name__, "line": frames[-1].lineno if frames else None}
with open("../truth.json", "w") as out:
    json.dump(found, out)
"""


@dataclass(frozen=True)
class Truth:
    name: str
    code: str
    stdin: str
    error_type: str | None
    line: int | None
    #: the traceback exactly as `python main.py` printed it
    stderr: str


def stdin_of(code: str) -> str:
    first = code.splitlines()[0] if code else ""
    if first.startswith("# stdin:"):
        text = first.removeprefix("# stdin:").strip()
        return f"{text}\n" if text else ""
    return ""


def _run(python: str, folder: Path, arguments: list[str], stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, *arguments],
        cwd=folder,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=30,
        env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )


def truth_of(program: Path, python: str = sys.executable) -> Truth:
    code = program.read_text()
    stdin = stdin_of(code)
    with tempfile.TemporaryDirectory() as parent:
        folder = Path(parent) / "run"
        folder.mkdir()
        (folder / "main.py").write_text(code)
        direct = _run(python, folder, ["-X", "utf8", "-S", "main.py"], stdin)
        wrapped = _run(python, folder, ["-X", "utf8", "-S", "-c", _WRAPPER], stdin)
        if wrapped.returncode != 0:
            raise RuntimeError(f"the truth wrapper failed on {program.name}: {wrapped.stderr}")
        found = json.loads((Path(parent) / "truth.json").read_text())
    return Truth(program.stem, code, stdin, found["type"], found["line"], direct.stderr)


def corpus_truths(python: str = sys.executable) -> list[Truth]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda program: truth_of(program, python), PROGRAMS))


def recorded_truths() -> dict[str, list[Truth]]:
    """Tracebacks recorded with other Python versions, by version."""
    found = {}
    for file in sorted(RECORDED.glob("*.json")):
        entries = json.loads(file.read_text())
        found[file.stem] = [Truth(**entry) for entry in entries]
    return found


def _record(python: str) -> None:
    version = _run(
        python, CORPUS, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], ""
    ).stdout.strip()
    truths = [truth for truth in corpus_truths(python) if truth.error_type is not None]
    RECORDED.mkdir(exist_ok=True)
    (RECORDED / f"python{version}.json").write_text(
        json.dumps([vars(truth) for truth in truths], indent=1, ensure_ascii=False) + "\n"
    )
    print(f"python{version}: {len(truths)} tracebacks recorded")


if __name__ == "__main__":
    for interpreter in sys.argv[1:]:
        _record(interpreter)
