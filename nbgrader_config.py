"""nbgrader configuration for RepairLab. Paths are relative to the folder nbgrader runs in."""

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "repairlab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"

# Answers are plain values inside a literal, e.g. `labels = [ ... ]`; the release keeps the literal
# empty so the visible checks can say what is expected instead of raising NotImplementedError.
c.ClearSolutions.code_stub = {"python": "# YOUR ANSWER HERE"}

# A private journal cell (module 6) starts with this line in the trainee's notebook.
c.ClearSolutions.text_stub = (
    "*Write here. It is graded on completion only: your supervisor's graded copy and feedback show only "
    "whether it is complete.*"
)

# An endless loop in a trainee's cell is cut off and the rest of the notebook is still graded.
c.Execute.timeout = 15

# A test cell the trainee deleted is put back and run, so it is graded by the real test.
c.OverwriteCells.add_missing_cells = True

# Calibration samples for markers, and the response coach's labelled bank, stay beside the solutions and are
# never copied into a release.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "calibration.yml",
                            "coach-bank.yml"]

# Grading is a trust boundary. An exercise is graded from data: its execute step starts no kernel and
# nothing a trainee wrote runs; only an exercise course.yml marks `grading: sandbox` runs, each kernel
# in a sandbox (repairlab.sandbox). Scores come from the answers read as data by trusted code
# (TrustedScores), which also writes the checks' outputs into the graded copy; everything a trainee
# wrote is made inert before Formgrader or feedback shows it; and a private journal is scored on
# completion and its text left out of the graded copy (SaveGrades).
c.Autograde.autograde_preprocessors = [
    "repairlab.nbgrader_api.SandboxedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "repairlab.nbgrader_api.TrustedScores",
    "repairlab.nbgrader_api.SanitizeSubmission",
    "repairlab.nbgrader_api.SaveGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback holds the trainee's answers, scores, the reasons and the supervisor's comments: never
# the hidden tests, the mark scheme or the model answer in it. FeedbackExporter writes it as a page
# for the trainee (a summary first, then each answer under its task; no code), so `repairlab
# feedback`, `nbgrader generate_feedback` and Formgrader's "Generate feedback" give the same page.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "repairlab.nbgrader_api.SanitizeSubmission",
]
c.GenerateFeedback.exporter_class = "repairlab.nbgrader_api.FeedbackExporter"

# Formgrader renders a submission with HTMLExporter: there, and only there, a written task's mark
# scheme shows as a headed section of readable text instead of between its raw markers (the graded
# copy keeps them, so ClearMarkScheme still removes the scheme from feedback).
c.HTMLExporter.preprocessors = ["repairlab.nbgrader_api.ReadableMarkScheme"]
