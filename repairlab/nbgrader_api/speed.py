"""nbgrader's autograde made quick in a long-lived grading worker, without changing what it does.

Profiled on the cohort benchmark (benchmarks/run.py), nbgrader spent most of a submission's time
outside any notebook: it opens the gradebook about nine times per submission, each time with a new
SQLAlchemy engine, so every query is compiled again; and it checks each cell's metadata with
``jsonschema.validate``, which first checks the schema itself, every time. A worker therefore keeps one
engine per database (and with it SQLAlchemy's cache of compiled statements) and checks nbgrader's
metadata schema once. Queries, commits and validation are the same as before.
"""

from __future__ import annotations

import json

import jsonschema


class _OneEnginePerDatabase:
    """Stands in for ``sqlalchemy.create_engine`` inside ``nbgrader.api``. ``Gradebook.close`` disposes
    of the engine's connection pool; the engine then opens a new connection the next time."""

    def __init__(self, create_engine):
        self.create_engine = create_engine
        self.engines = {}

    def __call__(self, url, **options):
        key = (str(url), tuple(sorted(options.items())))
        if key not in self.engines:
            self.engines[key] = self.create_engine(url, **options)
        return self.engines[key]


class _SchemaCheckedOnce:
    """Stands in for the ``jsonschema`` module in nbgrader's metadata check: ``validate`` raises the same
    error ``jsonschema.validate`` would, from a validator built (and its schema checked) once per schema."""

    ValidationError = jsonschema.ValidationError

    def __init__(self):
        self.validators = {}

    def validate(self, instance, schema) -> None:
        key = json.dumps(schema, sort_keys=True)
        if key not in self.validators:
            kind = jsonschema.validators.validator_for(schema)
            kind.check_schema(schema)
            self.validators[key] = kind(schema)
        error = jsonschema.exceptions.best_match(self.validators[key].iter_errors(instance))
        if error is not None:
            raise error


def speed_up_nbgrader() -> None:
    """For a grading worker's process (once is enough; again changes nothing)."""
    import nbgrader.api
    import nbgrader.nbgraderformat.common

    if not isinstance(nbgrader.api.create_engine, _OneEnginePerDatabase):
        nbgrader.api.create_engine = _OneEnginePerDatabase(nbgrader.api.create_engine)
    if not isinstance(nbgrader.nbgraderformat.common.jsonschema, _SchemaCheckedOnce):
        nbgrader.nbgraderformat.common.jsonschema = _SchemaCheckedOnce()
