"""Reading the cohort report's HTML tables, for the report and journal tests."""

from __future__ import annotations

import re


def table_rows(report_html: str, table_id: str) -> list[str]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', report_html, re.S)
    assert table, f"no table {table_id!r} in the report"
    return re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)


def row_of(rows: list[str], trainee: str) -> str:
    matches = [row for row in rows if f"<td>{trainee}</td>" in row]
    assert len(matches) == 1, f"{trainee} should have one row, has {len(matches)}"
    return matches[0]
