"""Labels shared by vignettes, widgets and answer checks. Kept import-light for test cells."""

RESPONSE_CATEGORIES = {
    "owning": "Owning",
    "defending": "Defending",
    "deflecting": "Deflecting onto the client",
    "over-apologising": "Over-apologising",
}

ATTRIBUTIONS = {
    "pattern": "The client's pattern",
    "contribution": "My contribution",
    "unclear": "Unclear, or something else",
}

# How a supervisor names each reading of a moment in feedback (the labels above are the trainee's).
ATTRIBUTION_READINGS = {
    "pattern": "evidence for the client's pattern",
    "contribution": "evidence of the therapist's own contribution",
    "unclear": "unclear: it could be either, or something else such as context or culture",
}
