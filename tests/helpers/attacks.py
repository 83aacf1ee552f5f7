"""The submissions of the attack tests (tests/promises/test_attacks.py): model answers plus an inserted
attack cell, or a forged answer. The grading-paths comparison grades them too."""

from __future__ import annotations

from pathlib import Path


def attacks(root: Path, part) -> dict[str, dict]:
    """Trainee -> submission spec: model answers plus an inserted attack cell, or a forged answer."""
    gradebook = str(root / "gradebook.db")
    return {
        "victim": {"start": "solution"},
        "gradebook": {
            "start": "solution",
            "insert": f"""
import os, sqlite3
for path in [{gradebook!r}, "../../../gradebook.db"]:
    try:
        db = sqlite3.connect(path); db.execute("UPDATE grade SET auto_score = 99"); db.commit(); print("WROTE", path)
    except Exception as exc:
        print("blocked", type(exc).__name__)
    try:
        os.remove(path); print("REMOVED", path)
    except Exception as exc:
        print("blocked", type(exc).__name__)
""",
        },
        "package": {
            "start": "solution",
            "insert": """
import repairlab.checks
try:
    open(repairlab.checks.__file__, "a").write("\\n# tampered\\n"); print("TAMPERED")
except Exception as exc:
    print("blocked", type(exc).__name__)
""",
        },
        "reader": {
            "start": "solution",
            "insert": f"""
import glob
for pattern in [{str(root / 'solutions' / '*' / '*')!r}, {str(root / 'submitted' / '*' / '*' / '*')!r},
                "/root/*", {str(root / '*.*')!r}]:
    for path in glob.glob(pattern):
        print("READ", path)
print("searched")
""",
        },
        "daemon": {
            "start": "solution",
            "insert": """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(120)
        os._exit(0)
    os._exit(0)
print("forked")
""",
        },
        "killer": {"start": "solution", "insert": "import os\nos._exit(1)"},
        "memory": {"start": "solution", "insert": "blob = bytearray(8 * 1024**3)\nprint('ALLOCATED')"},
        "forkbomb": {
            "start": "solution",
            "insert": """
import os, time
n = 0
try:
    while n < 5000:
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        n += 1
except OSError:
    print("limited after", n)
""",
        },
        "forger": {
            "start": "blank",
            "set": {
                part.answer_id: f"""
import builtins, repairlab.checks as checks
checks.grade_items = lambda *a, **k: ({part.points}, [])
checks.score_items = lambda *a, **k: {part.points}
checks.score_selection = lambda *a, **k: {part.points}
builtins.round = lambda *a, **k: "{part.points}"
class Always(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
{part.variable} = [Always("x")] * {part.count or len(part.key)}
"""
            },
        },
        "xss": {"start": "solution"},
    }
