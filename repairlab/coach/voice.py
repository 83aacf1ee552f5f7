"""What the coach says, per kind of element, in the course's voice: one sentence, to the trainee,
built only from what the coach actually found in their words (quoted), never a claim about words
that are not there. ``{client}``, ``{them}`` and ``{their}`` name the client; ``{words}`` quotes the
trainee."""

from __future__ import annotations

COMPARE = "compare your words with the model answer for this part."
NOT_JUDGED = "The coach cannot judge this part reliably yet: " + COMPARE
UNSURE = "The coach is not sure about this part in your words: " + COMPARE
DENIAL = ("Here your words say what you did not do or will not do ({words}): the coach does not judge a denial; "
          + COMPARE)
# What an answer does instead of owning (``Coach.defends``) -> its note; ``{{words}}`` quotes the trainee.
INSTEAD_OF_OWNING = {
    "defence": ("Here your words defend, explain or deny ({{words}}) rather than own what happened, and a defence "
                "earns nothing for this part; {{needs}}."),
    "over-apology": ("Here your words pile up apology and self-reproach ({{words}}) instead of owning what you did "
                     "in proportion, and over-apology earns nothing for this part; {{needs}}."),
    "non-apology": ("Here your words apologise for how {client} felt, or disown the intent ({{words}}), not for what "
                    "you did: a non-apology earns nothing for this part; {{needs}}."),
    "justification": ("Here your words justify what happened ({{words}}) rather than own it, and a justification "
                      "earns nothing for this part, even beside a question or a promise; {{needs}}."),
    "stereotype": ("Here your words offer a fresh generalisation about a group ({{words}}) instead of owning the "
                   "assumption you made, and that earns nothing for this part; {{needs}}."),
}
MAYBE_MISSED = ("The coach did not find this part, but it may be there in words the coach does not know: " + COMPARE)
LIST_OF_WORDS = ("This reads as a list of words rather than something you would say in the room: write it as you "
                 "would say it to {client}, then " + COMPARE)
TOO_SHORT = "There is not enough here to go on yet: write two to four sentences as you would say them, then " + COMPARE
ABOUT_NOT_TO = "These words speak about {client}, not to {them}: write what you would say to {them} in the room."
DESCRIBED = ("These words describe a repair rather than make one: write what you would say to {client}, as you "
             "would say it.")

# kind -> (what a met element does, what a full one needs)
KIND_NOTES: dict[str, tuple[str, str]] = {
    "act": ("you name what you did, plainly", "say what you did in plain words, as {client} saw it"),
    "impact": ("you offer what it may have meant to {client}, from {their} side",
               "offer what it may have meant to {client}, from {their} side, as a possibility"),
    "change": ("you commit to something concrete that will be different",
               "name one concrete step {client} could notice"),
    "checkin": ("you hand {client} the floor with a question about how it was for {them}",
                "end with an open question to {client} about how it was for {them}"),
    "tentative": ("you offer what you notice as a possibility {client} can correct",
                  "offer what you notice as a guess {client} can correct, not as a verdict"),
    "correctable": ("you offer your reading as something {client} can correct, and ask {them} to",
                    "offer your reading as something {client} can correct, and ask whether it fits"),
    "validate": ("you show {client} that {their} reaction makes sense from {their} side",
                 "say that the reaction makes sense from {their} side, in words that show you heard it"),
    "invite": ("you invite {client} to say more about {their} experience",
               "invite {client} to say more about how it has been for {them}"),
    "specific": ("you name what {client} actually said or did", "name what {client} said or did at this moment"),
    "here-now": ("you place it in this moment between you, your own part included",
                 "bring it back to this moment between you, and to your part in it"),
    "evidence": ("you name your own act as a possible cause and tie it to what happened",
                 "name your own act as a possible cause, and tie it to something that happened"),
    "context": ("you tie a cultural reading to something specific, held as a question",
                "tie a cultural reading to something {client} said or did, as a question to ask {them}"),
}
KINDS = tuple(KIND_NOTES)
# Kinds scored on what is said to the client, rather than on the trainee's reasoning about them.
SPOKEN = frozenset(KINDS) - {"evidence", "context"}


def quoted(words: tuple[str, ...], most: int = 2) -> str:
    return ", ".join(f"\u201c{w}\u201d" for w in words[:most])


def why(kind: str, score: float, found: tuple[str, ...], against: tuple[str, ...], say=str) -> str:
    """One sentence for a judgement: ``found`` are the trainee's words that speak for the element,
    ``against`` those that speak against it (both from the element's own patterns). ``say`` fills in
    the client's name before the trainee's words go in (their words are never read as a template)."""
    met, needs = (say(s) for s in KIND_NOTES[kind])
    if score == 1:
        return f"{quoted(found)}: {met}."
    if score == 0.5:
        return f"{quoted(found)} goes part of the way; to make it full, {needs}."
    if against:
        return f"{quoted(against)} works against this part; {needs}."
    if found:
        return f"The coach saw {quoted(found)}, but not enough for this part; {needs}."
    return f"The coach found nothing in your words for this part; {needs}."


# The same notes for a supervisor reading the table: about the trainee's answer, not to the trainee.
FOR_SUPERVISOR = (
    ("write two to four sentences as you would say them, then " + COMPARE, "too short to judge; read it yourself."),
    ("write it as you would say it to", "the trainee has not written what they would say to"),
    ("write what you would say to {them} in the room", "the answer is not what the trainee would say to {them}"),
    ("write what you would say to", "the answer is not what the trainee would say to"),
    (", as you would say it.", "."),
    (", then " + COMPARE, "; read it yourself."),
    (COMPARE, "read this part yourself against the mark scheme."),
    ("something you would say in the room", "something the trainee would say in the room"),
    ("; to make it full, ", "; a full answer would "),
    ("Here your words", "Here the answer's words"),
    ("instead of owning what you did", "instead of owning what they did"),
    ("not for what you did", "not for what they did"),
    ("the assumption you made", "the assumption they made"),
    ("in your words", "in the answer's words"),
    ("Your words", "The answer's words"),
    ("your words", "the answer's words"),
    ("what you did not do or will not do", "what the trainee did not do or will not do"),
    ("what you did", "what they did"),
    ("your own act", "their own act"),
    ("your part", "their part"),
    ("; say ", "; a full answer would say "),
    ("; offer ", "; a full answer would offer "),
    ("; name ", "; a full answer would name "),
    ("; end ", "; a full answer would end "),
    ("; invite ", "; a full answer would invite "),
    ("; bring ", "; a full answer would bring "),
    ("; tie ", "; a full answer would tie "),
    (": you name", ": the answer names"),
    (": you offer", ": the answer offers"),
    (": you commit", ": the answer commits"),
    (": you hand", ": the answer hands"),
    (": you show", ": the answer shows"),
    (": you invite", ": the answer invites"),
    (": you place", ": the answer places"),
    (": you ", ": the answer "),
)


def for_supervisor(why: str) -> str:
    """A note written to the trainee, reworded for the supervisor's table (the quoted words untouched)."""
    parts = why.split("\u201c")
    head, rest = parts[0], parts[1:]
    pieces = [head] + [p.split("\u201d", 1) for p in rest]
    out = [_reword(pieces[0])]
    for piece in pieces[1:]:
        quote, after = piece if len(piece) == 2 else (piece[0], "")
        out.append("\u201c" + quote + "\u201d" + _reword(after))
    return "".join(out)


def _reword(text: str) -> str:
    for trainee, supervisor in FOR_SUPERVISOR:
        text = text.replace(trainee, supervisor)
    return text
