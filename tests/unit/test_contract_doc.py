"""docs/contract.md agrees with the code: REST routes, WebSocket actions, topics and their payloads.

The routes and WebSocket routes come from infra/wiring.py, the topics, their payload schemas and
the CloudEvents envelope from learnflow.events; the document is read only from the repository.
"""

import re

import pytest

from infra.wiring import ALL_FUNCTIONS
from learnflow.events.envelope import CloudEvent
from learnflow.events.schemas import TOPIC_SCHEMAS
from learnflow.events.topics import Topic
from tests.conftest import REPO_ROOT

CONTRACT = REPO_ROOT / "docs" / "contract.md"

_ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/\S*)$")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_PATH_VARIABLE = re.compile(r"\{[^}/]+\}")


def normalized(path: str) -> str:
    """A path with its variables unnamed: `/x/{user_id}` and `/x/{id}` are the same route."""
    return _PATH_VARIABLE.sub("{}", path)


def sections(text: str, level: str) -> dict[str, str]:
    """The text under each heading of this level (`##` or `###`), by heading."""
    found: dict[str, str] = {}
    parts = re.split(rf"^{level} (.+)$", text, flags=re.MULTILINE)
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        found[heading.strip()] = body
    return found


def table_rows(text: str) -> list[list[str]]:
    """The cells of each row of the Markdown tables in `text` (header and rule rows left out)."""
    rows = []
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        if not line.startswith("|") or re.fullmatch(r"[|\s:-]+", line):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if re.fullmatch(r"\|[\s:|-]+", following):  # a header row
            continue
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def first_code_spans(text: str) -> dict[str, list[str]]:
    """Each table row's first cell when it is one code span, with the row's cells."""
    keyed = {}
    for cells in table_rows(text):
        match = re.fullmatch(r"`([^`]+)`", cells[0]) if cells else None
        if match:
            assert match[1] not in keyed, f"docs/contract.md lists {match[1]} twice"
            keyed[match[1]] = cells
    return keyed


@pytest.fixture(scope="module")
def document() -> str:
    return CONTRACT.read_text()


def wired_routes() -> dict[tuple[str, str], bool]:
    """(method, path with unnamed variables) -> whether a token is needed."""
    return {
        (route.method, normalized(route.path)): route.authorized
        for spec in ALL_FUNCTIONS
        for route in spec.rest_routes
    }


def documented_routes(document: str) -> dict[tuple[str, str], list[str]]:
    table = first_code_spans(sections(document, "##")["REST routes"])
    routes = {}
    for key, cells in table.items():
        match = _ROUTE.match(key)
        assert match, f"a row of the REST routes table is no `METHOD /path`: {key}"
        routes[(match[1], normalized(match[2]))] = cells
    return routes


def test_every_wired_route_is_documented(document: str) -> None:
    missing = sorted(set(wired_routes()) - set(documented_routes(document)))
    assert missing == [], f"routes in infra/wiring.py missing from docs/contract.md: {missing}"


def test_every_documented_route_is_wired(document: str) -> None:
    unknown = sorted(set(documented_routes(document)) - set(wired_routes()))
    assert unknown == [], f"routes in docs/contract.md that infra/wiring.py does not have: {unknown}"


def test_routes_named_anywhere_in_the_document_exist(document: str) -> None:
    named = {
        (match[1], normalized(match[2]))
        for span in _CODE_SPAN.findall(document)
        if (match := _ROUTE.match(span)) and match[2].startswith(("/api/", "/health"))
    }
    assert sorted(named - set(wired_routes())) == []


def test_the_document_says_which_routes_need_no_token(document: str) -> None:
    wrong = []
    for key, cells in documented_routes(document).items():
        says_open = "no token" in cells[1]
        if says_open == wired_routes()[key]:
            wrong.append(key)
    assert wrong == [], f"the 'who' column disagrees with the wiring's authorization on: {sorted(wrong)}"


def test_the_websocket_actions_are_the_wired_ones(document: str) -> None:
    websocket = sections(sections(document, "##")["WebSocket"], "###")
    documented = set(first_code_spans(websocket["Client actions"]))
    wired = {route for spec in ALL_FUNCTIONS for route in spec.websocket_routes if not route.startswith("$")}
    assert documented == wired


def test_the_topics_are_the_code_s(document: str) -> None:
    documented = set(first_code_spans(sections(document, "##")["Kafka topics"]))
    assert documented == {topic.value for topic in Topic}


@pytest.mark.parametrize("topic", list(Topic), ids=str)
def test_each_topic_s_payload_fields_are_documented(document: str, topic: Topic) -> None:
    row = first_code_spans(sections(document, "##")["Kafka topics"])[topic.value]
    data_cell = row[1]
    fields = set(TOPIC_SCHEMAS[topic].model_fields)
    missing = sorted(name for name in fields if not re.search(rf"\b{name}\b", data_cell))
    assert missing == [], f"{topic}: fields of {TOPIC_SCHEMAS[topic].__name__} missing from its row"


def test_the_envelope_s_fields_are_documented(document: str) -> None:
    kafka = sections(document, "##")["Kafka topics"]
    missing = sorted(name for name in CloudEvent.model_fields if f'"{name}"' not in kafka)
    assert missing == []


def test_the_parsing_finds_what_it_is_given() -> None:
    text = (
        "## REST routes\n\n| route | who |\n| --- | --- |\n"
        "| `GET /api/v1/x/{user_id}` | anyone, no token |\n| `POST /api/v1/y` | teacher |\n"
        "## Next\n| `ignored` | row |\n"
    )
    assert documented_routes(text) == {
        ("GET", "/api/v1/x/{}"): ["`GET /api/v1/x/{user_id}`", "anyone, no token"],
        ("POST", "/api/v1/y"): ["`POST /api/v1/y`", "teacher"],
    }
    assert table_rows("| a \\| b | c |\n") == [["a \\| b", "c"]]
