"""What the coach reads before it matches anything, so that a trivial edit does not change a
judgement: curly apostrophes made straight; contractions written out ("I'm" and "Im" as "I am",
"didn't" as "did not"); a lower-case "i" as "I"; a few everyday variants as one word ("mobile" as
"phone", "judgment" as "judgement", "apologize" as "apologise"); "must of" as "must have"; and a
misspelt word (one letter missing, added, changed or two swapped) as the word the coach looks for,
when the word is not one the course uses itself. The list is short on purpose: every entry is
here, and nothing else is changed. The trainee's own words are kept: every position in the
normalised text maps back to the original, so evidence is always quoted as written."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

CONTRACTIONS = {
    "i'm": "I am", "im": "I am", "i've": "I have", "ive": "I have", "i'll": "I will", "i'd": "I would",
    "you're": "you are", "youre": "you are", "you've": "you have", "you'll": "you will", "you'd": "you would",
    "it's": "it is", "that's": "that is", "thats": "that is", "what's": "what is", "whats": "what is",
    "there's": "there is", "here's": "here is", "let's": "let us", "lets": "let us", "he's": "he is",
    "she's": "she is", "we're": "we are", "we've": "we have", "they're": "they are", "who's": "who is",
    "how's": "how is", "where's": "where is",
    "don't": "do not", "dont": "do not", "doesn't": "does not", "doesnt": "does not", "didn't": "did not",
    "didnt": "did not", "won't": "will not", "wont": "will not", "can't": "can not", "cant": "can not",
    "cannot": "can not", "couldn't": "could not", "couldnt": "could not", "wouldn't": "would not",
    "wouldnt": "would not", "shouldn't": "should not", "shouldnt": "should not", "isn't": "is not",
    "isnt": "is not", "aren't": "are not", "arent": "are not", "wasn't": "was not", "wasnt": "was not",
    "weren't": "were not", "haven't": "have not", "havent": "have not", "hasn't": "has not",
    "hadn't": "had not", "i": "I", "u": "you", "ur": "your",
}
VARIANTS = {
    "mobile": "phone", "cellphone": "phone", "smartphone": "phone", "telephone": "phone",
    "ok": "okay", "judgment": "judgement", "apologize": "apologise", "apologized": "apologised",
    "apologizing": "apologising", "realize": "realise", "realized": "realised", "alot": "a lot",
    "thru": "through",
}
# "must of felt" is "must have felt", misheard.
OF_FOR_HAVE = re.compile(r"\b(must|might|may|could|should|would) of\b", re.I)
TOKEN = re.compile(r"[A-Za-z\u00c0-\u00ff']+")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_TYPO_LENGTH = 5


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: tuple[int, ...]  # for each character of ``text`` (and one past its end), its place in the original
    original: str
    ends: tuple[int, ...] = ()  # for each character, the last original character of its word

    def quote(self, start: int, end: int) -> str:
        """The trainee's own words behind ``text[start:end]`` (a word rewritten is quoted whole)."""
        return self.original[self.origin[start]:self.ends[max(start, end - 1)] + 1].strip(" ,;:'\"")


def expand(pattern: str) -> str:
    """A pattern written with contractions ("I'm", "you're"), rewritten for normalised text."""
    keys = sorted((k for k in CONTRACTIONS if "'" in k), key=len, reverse=True)
    return re.sub(r"(?<![\w'])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w'])",
                  lambda m: CONTRACTIONS[m.group(0).lower()], pattern, flags=re.I)


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in LETTERS}
            | {a + c + b for a, b in splits for c in LETTERS})


@functools.lru_cache(maxsize=4096)
def _corrected(word: str, targets: frozenset[str], known: frozenset[str]) -> str | None:
    if len(word) < MIN_TYPO_LENGTH or word in known or word in targets:
        return None
    found = sorted(_edits(word) & targets)
    return found[0] if len(found) == 1 else None


def normalise(text: str, targets: frozenset[str] = frozenset(), known: frozenset[str] = frozenset()) -> Normalised:
    """``text`` as the coach reads it. ``targets``: the words the coach looks for, to which a
    misspelling is corrected; ``known``: words that are never corrected (the course's own)."""
    text = text.translate(APOSTROPHES)
    out: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    last = 0
    for m in TOKEN.finditer(text):
        between = text[last:m.start()]
        out.append(between)
        origin += range(last, m.start())
        ends += range(last, m.start())
        word = m.group(0)
        lower = word.lower()
        new = CONTRACTIONS.get(lower) or VARIANTS.get(lower) or _corrected(lower, targets, known) or word
        out.append(new)
        if new == word:
            origin += range(m.start(), m.end())
            ends += range(m.start(), m.end())
        else:
            origin += [m.start()] * (len(new) - 1) + [m.end() - 1]
            ends += [m.end() - 1] * len(new)
        last = m.end()
    out.append(text[last:])
    origin += range(last, len(text) + 1)
    ends += range(last, len(text) + 1)
    joined = "".join(out)
    fixed = OF_FOR_HAVE.sub(lambda m: f"{m.group(1)} have", joined)
    if fixed != joined:  # "of" -> "have": two more characters, mapped to the original "of"
        origin, ends = _shift(joined, origin), _shift(joined, ends)
    return Normalised(fixed, tuple(origin), text, tuple(ends))


def _shift(joined: str, origin: list[int]) -> list[int]:
    out, last = [], 0
    for m in OF_FOR_HAVE.finditer(joined):
        of = m.end() - 2
        out += origin[last:of] + [origin[of]] * 3 + [origin[of + 1]]
        last = m.end()
    return out + origin[last:]


@functools.lru_cache(maxsize=4)
def course_words(root) -> frozenset[str]:
    """The words the course itself uses (its vignettes, practice prompts and module pages, in every
    edition): never taken for misspellings."""
    from pathlib import Path

    root = Path(root)
    files = [*sorted((root / "assets").rglob("*.yml")), *sorted((root / "modules").glob("*.ipynb"))]
    words: set[str] = set()
    for path in files:
        words |= {t.lower() for t in TOKEN.findall(path.read_text(encoding="utf-8"))}
    return frozenset(words)
