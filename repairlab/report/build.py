"""Building the report: ``cohort_report.ipynb`` (a thin notebook that calls this package) is run with
nbclient for one course and exported to HTML with the code hidden, so supervisors get a plain page
and the notebook shows how every number was made."""

from __future__ import annotations

from pathlib import Path

from ..course import Course
from .data import ReportError

NOTEBOOK = Path(__file__).with_name("cohort_report.ipynb")
REPORT_NAME = "cohort-report"


def _parameters_cell(root: Path):
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(f"# Injected by repairlab.report.build_report\nCOURSE_ROOT = {str(root)!r}")
    cell.metadata["tags"] = ["injected-parameters"]
    return cell


def build_report(course: Course, out_dir: Path | None = None, timeout: int = 120) -> Path:
    """Run cohort_report.ipynb for the course (in its folder), save the executed notebook and an
    HTML export with the code hidden in ``out_dir`` (default ``reports/``). Returns the HTML file."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    from ..kernels import PrivateKernelManager

    root = course.root
    out_dir = Path(out_dir) if out_dir is not None else course.paths.reports
    nb = nbformat.read(NOTEBOOK, as_version=4)
    after = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0)
    nb.cells.insert(after, _parameters_cell(root))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            kernel_manager_class=PrivateKernelManager, resources={"metadata": {"path": str(root)}})
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{REPORT_NAME}.ipynb"
    try:
        client.execute()
    except CellExecutionError as exc:
        nbformat.write(nb, executed)
        last = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"the cohort report notebook failed: {last} (see {executed})") from exc
    nbformat.write(nb, executed)
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, embed_images=True
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"{course.title} cohort report"}})
    target = out_dir / f"{REPORT_NAME}.html"
    target.write_text(body, encoding="utf-8")
    return target
