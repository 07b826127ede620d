"""The code review: findings from ruff and pylint, radon's complexity, efficiency rules, a score,
and suggestions whose `after` parses and, where it can be checked, behaves like the `before`.

The score (docs/code-review.md) starts at 100 and loses points in three capped parts:
- findings: error 12, warning 5, suggestion 2, style 1 point each, scaled by 50 / max(50,
  source lines) so a long program is not punished for its length; at most 45;
- complexity: 2 points per unit of cyclomatic complexity above 10 in each function, plus
  (20 - maintainability index) / 2 when the index is under 20; at most 20;
- efficiency: 15 per exponential pattern, 8 per quadratic one, 4 per other; at most 25.
A program that does not parse scores 0: nothing else can be judged before it does.
"""

import ast
import difflib
import textwrap
import warnings
from concurrent.futures import ThreadPoolExecutor

from radon.complexity import cc_rank, cc_visit_ast
from radon.metrics import h_visit_ast, mi_compute, mi_rank
from radon.raw import analyze as raw_metrics
from radon.visitors import ComplexityVisitor

from learnflow.domain.ports import Sandbox
from learnflow.domain.review import linters
from learnflow.domain.review.efficiency import EfficiencyFinding, estimate_big_o, find_inefficiencies
from learnflow.domain.review.equivalence import Change, changed_function, check_all
from learnflow.domain.review.models import (
    Complexity,
    Finding,
    FunctionComplexity,
    Review,
    ScoreBreakdown,
    Severity,
    Suggestion,
    SuggestionChecks,
)
from learnflow.domain.review.rewrites import (
    Rewrite,
    efficiency_rewrites,
    layout_rewrite,
    logic_rewrites,
    ruff_fix_rewrites,
)
from learnflow.domain.review.wording import friendly, severity_of

SEVERITY_POINTS: dict[Severity, float] = {"error": 12, "warning": 5, "suggestion": 2, "style": 1}
FINDINGS_CAP, COMPLEXITY_CAP, EFFICIENCY_CAP = 45.0, 20.0, 25.0
_SNIPPET_LINES = 15
_MAX_SUGGESTIONS = 8
# the same problem reported by both tools: keep ruff's
_SAME_AS: dict[str, str] = {
    "W0102": "B006",
    "C0200": "range-len",
    "W0612": "F841",
    "W0611": "F401",
    "W0622": "A001",
}


def review_code(code: str, runner: Sandbox | None = None, *, check_behaviour: bool = True) -> Review:
    tree = _parse(code)
    if tree is None:
        return _unparsable(code)
    with ThreadPoolExecutor(max_workers=2) as pool:  # the ruff subprocesses run while pylint works
        ruff_findings = pool.submit(linters.run_ruff, code)
        formatted = pool.submit(linters.ruff_format, code)
        raw = linters.run_pylint(code)
        raw = ruff_findings.result() + raw
    inefficiencies = find_inefficiencies(tree)
    findings = _findings(raw, inefficiencies)
    complexity = _complexity(code, tree)
    penalties = _penalties(findings, complexity, inefficiencies)
    score = round(
        max(0.0, min(100.0, 100 - penalties.findings - penalties.complexity - penalties.efficiency))
    )
    suggestions = _suggestions(code, tree, raw, formatted.result(), runner if check_behaviour else None)
    return Review(
        score=score,
        summary=_summary(score, findings, inefficiencies),
        issues=findings,
        complexity=complexity,
        suggestions=suggestions,
        penalties=penalties,
        parses=True,
    )


def _parse(code: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _unparsable(code: str) -> Review:
    try:
        compile(code, "main.py", "exec", dont_inherit=True)
        line, column, message = 1, 1, "the program could not be read"
    except SyntaxError as error:
        line, column, message = error.lineno or 1, error.offset or 1, error.msg
    except (ValueError, RecursionError, MemoryError) as error:
        line, column, message = 1, 1, str(error)
    finding = Finding(
        line=line,
        column=column,
        code="syntax-error",
        message=f"Python cannot read this program ({message}). Fix this first: the debug helper explains it.",
        severity="error",
        tool="python",
    )
    return Review(
        score=0,
        summary="The program has a syntax error, so it cannot be reviewed yet. Fix it, then ask again.",
        issues=[finding],
        complexity=None,
        suggestions=[],
        penalties=ScoreBreakdown(findings=100, complexity=0, efficiency=0),
        parses=False,
    )


def _findings(raw: list[linters.RawFinding], inefficiencies: list[EfficiencyFinding]) -> list[Finding]:
    found: dict[tuple[int, str], Finding] = {}
    for item in raw:
        key = (item.line, _SAME_AS.get(item.code, item.code))
        if key in found:
            continue
        message = friendly(item.code, item.message)
        found[key] = Finding(
            line=item.line,
            column=item.column,
            code=item.code,
            message=message or item.message,
            severity=severity_of(item.tool, item.code),
            tool=item.tool,
            tool_message=item.message if message else None,
        )
    for inefficiency in inefficiencies:
        key = (inefficiency.line, inefficiency.rule)
        found.setdefault(
            key,
            Finding(
                line=inefficiency.line,
                column=inefficiency.column,
                code=inefficiency.rule,
                message=f"{inefficiency.message} (this part is {inefficiency.cost})",
                severity="warning",
                tool="learnflow",
            ),
        )
    return sorted(found.values(), key=lambda finding: (finding.line, finding.column, finding.code))


def _complexity(code: str, tree: ast.Module) -> Complexity:
    blocks = [block for block in cc_visit_ast(tree) if not hasattr(block, "methods")]
    functions_by_line = {
        node.lineno: node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    functions = [
        FunctionComplexity(
            name=f"{block.classname}.{block.name}" if getattr(block, "classname", None) else block.name,
            line=block.lineno,
            cyclomatic=block.complexity,
            rank=cc_rank(block.complexity),
            big_o=estimate_big_o(functions_by_line[block.lineno])
            if block.lineno in functions_by_line
            else "O(1)",
        )
        for block in blocks
    ]
    raw = raw_metrics(code)
    comments = (raw.comments + raw.multi) / raw.sloc * 100 if raw.sloc else 0
    index = float(
        mi_compute(
            h_visit_ast(tree).total.volume,
            ComplexityVisitor.from_ast(tree).total_complexity,
            raw.lloc,
            comments,
        )
    )
    values = [function.cyclomatic for function in functions]
    return Complexity(
        cyclomatic_average=round(sum(values) / len(values), 2) if values else 1.0,
        cyclomatic_max=max(values, default=1),
        maintainability_index=round(index, 1),
        maintainability_rank=mi_rank(index),
        lines_of_code=raw.loc,
        source_lines=raw.sloc,
        comment_lines=raw.comments + raw.multi,
        functions=functions,
    )


def _penalties(
    findings: list[Finding], complexity: Complexity, inefficiencies: list[EfficiencyFinding]
) -> ScoreBreakdown:
    lint_findings = [finding for finding in findings if finding.tool != "learnflow"]
    density = 50 / max(50, complexity.source_lines)
    lint = min(FINDINGS_CAP, density * sum(SEVERITY_POINTS[finding.severity] for finding in lint_findings))
    branching = sum(2 * max(0, function.cyclomatic - 10) for function in complexity.functions)
    maintainability = max(0.0, (20 - complexity.maintainability_index) / 2)
    costs = {"O(2^n)": 15.0, "O(n²)": 8.0}
    efficiency = sum(costs.get(finding.cost, 4.0) for finding in inefficiencies)
    return ScoreBreakdown(
        findings=round(lint, 1),
        complexity=round(min(COMPLEXITY_CAP, branching + maintainability), 1),
        efficiency=round(min(EFFICIENCY_CAP, efficiency), 1),
    )


def _summary(score: int, findings: list[Finding], inefficiencies: list[EfficiencyFinding]) -> str:
    errors = sum(1 for finding in findings if finding.severity == "error")
    verdict = (
        "Clean, readable code: well done."
        if score >= 90
        else "Good code with a few things to polish."
        if score >= 75
        else "Working code that would gain from some changes."
        if score >= 50
        else "This code needs work: start with the errors, then the warnings."
    )
    details = []
    if errors:
        details.append(f"{errors} error{'s' if errors > 1 else ''} will make it fail")
    if inefficiencies:
        details.append(
            f"{len(inefficiencies)} part{'s' if len(inefficiencies) > 1 else ''} could run much faster"
        )
    return verdict + (" " + "; ".join(details).capitalize() + "." if details else "")


def _suggestions(
    code: str,
    tree: ast.Module,
    raw: list[linters.RawFinding],
    formatted: str | None,
    runner: Sandbox | None,
) -> list[Suggestion]:
    friendly_words = {item.code: friendly(item.code, item.message) or item.message for item in raw}
    rewrites: list[Rewrite] = [
        *efficiency_rewrites(code, tree),
        *logic_rewrites(code),
        *ruff_fix_rewrites(code, raw, friendly_words),
    ]
    layout = layout_rewrite(code, formatted)
    if layout is not None:
        rewrites.append(layout)
    candidates = []
    for rewrite in rewrites:
        changed_tree = _parse(rewrite.code)
        snippet = _snippets(code, tree, rewrite.code, changed_tree) if changed_tree is not None else None
        if snippet is None or changed_tree is None:
            continue
        before, after, first, last = snippet
        function = changed_function(tree, changed_tree, first, last) if rewrite is not layout else None
        candidates.append((rewrite, before, after, Change(code, rewrite.code, function)))
        if len(candidates) == _MAX_SUGGESTIONS:
            break
    verdicts = check_all([change for *_, change in candidates], runner)
    suggestions = []
    for (rewrite, before, after, _), verdict in zip(candidates, verdicts, strict=True):
        if verdict.same is False:
            continue  # a change that alters what the program does is no suggestion
        suggestions.append(
            Suggestion(
                title=rewrite.title,
                reason=rewrite.reason,
                before=before,
                after=after,
                line=rewrite.line,
                checks=SuggestionChecks(parses=True, same_behaviour=verdict.same, samples=verdict.samples),
            )
        )
    return suggestions


def _snippets(
    original: str, old_tree: ast.Module, changed: str, new_tree: ast.Module
) -> tuple[str, str, int, int] | None:
    """The statements a rewrite changes, before and after (None when `after` does not parse).

    Whole statements are compared; a long changed function or class is zoomed into, down to the
    statements of its body that differ. Returns the first and last original lines concerned.
    """
    pairs = _differing(old_tree.body, new_tree.body, original, changed)
    if not pairs:
        return None
    before = "\n\n".join(piece for piece, _ in (_source(original, nodes) for nodes, _ in pairs) if piece)
    after = "\n\n".join(piece for piece, _ in (_source(changed, nodes) for _, nodes in pairs) if piece)
    if _parse(after) is None:
        return None
    lines = [line for nodes, _ in pairs for line in _source(original, nodes)[1]]
    near = [node.lineno for _, nodes in pairs for node in nodes]
    return before, after, min(lines or near or [1]), max(lines or near or [1])


def _differing(
    old: list[ast.stmt], new: list[ast.stmt], original: str, changed: str
) -> list[tuple[list[ast.stmt], list[ast.stmt]]]:
    old_texts = [_source(original, [node])[0] for node in old]
    new_texts = [_source(changed, [node])[0] for node in new]
    matcher = difflib.SequenceMatcher(None, old_texts, new_texts, autojunk=False)
    pairs = []
    for tag, first_old, last_old, first_new, last_new in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = old[first_old:last_old], new[first_new:last_new]
        if (
            len(before) == len(after) == 1
            and _length(before[0]) > _SNIPPET_LINES
            and type(before[0]) is type(after[0])
            and hasattr(before[0], "body")
        ):
            inner = _differing(before[0].body, after[0].body, original, changed)  # type: ignore[attr-defined]
            if inner:
                pairs.extend(inner)
                continue
        pairs.append((before, after))
    return pairs[:2]


def _length(node: ast.stmt) -> int:
    return (node.end_lineno or node.lineno) - node.lineno + 1


def _source(code: str, nodes: list[ast.stmt]) -> tuple[str, list[int]]:
    """The statements' text, dedented, and their line numbers."""
    if not nodes:
        return "", []
    lines = code.splitlines()
    first = min(
        node.decorator_list[0].lineno if getattr(node, "decorator_list", None) else node.lineno  # type: ignore[attr-defined]
        for node in nodes
    )
    last = max(node.end_lineno or node.lineno for node in nodes)
    return textwrap.dedent("\n".join(lines[first - 1 : last])).strip("\n"), list(range(first, last + 1))
