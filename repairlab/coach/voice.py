"""What the coach says, per kind of element and judgement, in the course's voice: one sentence,
to the trainee, about their words. ``{client}``, ``{them}`` and ``{their}`` name the client."""

from __future__ import annotations

NOT_JUDGED = ("The coach cannot judge this part reliably yet: compare your words with the model answer for this "
              "part.")
LIST_OF_WORDS = ("This reads as a list of words rather than something you would say in the room: write it as you "
                 "would say it to {client}.")
ABOUT_NOT_TO = "These words speak about {client}, not to {them}: write what you would say to {them} in the room."
DESCRIBED = ("These words describe a repair rather than make one: write what you would say to {client}, as you "
             "would say it.")
TOO_SHORT = "There is not enough here to go on yet: write two to four sentences as you would say them."

# kind -> (met, partly, not met)
WHY: dict[str, tuple[str, str, str]] = {
    "act": (
        "You name what you did, plainly: the act is owned, not just regretted.",
        "You point towards what happened; name the act itself, as {client} saw it.",
        "Say what you did in plain words: an apology or an explanation does not name the act.",
    ),
    "impact": (
        "You offer what it may have been like for {client}, from {their} side.",
        "You touch on the impact, but as a verdict or in general terms; offer it tentatively, from {their} side.",
        "Nothing yet says what it may have meant to {client}: offer the impact from {their} side, tentatively.",
    ),
    "change": (
        "You commit to something concrete that will be different.",
        "There is a wish to do better; make it a concrete step {client} could notice.",
        "Nothing says what will change: one concrete step is enough.",
    ),
    "checkin": (
        "You hand {client} the floor with an open question about how it was for {them}.",
        "You turn back to {client}; make it an open question about how it was for {them}, with room to disagree.",
        "End with an open question to {client}, so the repair goes on in {their} words.",
    ),
    "tentative": (
        "You offer what you notice as a possibility {client} can correct.",
        "The form is tentative, but the content is a verdict about {them}: offer a guess about the moment instead.",
        "Offer what you notice as a guess {client} can correct (\"I wonder whether...\"), not as a verdict.",
    ),
    "correctable": (
        "You offer your reading as something {client} can correct, and ask {them} to.",
        "You offer your reading, but leave {client} little room to correct it.",
        "Offer your reading as something {client} can correct, and ask whether it fits.",
    ),
    "validate": (
        "You show {client} that {their} reaction makes sense from {their} side, in words that show you heard it.",
        "You acknowledge the reaction, but in general terms: echo what {client} actually described.",
        "Before anything else, say that the reaction makes sense from {their} side.",
    ),
    "invite": (
        "You invite {client} to say more about {their} experience.",
        "There is an invitation, but a narrow one: ask openly about {their} experience.",
        "Invite {client} to say more about how it has been for {them}.",
    ),
    "specific": (
        "You name what {client} actually said or did, and when.",
        "You notice something, but in general terms: name what {client} said or did just now.",
        "Name what {client} said or did at this moment before you ask anything.",
    ),
    "here-now": (
        "You place it in this moment between the two of you, your own part included.",
        "You stay in the session, but leave out your own part in it.",
        "Bring it back to this moment between you, and to your part in it.",
    ),
    "evidence": (
        "You name your own act as a possible cause and tie it to what happened.",
        "You name your part, but without the evidence that points to it.",
        "Consider your own contribution, and tie it to something that happened.",
    ),
    "context": (
        "You offer a cultural reading tied to something specific, held as a question about {client}.",
        "There is a cultural reading, but a general one: tie it to something {client} said or did.",
        "Consider what the context might explain, as a question to ask {client}, not a fact about a group.",
    ),
}
KINDS = tuple(WHY)
# Kinds scored on what is said to the client, rather than on the trainee's reasoning about them.
SPOKEN = frozenset(KINDS) - {"evidence", "context"}


def why(kind: str, score: float) -> str:
    met, partly, not_met = WHY[kind]
    return met if score == 1 else partly if score == 0.5 else not_met
