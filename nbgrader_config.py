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

# An endless loop in a trainee's cell is cut off and the rest of the notebook is still graded.
c.Execute.timeout = 15

# A test cell the trainee deleted is put back and run, so it is graded by the real test.
c.OverwriteCells.add_missing_cells = True
