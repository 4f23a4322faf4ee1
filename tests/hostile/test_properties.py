"""Random CSV, TOML and spreadsheet contents through validate and import-edges: success or exit 1, nothing else.

Never an exception out of ``main`` (a traceback), never exit 70 (an internal error). Each
test counts its examples in ``EXAMPLES`` so that a long run can say how many ran.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given, strategies as st

from analysis.cli import main
from corpus import BUNDLED_SCHEMA, TINY, xlsx_bytes

EXAMPLES: Counter = Counter()

# cells: ordinary text, numbers in many scripts, formula starts, quotes, separators, control characters
cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "1_000", "nan", "inf", "-1", "1e308", "١٠٠٠", "１００", "$1,000,000", "2024-13", "٢٠٢٤-١٠-٠١",
                     "=1+1", "@x", "'", '"', ",", "\n", "\r", "\x00", "\x1b[31m", "constructor", "__proto__"]),
    st.from_regex(r"[0-9٠-٩０-９,._eE+-]{1,12}", fullmatch=True),
)


def _run(argv: list[str], capsys) -> None:
    status = main(argv)
    out, err = capsys.readouterr()
    assert status in (0, 1), f"exit {status}: {err[-400:]}"
    if status == 1:
        assert err.strip() or "no row" in out, "exit 1 without a message"


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


@given(rows=st.lists(st.lists(cell, min_size=1, max_size=15), max_size=6), which=st.sampled_from(
    ["entities.csv", "relationships.csv", "sources.csv"]), keep_header=st.booleans(), raw=st.booleans())
def test_validate_random_csv(rows, which, keep_header, raw, capsys):
    EXAMPLES["validate-csv"] += 1
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(TINY, data)
        header = (data / which).read_text(encoding="utf-8").splitlines()[0]
        body = "\n".join(",".join(r) for r in rows) if raw else _csv_text(rows)
        # lone surrogates become bytes that are not UTF-8: one more kind of careless file
        (data / which).write_bytes(((header + "\n" if keep_header else "") + body).encode("utf-8", "surrogatepass"))
        _run(["validate", "--data", str(data)], capsys)


toml_value = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: repr(f).replace("inf", "inf").replace("nan", "nan")),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.text(max_size=10).map(lambda t: '"' + t.replace("\\", "").replace('"', "").replace("\n", "") + '"'),
    st.sampled_from(["true", "[1, 2]", "{}", "inf", "-inf", "nan", '"money"', '"forward"', "[]"]),
)
schema_key = st.sampled_from(["default_strength = 3.0", 'layer = "money"', 'influence = "forward"', "money_base = 1.0",
                              "money_unit_usd = 1000.0", "confirmed = 1.0", 'money_scale = "log"', "[weights]",
                              "[layers.money]", "[relationship_types.donation]"])


@given(edits=st.lists(st.tuples(schema_key, toml_value), max_size=4), garbage=st.text(max_size=40), append=st.booleans())
def test_validate_random_schema(edits, garbage, append, capsys):
    EXAMPLES["validate-toml"] += 1
    text = BUNDLED_SCHEMA
    for key, value in edits:
        name = key.split(" = ")[0]
        text = text.replace(key, f"{name} = {value}" if " = " in key else value.strip('"'), 1)
    if append:
        text += "\n" + garbage
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(TINY, data)
        (data / "schema.toml").write_bytes(text.encode("utf-8", "surrogatepass"))
        _run(["validate", "--data", str(data)], capsys)


@given(rows=st.lists(st.lists(cell, min_size=0, max_size=6), min_size=1, max_size=6), raw=st.booleans())
def test_import_edges_random_csv(rows, raw, capsys):
    EXAMPLES["import-csv"] += 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gifts.csv"
        body = "\n".join(",".join(r) for r in rows) if raw else _csv_text(rows)
        path.write_bytes(("Donor,Recipient,Amount,Date\n" + body).encode("utf-8", "surrogatepass"))
        _run(["import-edges", str(path), "--source-col", "Donor", "--target-col", "Recipient", "--amount-col", "Amount",
              "--date-col", "Date", "--out", str(Path(folder) / "out")], capsys)


xlsx_cell = st.one_of(cell.map(lambda t: "".join(ch for ch in t if ch.isprintable())), st.integers(-10**18, 10**18),
                      st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["=1+1", "=A1*2", None]))


@given(rows=st.lists(st.lists(xlsx_cell, min_size=0, max_size=5), min_size=0, max_size=5),
       dimension=st.sampled_from([None, "A1", "A1:B2", "A1:Z999"]))
def test_import_edges_random_xlsx(rows, dimension, capsys):
    EXAMPLES["import-xlsx"] += 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gifts.xlsx"
        try:
            content = xlsx_bytes([["Donor", "Recipient", "Amount"], *rows], dimension=dimension)
        except Exception:  # noqa: BLE001 - openpyxl refused to write this cell: not an input we can make
            return
        path.write_bytes(content)
        _run(["import-edges", str(path), "--source-col", "Donor", "--target-col", "Recipient", "--amount-col", "Amount",
              "--out", str(Path(folder) / "out")], capsys)


def test_zz_examples_ran():
    """After the properties above: how many examples each ran (printed with -s; at least some for each)."""
    print("hypothesis examples:", dict(EXAMPLES))
    assert all(EXAMPLES[name] > 0 for name in ("validate-csv", "validate-toml", "import-csv", "import-xlsx")), EXAMPLES
