"""The editable inputs of the ingest: the tech-employer list and the donor-resolution overrides.

Both are small CSV files read with `network.contract.load.read_csv_table`, so a
mistake is reported as ``file:line: column: problem`` like any data error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from network.errors import DataError, Problem
from network.contract.load import read_csv_table
from network.contract.schema import default_data_dir
from network.contract.validate import ID_PATTERN

__all__ = [
    "TECH_COLUMNS",
    "OVERRIDE_COLUMNS",
    "OVERRIDE_ACTIONS",
    "default_tech_employers",
    "load_tech_employers",
    "load_overrides",
    "empty_overrides",
]

TECH_COLUMNS = ("company_id", "company", "variant")
OVERRIDE_COLUMNS = ("action", "name_key", "zip5", "target_name_key", "target_zip5")
OVERRIDE_ACTIONS = ("merge", "keep_apart")
_COMMITTEE_ID = re.compile(r"^C[0-9]{8}$")
_ZIP_KEY = re.compile(r"^([0-9]{5}|NOZIP( .*)?)$")


def default_tech_employers() -> Path:
    """The bundled list, data/tech_employers.csv.

    Examples
    --------
    >>> default_tech_employers().name
    'tech_employers.csv'
    """
    return default_data_dir() / "tech_employers.csv"


def _checked(path: Path, columns: tuple[str, ...]) -> tuple[pd.DataFrame, list[Problem], str]:
    frame, problems = read_csv_table(path, columns)
    return frame, list(problems), str(path)


def load_tech_employers(path: str | Path | None = None) -> pd.DataFrame:
    """Read the tech-employer list: one row per spelling of a company.

    Columns ``company_id`` (an entity id, ``employer-google``), ``company``
    (its display name, the same on every row of the id) and ``variant`` (an
    EMPLOYER spelling such as ``GOOGLE LLC``, or a committee id such as
    ``C00502906`` naming the company's PAC when cm.txt gives no connected
    organization). Matching is exact after normalization (upper case,
    punctuation dropped, suffixes such as INC and LLC removed), never by
    substring or surname.

    Returns
    -------
    pd.DataFrame
        ``company_id, company, variant, line``.

    Raises
    ------
    DataError
        Naming every bad row: missing values, bad ids, one id with two
        names, a variant listed twice.

    Examples
    --------
    >>> table = load_tech_employers()
    >>> table.loc[table["variant"] == "ALPHABET", "company_id"].item()
    'employer-google'
    """
    frame, problems, shown = _checked(Path(path) if path else default_tech_employers(), TECH_COLUMNS)
    names: dict[str, tuple[str, int]] = {}
    seen: dict[str, int] = {}
    for line, row in frame.iterrows():
        for column in TECH_COLUMNS:
            if not row[column]:
                problems.append(Problem(shown, line, column, "required value is empty", "", "a value"))
        company_id, variant = row["company_id"], row["variant"]
        if company_id and not (ID_PATTERN.match(company_id) and company_id.startswith("employer-")):
            problems.append(Problem(shown, line, "company_id", "not a company id", company_id,
                                    "employer- then lowercase letters, digits, '-', '_' or '.'"))
        if company_id in names and names[company_id][0] != row["company"]:
            problems.append(Problem(shown, line, "company", f"another name than on line {names[company_id][1]}",
                                    row["company"], names[company_id][0]))
        names.setdefault(company_id, (row["company"], line))
        key = " ".join(variant.upper().split())
        if key in seen:
            problems.append(Problem(shown, line, "variant", f"listed again (first on line {seen[key]})", variant, "each variant once"))
        seen.setdefault(key, line)
        if variant and not re.search(r"[A-Za-z0-9]", variant):
            problems.append(Problem(shown, line, "variant", "no letter or digit", variant, "an employer name or committee id"))
    if problems:
        raise DataError(problems)
    result = frame.reset_index()[["company_id", "company", "variant", "line"]]
    return result.astype({"line": "int64"})


def empty_overrides() -> pd.DataFrame:
    """An overrides table with no rows."""
    return pd.DataFrame({column: pd.Series([], dtype=object) for column in OVERRIDE_COLUMNS})


def load_overrides(path: str | Path) -> pd.DataFrame:
    """Read a donor-resolution overrides file.

    Each row names a group of the merge log by ``name_key`` and ``zip5``
    (copied from merge_log.csv) and says what to do with it:

    ``keep_apart``
        Resolve the group by the full name (middle names kept), ZIP5 and
        employer instead: splits people the default key merged.
    ``merge``
        Give the group the donor of ``target_name_key`` / ``target_zip5``:
        joins one person filed under two names or ZIP codes.

    Raises
    ------
    DataError
        Naming every bad row (unknown action, missing key, a group listed twice).

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "overrides.csv")
    >>> _ = open(path, "w").write("action,name_key,zip5,target_name_key,target_zip5\\n"
    ...                           "keep_apart,smith john,20001,,\\n")
    >>> load_overrides(path).iloc[0].tolist()
    ['keep_apart', 'SMITH JOHN', '20001', '', '']
    """
    frame, problems, shown = _checked(Path(path), OVERRIDE_COLUMNS)
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for line, row in frame.iterrows():
        action = row["action"].strip().lower()
        values = {column: " ".join(row[column].upper().split()) for column in OVERRIDE_COLUMNS[1:]}
        if action not in OVERRIDE_ACTIONS:
            problems.append(Problem(shown, line, "action", "unknown action", row["action"], " or ".join(OVERRIDE_ACTIONS)))
        for column in ("name_key", "zip5"):
            if not values[column]:
                problems.append(Problem(shown, line, column, "required value is empty", "", "a key from merge_log.csv"))
        for column in ("zip5", "target_zip5"):
            if values[column] and not _ZIP_KEY.match(values[column]):
                problems.append(Problem(shown, line, column, "not a ZIP5 key", values[column], "5 digits, or NOZIP CITY ST"))
        has_target = bool(values["target_name_key"] or values["target_zip5"])
        if action == "merge" and not (values["target_name_key"] and values["target_zip5"]):
            problems.append(Problem(shown, line, "target_name_key", "merge needs a target", "", "target_name_key and target_zip5"))
        if action == "keep_apart" and has_target:
            problems.append(Problem(shown, line, "target_name_key", "keep_apart takes no target", values["target_name_key"], "empty"))
        key = (values["name_key"], values["zip5"])
        if key in seen:
            problems.append(Problem(shown, line, "name_key", f"group already overridden on line {seen[key]}",
                                    " / ".join(key), "one row per group"))
        seen.setdefault(key, line)
        rows.append({"action": action, **values})
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows, columns=list(OVERRIDE_COLUMNS)) if rows else empty_overrides()
