"""Building the report: ``cohort_report.ipynb`` (a thin notebook that calls this package) is run with
nbclient for one course and exported to HTML with the code hidden, so supervisors get a plain page
and the notebook shows how every number was made."""

from __future__ import annotations

from pathlib import Path

from ..course import Course
from ..supervisor.progress import Progress
from .data import ReportError, safety_flags

NOTEBOOK = Path(__file__).with_name("cohort_report.ipynb")
REPORT_NAME = "cohort-report"


def _parameters_cell(root: Path, safety: dict):
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(f"# Injected by repairlab.report.build_report\nCOURSE_ROOT = {str(root)!r}\n"
                         f"SAFETY = {safety!r}")
    cell.metadata["tags"] = ["injected-parameters"]
    return cell


def build_report(course: Course, out_dir: Path | None = None, timeout: int = 120,
                 progress: Progress | None = None) -> Path:
    """Run cohort_report.ipynb for the course (in its folder), save the executed notebook and an
    HTML export with the code hidden in ``out_dir`` (default ``reports/``). Returns the HTML file.
    ``progress``, a bar the command made before loading anything slow (so its clock moves from the start),
    moves with each step and cell and says what it waits on; its total is set here."""
    if progress is None:
        with Progress(1, "Building the report", "step", disable=True) as bar:
            return build_report(course, out_dir, timeout, bar)
    bar = progress
    bar.doing("loading the notebook tools")
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from ..kernels import PrivateKernelManager

    root = course.root
    out_dir = Path(out_dir) if out_dir is not None else course.paths.reports
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code_cells = sum(c.cell_type == "code" for c in nb.cells) + 1
    bar.set_total(code_cells + 3)
    bar.doing("reading the safety items")
    safety = safety_flags(course)  # the risk items missed, before the kernel forbids trainees' files
    bar.update()
    after = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0)
    nb.cells.insert(after, _parameters_cell(root, safety))
    bar.doing("starting a kernel")
    started = iter(range(1, code_cells + 1))

    def executing_cell(cell, **_):
        if cell.cell_type == "code":
            bar.doing(f"running the report, part {next(started, code_cells)} of {code_cells}")

    def executed_cell(cell, **_):
        if cell.cell_type == "code":
            bar.update()

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            kernel_manager_class=PrivateKernelManager, resources={"metadata": {"path": str(root)}},
                            on_cell_execute=executing_cell, on_cell_executed=executed_cell)
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{REPORT_NAME}.ipynb"
    try:
        client.execute()
    except CellExecutionError as exc:
        nbformat.write(nb, executed)
        last = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"the cohort report notebook failed: {last} (see {executed})") from exc
    nbformat.write(nb, executed)
    bar.doing("writing the HTML")
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"notebook-only"}), enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"{course.title} cohort report"}})
    target = out_dir / f"{REPORT_NAME}.html"
    target.write_text(body.replace("<html>", '<html lang="en">', 1), encoding="utf-8")
    bar.reach(code_cells + 3)
    return target
