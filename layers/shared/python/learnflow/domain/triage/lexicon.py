"""Weighted cues: regular expressions over the normalized query and the evidence each gives an intent.

A negative weight is evidence against an intent (e.g. "best practice" is about code review,
not about practising).
"""

import re
from dataclasses import dataclass

from learnflow.events.schemas import Intent


@dataclass(frozen=True)
class Cue:
    intent: Intent
    pattern: re.Pattern[str]
    weight: float


def _cues(intent: Intent, *rules: tuple[str, float]) -> list[Cue]:
    return [Cue(intent, re.compile(pattern), weight) for pattern, weight in rules]


_CONCEPTS = _cues(
    "concepts",
    (r"\bwhat (is|are|does|do)\b", 2.0),
    (r"\bexplain\w*", 3.0),
    (r"\b(difference|differences|diff) between\b", 3.0),
    (r"\bdifference\b", 1.5),
    (r"\b(vs|versus)\b", 2.5),
    (r"\bhow (does|do|is) .{0,40}\bwork", 2.5),
    (
        r"\bhow (do|can|would|should) (i|you|we|one) (\w+ )?"
        r"(use|make|write|create|check|convert|get|do|read|loop|call|sort|reverse|remove|delete|add|append"
        r"|insert|split|join|format|round|count|find|search|copy|merge|combine|iterate|open|parse|install"
        r"|import|load|save|print|handle|catch|raise|define|declare|access|update|change|replace"
        r"|filter|map|flatten|calculate|compute|measure|generate|send|download|fetch|connect|run)\b",
        1.5,
    ),
    (r"\b(in|with|using) python\b", 1.0),
    (r"\bhow to\b", 1.5),
    (r"\bwhen (should|do|would|to) ((i|you|we) )?use\b", 2.5),
    (r"\bwhy (do|does|would|should|are|is) (we|you|people|python|strings|lists|it)\b", 1.0),
    (r"\bwhy (do|would|should) (we|you|people|i) (use|need)\b", 1.5),
    (r"\bhow (does|do|is) (python|\w+) (handle|treat|store|compare|represent|evaluate|know)", 2.5),
    (r"\bdifferent (from|than)\b", 2.5),
    (
        r"\b(variables?|types?|integers?|floats?|strings?|lists?|tuples?|dictionar\w+|dicts?|sets?|loops?"
        r"|functions?|classes|modules?|imports?|division|slicing|indexes|objects?|methods?)\b",
        0.75,
    ),
    (r"\?", 0.5),
    (r"\b(mean|meaning|means)\b", 1.5),
    (r"\b(teach me|tell me about|learn about|describe|concept of|the point of|purpose of|the use of)\b", 2.5),
    (r"\b(understand|understood|confused|confusing)\b", 1.5),
    (r"\bin general\b|\bwhen does python\b", 2.0),
    (r"\bwhat (is|are) (a|an) \w*(error|exception)\b", 2.0),
    (r"\bis python\b|\bin python\b", 0.5),
    (r"\b(keyword|operator|symbol|statement|method|function|object|concept|syntax for)\b", 0.5),
    (r"\bwith an example\b|\bexample of\b", 1.5),
    (r"\b(mutable|immutable|closure|iterator|generator|decorator|inheritance|recursion)s?\b", 0.5),
)

_DEBUG = _cues(
    "debug",
    (r"\w*(error|exception)s?\b", 2.0),
    (r"\b(crash\w*|broke|broken|fail\w*|freez\w*|hangs?|stuck|stops working|stopped working)\b", 2.5),
    (r"\b(fix|debug\w*|bug|bugs|buggy|mistake)\b", 2.5),
    (r"\b(does|do|is|will|did) not (work|run|print|stop|match|change)\w*", 3.0),
    (r"\bnot working\b|\bthis not work\b|\bnothing (happens|is printing|prints|printed)\b", 3.0),
    (r"\b(wrong|incorrect|unexpected|weird)\b", 2.0),
    (r"\binstead of\b|\band not\b|\bi expect\w*\b|\bshould (print|return|be|give)\b", 1.5),
    (
        r"\b(never (ends|stops|finish\w*|matches)|infinite|forever"
        r"|always (zero|0|none|empty|goes|false|true))\b",
        2.5,
    ),
    (r"\bwhy (is|does|do|did|was|are|will|this|it|my|i)\b", 1.0),
    (r"\bwhy (do|did) i get\b|\bwhy am i getting\b|\b(keep|keeps) (getting|crashing|failing)\b", 2.0),
    (r"\b(it|python|it keeps?) (says|said|throws|raises|gives me)\b|\b(throws|raised|raises)\b", 1.0),
    (
        r"\bis not (defined|callable|iterable|subscriptable)|has no attribute|out of range"
        r"|does not support|unsupported operand|invalid (syntax|literal)|expected an indented"
        r"|unexpected indent|no module named|maximum recursion|could not convert|changed size"
        r"|division by zero|object is not\b",
        3.0,
    ),
    (r"\b(returns|return|prints|printed|printing|is|gives|get|shows) none\b", 2.5),
    (r"\bmy (code|program|script|function|loop|class|test|output|list|file|method|input|recursive)\b", 1.0),
    (r"\bthe (output|result|test|program|function|answer|total)\b", 0.5),
    (r"\bhelp me\b|\bhelp\b.*\?", 0.5),
    (r"\bwhat is wrong\b|\bwhat went wrong\b", 2.0),
    (r"\bwhen i (run|enter|pass|call|type|start)\b|\bafter i (added|changed)\b|\bran (it|my)\b", 1.5),
)

_EXERCISE = _cues(
    "exercise",
    (r"\bexercises?\b", 3.5),
    (r"\bpractic\w*|\bpractis\w*", 3.0),
    (r"\bchallenge\w*|\bquiz\w*|\bkata\b|\bleetcode\b|\bpuzzle\b|\bhomework\b", 3.0),
    (r"\b(problem|problems|task|tasks)\b|\bquestions? (about|on)\b", 1.5),
    (r"\b(give|make|create|generate|prepare|assign|send|show|get) me\b|\bcan i (have|get|try)\b", 1.5),
    (r"\bto (solve|code|practice|do|warm up)\b|\bsomething (to|new)\b", 2.0),
    (r"\btest (me|my knowledge|my skills)\b|\btest me\b", 3.5),
    (r"\b(another|harder|easier|new|next|one more|more) (one|exercise|challenge|problem|task|question)", 2.5),
    (r"\b(another|harder|easier) one\b|\bone more\b|\bmore practice\b", 1.5),
    (r"\bhint\b", 2.0),
    (r"\btrain\b|\bwarm up\b|\bsmall project\b", 2.0),
    (r"\b(easy|medium|hard|difficult|beginner|difficulty)\b", 1.0),
    (r"\bexercise (can|should) i do\b", 2.0),
)

_CODE_REVIEW = _cues(
    "code_review",
    (r"\breview\w*|\bcritique\b|\bfeedback\b|\brate my\b", 3.5),
    (
        r"\b(improve|improvements?|better|cleaner|clean|cleanup|refactor\w*|pythonic|elegant|readab\w*"
        r"|optimi[sz]\w*|simplif\w*|shorter|faster|efficien\w*|style|stylistic\w*|pep ?8|professional"
        r"|naming|rewrite|overkill|good enough)\b",
        2.5,
    ),
    (r"\b(best|good|bad) practices?\b", 4.0),
    (r"\b(look at|look over|check) (my|the|this)\b", 2.0),
    (
        r"\bis (this|it|my code|my solution|that|my use of \w+) (\w+ )?"
        r"(good|ok|okay|fine|right|correct|bad|well|readable|pythonic|efficient|clean|the \w+ way)",
        3.0,
    ),
    (r"\bis (using|it okay|it ok|it bad)\b|\bok to\b|\bokay to\b", 2.0),
    (r"\b(is there|what is) a (better|more \w+|cleaner|nicer|shorter) way\b|\bcan (it|this) be\b", 2.5),
    (r"\bhow would (you|a \w+( \w+)?) (write|do|rewrite|change)|\bwhat would you change\b", 3.0),
    (r"\bwhat (do|can) you think\b|\bwhat to improve\b|\bany tips\b|\bsuggest\w*", 2.0),
    (r"\bshould i use\b|\bcan (it|this) be done\b", 1.0),
    (r"\bmy (code|solution|implementation|function|class|program|decorator) (works|runs|is working)", 3.0),
    (r"\bmy (solution|implementation)\b|\bi (wrote|made|have written)\b", 1.5),
    (r"\b(names|naming|structure|design|quality)\b", 1.0),
)

_PROGRESS = _cues(
    "progress",
    (
        r"\bmy (overall |current |total )?(progress|stats|statistics|scores?|mastery|streak|level"
        r"|grades?|results?|dashboard|points|weak\w*|strengths?|learning|quiz results|current streak"
        r"|next step|next topic)\b",
        4.0,
    ),
    (r"\bprogress\w*", 3.0),
    (r"\bhow (am i|is my|are my|far am i|well did i|good am i|much (progress )?have i|do i compare)\b", 3.0),
    (r"\bhow (many|much) .{0,30}\b(have|did|do) i\b", 3.0),
    (
        r"\b(what|which) (\w+ )?(should|do|can) i (need to )?"
        r"(study|learn|focus|do|work on|practice|practise|review)"
        r"|\bneed to (review|work on|revise)\b",
        2.5,
    ),
    (r"\b(study|learn|learning|do) next\b|\bnext (step|topic|for me)\b|\bwhat is next\b", 3.5),
    (r"\bwhat (should|to) (i )?(learn|study)\b|\bwhat to learn\b", 2.5),
    (r"\bam i\b", 1.5),
    (r"\bhave i\b|\bdid i\b|\bdo i stand\b|\bi stand\b", 2.0),
    (
        r"\b(weak|weakest|weakness\w*|strengths?|struggling|struggle|improving|getting better"
        r"|ready for)\b",
        2.5,
    ),
    (
        r"\b(mastery|mastered|streak|stats|dashboard|percentage|overview|summary|on track|curriculum|course"
        r"|learning path|level)\b",
        2.0,
    ),
    (r"\b(completed|complete|finish\w*|passed|pass)\b", 1.0),
    (r"\btopics?\b|\bso far\b|\bin a row\b|\b(this|last) (week|month)\b|\byesterday\b|\bsince\b", 1.0),
    (r"\bwhich of my\b|\bare (red|green|yellow|blue)\b|\b(red|green|yellow) yet\b", 2.0),
)


# Distinctive words (5 letters or more) whose one-letter typos are corrected before matching.
SPELLING_TARGETS = frozenset(
    {
        "exercise",
        "exercises",
        "practice",
        "practise",
        "challenge",
        "explain",
        "difference",
        "between",
        "progress",
        "mastery",
        "review",
        "improve",
        "refactor",
        "pythonic",
        "traceback",
        "error",
        "crash",
        "crashes",
        "problem",
        "understand",
        "streak",
        "feedback",
        "efficient",
        "readable",
        "working",
        "infinite",
    }
)

_NEGATIVE = (
    *_cues("exercise", (r"\b(best|good|bad) practices?\b", -3.0)),
    *_cues("debug", (r"\bwhat (is|are) (a|an) \w*(error|exception)\b", -1.5), (r"\bin general\b", -1.5)),
    *_cues("progress", (r"\bnext (exercise|challenge|problem|task|one)\b", -2.0)),
    *_cues("exercise", (r"\b(have|did) i\b", -1.5)),
    *_cues("concepts", (r"\bwhat (is|are) my\b", -2.0)),
    *_cues("code_review", (r"\b(need to|should i) review\b", -2.0)),
)

CUES: tuple[Cue, ...] = (*_CONCEPTS, *_DEBUG, *_EXERCISE, *_CODE_REVIEW, *_PROGRESS, *_NEGATIVE)
