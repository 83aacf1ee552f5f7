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
    "false-ownership": "Owning what isn't yours (giving in)",
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

# The label a test-wise trainee pairs with hedges, questions and "I": the item audit checks that
# such surface cues do not point to the key (True stands for "belongs" in a choose-all part).
CUE_FAVOURED = ("owning", "exploratory", "contribution", True)
