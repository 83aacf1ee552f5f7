"""What supervisors use: the roster (``roster``, with the LMS formats in ``lms``), collecting
submissions (``collect``: sources, then matching, then placing), the exchange on a hub
(``exchange``), grading (``grading``), what still needs a hand (``pending``), marking written
answers by mark-scheme element (``marking``, with ``mark_scheme`` and the ``terminal``) and
calibrating markers on sample answers (``calibrate``, kept by ``agreement_log``), feedback
(``feedback``), the grade export (``export``) and a fictional cohort to practise on
(``demo_cohort``). Everything takes the ``Course`` the command opened."""
