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
DEFENDS = ("Here your words defend, explain or deny ({words}) rather than own what happened, and a defence "
           "earns nothing for this part; {needs}.")
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
