"""The response coach: element-by-element notes on a trainee's own written words, against a mark
scheme's elements (an exercise's, for supervisors; a practice prompt's, for trainees). Offline and
transparent: plain patterns and an element's cue words (``patterns``), a small linear learner per
element (``model``), a few rules and one sentence of why in the course's voice (``judge``,
``voice``). It suggests; it never writes a score to the gradebook, and it never uses sentiment.
An element it cannot judge reliably (held-out kappa under .60) is "not judged", and says so."""
