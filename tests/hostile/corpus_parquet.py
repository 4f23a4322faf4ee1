"""The hostile corpus, continued: Parquet data folders (docs/fec.md, "Parquet data folders").

Problems name ``file:row N`` and the column. Imported at the end of corpus.py, whose `CASES` these cases join.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from corpus import READING_COMMANDS, TINY, Error, Ok, case, put_file, tiny


def tiny_parquet(folder: Path) -> Path:
    """The tiny data folder with its three tables as Parquet (the CSV files removed)."""
    from network.storage.parquet import csv_to_parquet

    data = tiny(folder)
    for name in ("entities", "relationships", "sources"):
        csv_to_parquet(data / f"{name}.csv", data / f"{name}.parquet")
        (data / f"{name}.csv").unlink()
    return data


def with_parquet(name: str, change: Callable):
    """A tiny Parquet folder whose ``name``.parquet is rewritten: ``change(pyarrow table) -> table`` (or bytes)."""
    def build(folder: Path) -> Path:
        import pyarrow.parquet as pq

        data = tiny_parquet(folder)
        path = data / f"{name}.parquet"
        result = change(pq.read_table(path), path.read_bytes())
        if isinstance(result, bytes):
            path.write_bytes(result)
        else:
            pq.write_table(result, path)
        return data
    return build


def _column(table, column: str, values, kind=None):
    import pyarrow as pa

    array = pa.array(values, kind) if kind is not None else pa.array(values)
    return table.set_column(table.column_names.index(column), column, array)


def _first_cell(table, column: str, value):
    import pyarrow as pa

    values = table.column(column).to_pylist()
    values[0] = value
    return _column(table, column, values, table.schema.field(column).type if not isinstance(value, str) else pa.string())


PARQUET_CASES = {
    "random-bytes": ("relationships", lambda t, raw: b"PAR1 this is not a Parquet file at all",
                     r"relationships\.parquet: \(file\): not a readable Parquet file"),
    "truncated": ("relationships", lambda t, raw: raw[: len(raw) // 2],
                  r"relationships\.parquet: \(file\): not a readable Parquet file \(corrupt or truncated\)"),
    "empty-file": ("entities", lambda t, raw: b"", r"entities\.parquet: \(file\): not a readable Parquet file"),
    "csv-in-disguise": ("sources", lambda t, raw: b"id,publisher\ns1,x\n", r"sources\.parquet: \(file\): not a readable"),
    "float-amounts": ("relationships", lambda t, raw: _column(t, "amount_usd", [1000000.5] * t.num_rows),
                      r"relationships\.parquet: amount_usd: column of a type .*found 'double'.*floating-point"),
    "list-column": ("relationships", lambda t, raw: _column(t, "source_ids", [["s1"]] * t.num_rows),
                    r"relationships\.parquet: source_ids: column of a type .*found 'list<\w+: string>'"),
    "binary-ids": ("entities", lambda t, raw: _column(t, "id", [v.encode() for v in t.column("id").to_pylist()]),
                   r"entities\.parquet: id: column of a type .*found 'binary'"),
    "timestamp-dates": ("relationships", lambda t, raw: _column(t, "start_date", [0] * t.num_rows, __import__("pyarrow").timestamp("s")),
                        r"relationships\.parquet: start_date: column of a type"),
    "missing-column": ("entities", lambda t, raw: t.drop_columns(["type"]), r"entities\.parquet: type: required column missing"),
    "text-amount": ("relationships", lambda t, raw: _first_cell(t.set_column(5, "amount_usd", t.column("amount_usd").cast("string")),
                                                                 "amount_usd", "five"),
                    r"relationships\.parquet:row 1: amount_usd: "),
    "negative-decimal": ("relationships", lambda t, raw: _first_cell(t, "amount_usd", __import__("decimal").Decimal("-5")),
                         r"relationships\.parquet:row 1: amount_usd: negative amount"),
    "null-name": ("entities", lambda t, raw: _first_cell(t, "name", None) if False else _column(
        t, "name", [None, *t.column("name").to_pylist()[1:]], __import__("pyarrow").string()), r"entities\.parquet:row 1: name: "),
    "unknown-target": ("relationships", lambda t, raw: _first_cell(t, "target", "nobody"), r"relationships\.parquet:row 1: target: "),
}
for _name, (_table, _change, _pattern) in PARQUET_CASES.items():
    for _command in ("validate", "centrality"):
        case(f"parquet-{_name}-{_command}", Error(_pattern))(
            lambda folder, t=_table, c=_change, command=_command: READING_COMMANDS[command](with_parquet(t, c)(folder)))
case("parquet-run-truncated", Error(r"relationships\.parquet: \(file\): not a readable Parquet file"))(
    lambda folder: ["run", "--data", str(with_parquet("relationships", PARQUET_CASES["truncated"][1])(folder)),
                    "--out", str(folder / "out")])


def _parquet_kind(kind: str):
    def build(folder: Path) -> list[str]:
        data = tiny_parquet(folder)
        path = data / "relationships.parquet"
        path.unlink()
        if kind == "both":
            shutil.copy(TINY / "relationships.csv", data / "relationships.csv")
            shutil.copy(TINY / "relationships.csv", path)
        else:
            put_file(path, kind)
        return READING_COMMANDS["validate"](data)
    return build


case("parquet-a-folder", Error(r"relationships\.parquet: \(file\): a folder, not a file"))(_parquet_kind("folder"))
case("parquet-dangling-link", Error(r"relationships\.parquet: \(file\): a link to nothing"))(_parquet_kind("dangling"))
case("parquet-and-csv-both", Error(r"relationships\.parquet: \(file\): the folder holds both relationships\.csv and "
                                   r"relationships\.parquet"))(_parquet_kind("both"))


def _parquet_ok(folder: Path, out: str) -> None:
    assert "valid" in out.lower() or out, out


case("parquet-tiny-validates", Ok(_parquet_ok))(lambda folder: READING_COMMANDS["validate"](tiny_parquet(folder)))
