"""A test-wise learner: can a model that sees only the *style* of options find the keys?

The item audit's cue list catches one cue at a time, and only when it singles out the key; item
writers can beat it by moving every cue onto the distractors, which a test taker learns just as fast
("never the hedged one"). This learner is trained on surface features of options (length, hedges,
apologies, questions, person, openings, negation, word overlap; never content words) from every
module but one, and scored on the one left out. It learns cues in either direction and in
combination, as a trainee who has done the other modules would.

Single-best items: each option is described relative to the others in its item (centred within the
item), a logistic regression scores options, and the learner picks the highest-scoring one
(a conditional-logit approximation). Labelling items: the learner predicts whether a statement
carries the label the course favours (owning, exploratory, accountable ...) from the same features.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from ..items import Item
from ..labels import CUE_FAVOURED

HEDGES = re.compile(
    r"\b(may|might|perhaps|maybe|wonder(?:ing|ed)?|could|possibly|seems?|sounds? like|i think|not sure|guess|"
    r"i notice|i'm noticing|i'm curious|curious|kind of|a bit|a little|somehow|it feels like)\b", re.I)
APOLOGY = re.compile(r"\b(sorry|apologi[sz]e|apology|my mistake|i was wrong|forgive|regret|my fault)\b", re.I)
FIRST = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|mine|myself)\b", re.I)
SECOND = re.compile(r"\b(you|you're|you've|you'd|you'll|your|yours|yourself)\b", re.I)
WE = re.compile(r"\b(we|we're|we've|we'd|we'll|us|our|ours|let's)\b", re.I)
NEGATION = re.compile(
    r"\b(not|no|never|nothing|don't|didn't|doesn't|isn't|wasn't|won't|can't|couldn't|shouldn't)\b|n't\b", re.I)
OPENINGS = ("i", "you", "it", "that", "let", "what", "how", "yes", "so", "can", "could", "would", "we", "this", "okay")
WORD = re.compile(r"[a-z']+")
FEATURE_NAMES = ("log words", "longest", "shortest", "hedges", "apology", "question", "ends with ?", "first person",
                 "second person", "we", "negation", "sentences", "overlap", "quotes", "exclamation",
                 *(f"opens '{w}'" for w in OPENINGS))
# the learner's margin over chance that fails an audit, and the evidence needed to call it real
MAX_EXCESS = 0.10
SIGNIFICANCE = 0.05


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


def style(text: str, others: list[str]) -> list[float]:
    """The style features of one option (or statement), given the other options of its item."""
    words = _words(text)
    counts = [len(_words(o)) for o in others]
    mine, pool = set(words), [set(_words(o)) for o in others]
    overlap = sum(len(mine & p) / max(1, len(mine | p)) for p in pool) / len(pool) if pool else 0.0
    first = words[0] if words else ""
    return [
        math.log1p(len(words)),
        float(bool(counts) and len(words) > max(counts)),
        float(bool(counts) and len(words) < min(counts)),
        len(HEDGES.findall(text)),
        len(APOLOGY.findall(text)),
        text.count("?"),
        float(text.rstrip(" ”\"'").endswith("?")),
        len(FIRST.findall(text)),
        len(SECOND.findall(text)),
        len(WE.findall(text)),
        len(NEGATION.findall(text)),
        max(1, len(re.findall(r"[.!?]+", text))),
        overlap,
        float(any(q in text for q in "\"“”")),
        float("!" in text),
        *(float(first == w) for w in OPENINGS),
    ]


def item_matrix(item: Item) -> np.ndarray:
    """One row per option, each centred on its item's mean: the learner sees how an option differs
    from the others in its own item, as a test taker does."""
    options = list(item.options)
    rows = np.array([style(o, options[:i] + options[i + 1:]) for i, o in enumerate(options)], dtype=float)
    return rows - rows.mean(axis=0)


@dataclass
class Heldout:
    """The learner's result on one module it was not trained on."""

    module: str
    items: int
    hits: int
    chance: float  # expected hits of a random guesser, as a share

    @property
    def accuracy(self) -> float:
        return self.hits / self.items if self.items else 0.0

    @property
    def excess(self) -> float:
        return self.accuracy - self.chance

    @property
    def p_value(self) -> float:
        """How likely a random guesser is to get at least this many right (a Poisson-binomial tail,
        computed exactly): a 10-point margin on seven items is one item, often luck."""
        return _tail(self.hits, self._probabilities)

    _probabilities: tuple[float, ...] = ()

    @property
    def beats_chance(self) -> bool:
        return self.excess > MAX_EXCESS and self.p_value < SIGNIFICANCE


def _tail(hits: int, probabilities: tuple[float, ...]) -> float:
    distribution = np.zeros(len(probabilities) + 1)
    distribution[0] = 1.0
    for p in probabilities:
        distribution[1:] = distribution[1:] * (1 - p) + distribution[:-1] * p
        distribution[0] *= 1 - p
    return float(distribution[hits:].sum())


def single_best_model(items: list[Item]):
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([item_matrix(i) for i in items])
    y = np.concatenate([[k == i.key_index for k in range(len(i.options))] for i in items])
    return LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, y)


def pick(model, item: Item) -> int:
    """The option the learner would choose."""
    return int(np.argmax(model.decision_function(item_matrix(item))))


def leave_one_module_out(items_by_module: dict[str, list[Item]]) -> list[Heldout]:
    """For each module: train on the single-best items of all the others, score on this one."""
    single = {m: [i for i in items if i.kind == "single-best" and len(i.options) > 1]
              for m, items in items_by_module.items()}
    results = []
    for module, test in single.items():
        train = [i for m, items in single.items() if m != module for i in items]
        if not test or not train:
            continue
        model = single_best_model(train)
        hits = sum(pick(model, i) == i.key_index for i in test)
        probabilities = tuple(1 / len(i.options) for i in test)
        results.append(Heldout(module, len(test), hits, sum(probabilities) / len(test), probabilities))
    return results


def pooled(results: list[Heldout]) -> Heldout:
    """Every held-out module together: the steadier figure."""
    probabilities = tuple(p for r in results for p in r._probabilities)
    items = sum(r.items for r in results)
    hits = sum(r.hits for r in results)
    return Heldout("all modules", items, hits, sum(probabilities) / max(1, items), probabilities)


def heaviest_features(items: list[Item], top: int = 6) -> list[tuple[str, float]]:
    """The learner's weights on all single-best items: which styles it leans on, and which way."""
    single = [i for i in items if i.kind == "single-best" and len(i.options) > 1]
    weights = single_best_model(single).coef_[0]
    order = np.argsort(-np.abs(weights))[:top]
    return [(FEATURE_NAMES[k], float(weights[k])) for k in order]


def labelling_model(items: list[Item]):
    """A model of "does this statement carry the favoured label?" from statements' style alone
    (labelling items whose label set has a favoured label), or None with too little to learn from."""
    from sklearn.linear_model import LogisticRegression

    usable = [i for i in items if i.kind == "labelling" and any(f in i.labels for f in CUE_FAVOURED)]
    if len({i.key in CUE_FAVOURED for i in usable}) < 2:
        return None
    x = np.array([style(i.text, []) for i in usable], dtype=float)
    y = np.array([i.key in CUE_FAVOURED for i in usable])
    return LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, y)


def says_favoured(model, item: Item) -> bool:
    return bool(model.predict(np.array([style(item.text, [])], dtype=float))[0])

