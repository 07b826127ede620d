"""Turning a raw student query into normalized prose the lexicon can match."""

import re
from functools import cache

from learnflow.domain.triage.lexicon import SPELLING_TARGETS

_CONTRACTIONS = {
    "what's": "what is",
    "whats": "what is",
    "wat": "what",
    "wats": "what is",
    "that's": "that is",
    "it's": "it is",
    "isn't": "is not",
    "isnt": "is not",
    "doesn't": "does not",
    "doesnt": "does not",
    "don't": "do not",
    "dont": "do not",
    "didn't": "did not",
    "didnt": "did not",
    "won't": "will not",
    "wont": "will not",
    "can't": "can not",
    "cant": "can not",
    "cannot": "can not",
    "i'm": "i am",
    "im": "i am",
    "i've": "i have",
    "i'd": "i would",
    "let's": "let us",
    "lets": "let us",
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
    "plss": "please",
    "thx": "thanks",
}

_MISSPELLINGS = {
    "excersise": "exercise",
    "excersize": "exercise",
    "exersice": "exercise",
    "exercize": "exercise",
    "excersice": "exercise",
    "pratice": "practice",
    "pracitce": "practice",
    "progess": "progress",
    "erorr": "error",
}

_TOKEN = re.compile(r"[a-z0-9_]+(?:'[a-z]+)?|[?!]")
_TRACEBACK = re.compile(
    r"traceback \(most recent call last\)|\bfile \".*\", line \d+|\b[a-z]\w*(?:error|exception|warning): \S",
    re.IGNORECASE,
)
_CODE_LINE = re.compile(
    r"^(?:\s{2,}\S|(?:def|class|import|from|for|while|if|elif|else|try|except|with|return|print)\b"
    r"|\w+(?:\[.*\])?\s*[-+*/]?=[^=]|\w+\(.*\)\s*$)"
)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def _spelling_index() -> dict[str, str]:
    """Every lexicon word, and each of its one-letter deletions, mapped to the word itself."""
    index: dict[str, str] = {}
    for word in sorted(SPELLING_TARGETS):
        for variant in sorted(_deletions(word)):
            index.setdefault(variant, word)
    for word in SPELLING_TARGETS:
        index[word] = word
    return index


@cache
def correct(token: str) -> str:
    """The lexicon word `token` is a one-edit typo of (a letter dropped, added or changed), else `token`."""
    if token in _MISSPELLINGS:
        return _MISSPELLINGS[token]
    if len(token) < 4 or token in SPELLING_TARGETS:
        return token
    index = _spelling_index()
    if token in index:
        return index[token]
    for variant in sorted(_deletions(token)):
        target = index.get(variant)
        if target is not None and abs(len(target) - len(token)) <= 1:
            return target
    return token


def normalize(text: str) -> str:
    """Lowercase words with contractions expanded and typos of lexicon words corrected, space-separated."""
    text = text.lower().replace("\u2019", "'").replace("`", "'")
    words: list[str] = []
    for token in _TOKEN.findall(text):
        expanded = _CONTRACTIONS.get(token, token)
        words.extend(correct(word) for word in expanded.split())
    return " ".join(words)


def split_code(question: str) -> tuple[str, bool]:
    """The prose of a question, and whether code was pasted after its first line."""
    first, *rest = question.splitlines() or [""]
    prose = [first]
    has_code = False
    for line in rest:
        if _CODE_LINE.match(line):
            has_code = True
        else:
            prose.append(line)
    return "\n".join(prose), has_code


def has_traceback(text: str) -> bool:
    return _TRACEBACK.search(text) is not None
