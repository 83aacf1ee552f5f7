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
    "unclear": "Could be either",
}
