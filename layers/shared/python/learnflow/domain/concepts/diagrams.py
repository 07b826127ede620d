"""A conservative check of Mermaid diagrams, for diagrams an LLM writes at run time.

Lambda has no JavaScript runtime for Mermaid's own parser, so this accepts only a small subset of
Mermaid (flowcharts and sequence diagrams in a plain style) and rejects anything else: a diagram
it accepts parses with Mermaid (the test suite checks that with the real `mermaid` package), a
diagram outside the subset is dropped rather than shown broken.
"""

import re

_ID = r"[A-Za-z_][A-Za-z0-9_]*"
_RESERVED = frozenset(
    {
        "end",
        "graph",
        "flowchart",
        "subgraph",
        "style",
        "classdef",
        "class",
        "click",
        "linkstyle",
        "default",
        "direction",
        "call",
        "href",
        "participant",
        "actor",
        "loop",
        "alt",
        "else",
        "opt",
        "par",
        "and",
        "note",
        "activate",
        "deactivate",
        "autonumber",
        "rect",
        "critical",
        "break",
        "box",
        "create",
        "destroy",
        "links",
        "link",
        "properties",
        "details",
        "title",
        "accdescr",
        "acctitle",
    }
)
_LABEL = r'"[^"\n]*"'
_SHAPES = (
    rf"\[{_LABEL}\]",
    rf"\({_LABEL}\)",
    rf"\{{{_LABEL}\}}",
    rf"\(\[{_LABEL}\]\)",
    rf"\(\({_LABEL}\)\)",
    rf"\[\[{_LABEL}\]\]",
    rf"\[\({_LABEL}\)\]",
)
_NODE = re.compile(rf"(?P<id>{_ID})(?:{'|'.join(_SHAPES)})?")
_EDGE = re.compile(r' (?:-->|---|-\.->|==>)(?:\|(?:"[^"|\n]*"|[^"|\n]*)\|)? ')
_FLOW_HEADER = re.compile(r"(?:flowchart|graph) (?:TD|TB|BT|LR|RL)")
_SUBGRAPH = re.compile(rf"subgraph (?P<id>{_ID})(?:\[{_LABEL}\])?")

_SEQ_TEXT = r"[^;#\n]+"
_SEQ_PARTICIPANT = re.compile(rf"(?:participant|actor) (?P<id>{_ID})(?: as {_SEQ_TEXT})?")
_SEQ_MESSAGE = re.compile(
    rf"(?P<from>{_ID}) ?(?:-->>|->>|-->|->|--x|-x|--\)|-\))[+-]? ?(?P<to>{_ID}) ?: ?{_SEQ_TEXT}"
)
_SEQ_NOTE = re.compile(rf"Note (?:left of|right of|over) (?P<a>{_ID})(?:, ?(?P<b>{_ID}))?: ?{_SEQ_TEXT}")
_SEQ_ACTIVATION = re.compile(rf"(?:activate|deactivate) (?P<id>{_ID})")
_SEQ_OPEN = re.compile(rf"(?P<kind>loop|alt|opt|par) {_SEQ_TEXT}")
_SEQ_BRANCH = re.compile(rf"(?P<kind>else|and) {_SEQ_TEXT}")

MAX_LINES = 60


def is_valid_mermaid(diagram: str) -> bool:
    """Whether `diagram` is a flowchart or sequence diagram in the subset this module understands."""
    lines = [line.strip() for line in diagram.strip().splitlines()]
    lines = [line for line in lines if line and not line.startswith("%%")]
    if not lines or len(lines) > MAX_LINES:
        return False
    header, body = lines[0], lines[1:]
    if _FLOW_HEADER.fullmatch(header):
        return bool(body) and _valid_flowchart(body)
    if header == "sequenceDiagram":
        return bool(body) and _valid_sequence(body)
    return False


def _plain_id(name: str | None) -> bool:
    return name is None or name.lower() not in _RESERVED


def _valid_node(text: str) -> bool:
    match = _NODE.fullmatch(text)
    return match is not None and _plain_id(match["id"])


def _valid_flowchart(body: list[str]) -> bool:
    depth = 0
    for line in body:
        if line == "end":
            depth -= 1
            if depth < 0:
                return False
            continue
        subgraph = _SUBGRAPH.fullmatch(line)
        if subgraph:
            if not _plain_id(subgraph["id"]):
                return False
            depth += 1
            continue
        nodes = _EDGE.split(line)
        if not all(_valid_node(node) for node in nodes):
            return False
    return depth == 0


def _valid_sequence(body: list[str]) -> bool:
    blocks: list[str] = []
    for line in body:
        structure = _sequence_block(line, blocks)
        if structure is None:
            names = _sequence_names(line)
            structure = names is not None and all(_plain_id(name) for name in names)
        if not structure:
            return False
    return not blocks


def _sequence_block(line: str, blocks: list[str]) -> bool | None:
    """Whether a block line (`end`, `alt ...`, `else ...`) fits the open `blocks`; None for other lines."""
    if line == "end":
        return bool(blocks) and blocks.pop() is not None
    if line == "autonumber":
        return True
    if opened := _SEQ_OPEN.fullmatch(line):
        blocks.append(opened["kind"])
        return True
    if branch := _SEQ_BRANCH.fullmatch(line):
        expected = "alt" if branch["kind"] == "else" else "par"
        return bool(blocks) and blocks[-1] == expected
    return None


def _sequence_names(line: str) -> tuple[str | None, ...] | None:
    """The participants a participant, message, note or activation line names; None for any other line."""
    if match := _SEQ_PARTICIPANT.fullmatch(line):
        return (match["id"],)
    if match := _SEQ_MESSAGE.fullmatch(line):
        return (match["from"], match["to"])
    if match := _SEQ_NOTE.fullmatch(line):
        return (match["a"], match["b"])
    if match := _SEQ_ACTIVATION.fullmatch(line):
        return (match["id"],)
    return None
