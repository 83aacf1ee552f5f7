"""Labels shared by vignettes, widgets, answer checks and the item audit. Kept import-light for
test cells."""

RESPONSE_CATEGORIES = {
    "owning": "Owning your part",
    "holding": "Owning the impact, holding the decision",
    "immediate": "Immediate strategy (clarify, give a rationale, change the task)",
    "safety-check": "Checking safety",
    "defending": "Defending",
    "deflecting": "Deflecting onto the client",
    "over-apologising": "Over-apologising",
    "over-owning": "Over-owning: owning what isn't yours, giving in",
    "exploring": "Inviting the client's experience (exploratory)",
    "cultural-humility": "Raising culture, with humility",
    "cultural-assumption": "Assuming what culture means to this client",
}

ATTRIBUTIONS = {
    "pattern": "The client's pattern",
    "contribution": "My contribution",
    "unclear": "Both, or can't tell yet",
}

# How a supervisor names each reading of a moment in feedback (the labels above are the trainee's).
ATTRIBUTION_READINGS = {
    "pattern": "evidence for the client's pattern",
    "contribution": "evidence of the therapist's own contribution",
    "unclear": "both, or not yet clear: it could be either, or something else such as context or culture",
}

# The first question of a choose-response vignette: what does the trainee notice before being told?
MARKERS = {
    "none": "No rupture",
    "withdrawal": "Withdrawal (moving away)",
    "confrontation": "Confrontation (moving against)",
}

# The 3RS rupture markers (Eubanks, Muran & Safran, 2015), by the family of MARKERS they belong to.
THREE_RS = {
    "withdrawal": {
        "denial": "Denial",
        "minimal-response": "Minimal response",
        "abstract-communication": "Abstract communication",
        "avoidant-storytelling": "Avoidant storytelling or shifting topic",
        "deferential": "Deferential and appeasing",
        "content-affect-split": "Content/affect split",
        "self-criticism": "Self-criticism or hopelessness",
    },
    "confrontation": {
        "complaint-therapist": "Complaints or concerns about the therapist",
        "complaint-activities": "Complaints or concerns about the activities of therapy",
        "complaint-parameters": "Complaints or concerns about the parameters of therapy",
        "complaint-progress": "Complaints or concerns about progress",
        "rejecting-intervention": "Rejecting an intervention",
        "defending-self": "Defending self against the therapist",
        "control-pressure": "Efforts to control or pressure the therapist",
    },
}
THREE_RS_MARKERS = {key: label for family in THREE_RS.values() for key, label in family.items()}

# How far a rupture was resolved: the anchors of the 1-5 rating trainees compare with the expert's.
RESOLUTION_ANCHORS = {
    1: "Not resolved: the rupture is not named, or the reply defends or repeats what caused it; the strain "
       "is unchanged or worse",
    2: "Acknowledged, not explored: the rupture is named or owned, but the client's experience is not heard, "
       "even if the client stays guarded",
    3: "Partly resolved: the client says more about their experience, but the therapist's part or "
       "the way forward is left open",
    4: "Largely resolved: the client's experience is heard, the therapist's part is acknowledged, "
       "and they agree on how to go on",
    5: "Resolved, and the relationship is stronger for it: the client is more open than before the "
       "rupture and names something new",
}

# The first question of a cultural-check vignette.
CULTURAL_READINGS = {
    "cultural": "Yes, a cultural rupture",
    "not-cultural": "A difficulty, but not a cultural one",
    "unclear": "Can't tell yet",
}

# Ways of thinking about one's own mistake, in self-talk vignettes.
STANCES = {
    "perfectionist": "Perfectionist: it should never have happened",
    "defensive": "Defensive: it wasn't really my doing",
    "avoidant": "Avoidant: best not to bring it up",
    "accountable": "Kind to myself, and accountable",
}

# The label a test-wise trainee pairs with hedges, questions and "I": the item audit checks that
# such surface cues do not point to the key (True stands for "belongs" in a choose-all part).
CUE_FAVOURED = ("owning", "exploratory", "exploring", "contribution", "accountable", "cultural-humility", True)
