"""Write FEC-shaped bulk files for benchmarks: a seeded, realistic mix, at any size.

    .venv/bin/python -m benchmarks.fec.generate --rows 1000000 --out /tmp/fec-bench/1m

Writes itcont.txt (``--rows`` lines), itoth.txt (a tenth of that), itpas2.txt
(a fortieth, half of it repeating itoth records by SUB_ID), and matching
cm.txt, cn.txt, ccl.txt. The mix follows the traps of the real files: 15 and
15E gifts (earmarked through ActBlue or WinRed), 15J memo shares and other
memo rows, 22Y refunds (mostly positive amounts), negative reattributions,
24T pass-throughs reported by the conduit, a few super-PAC gifts (type 10)
and organization donors, repeated SUB_IDs, donors who give many times under
several spellings ("LAST, FIRST", "LAST, FIRST M", "LAST, FIRST MIDDLE", with
5- or 9-digit ZIPs), different people sharing surnames, employers spelled
many ways (about 6% on the tech list), a few Latin-1 bytes, dates outside the
cycle, and a handful of malformed lines. TRAN_ID ends with the line number,
so a run can check the line numbers an engine reports. Files go under /tmp,
never into the repository.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

__all__ = ["generate"]

TECH = ["GOOGLE", "GOOGLE LLC", "GOOGLE INC.", "ALPHABET", "ALPHABET INC", "META", "META PLATFORMS", "FACEBOOK",
        "FACEBOOK INC", "TESLA", "TESLA INC.", "TESLA MOTORS", "SPACEX", "SPACE EXPLORATION TECHNOLOGIES", "AMAZON",
        "AMAZON.COM", "AMAZON WEB SERVICES", "MICROSOFT", "MICROSOFT CORPORATION", "APPLE", "APPLE INC.", "OPENAI",
        "PALANTIR TECHNOLOGIES", "ORACLE", "ORACLE AMERICA, INC.", "NVIDIA", "NVIDIA CORPORATION", "SALESFORCE"]
OTHER_EMPLOYERS = ["RETIRED", "SELF-EMPLOYED", "NOT EMPLOYED", "HOMEMAKER", "NONE"]
OCCUPATIONS = ["ENGINEER", "SOFTWARE ENGINEER", "ATTORNEY", "PHYSICIAN", "TEACHER", "CEO", "MANAGER", "CONSULTANT",
               "RETIRED", "SALES", "NURSE", "PRODUCT MANAGER", "INVESTOR", "WRITER", "ACCOUNTANT"]
STATES = ["CA", "TX", "NY", "FL", "WA", "IL", "MA", "PA", "OH", "GA", "VA", "NC", "CO", "AZ", "NJ"]
SYLLABLES = ["BA", "CO", "DE", "FI", "GA", "HO", "JU", "KA", "LE", "MO", "NA", "PE", "RI", "SA", "TO", "VI", "WE",
             "YA", "ZE", "LIN", "SON", "MAN", "BER", "TON", "LEY", "RIS", "DEN", "MAR", "KIN", "ROS"]
CONDUITS = ["C00401224", "C00694323"]


def _words(rng: np.random.Generator, count: int, parts: int) -> list[str]:
    picks = rng.integers(0, len(SYLLABLES), size=(count, parts))
    return sorted({"".join(SYLLABLES[i] for i in row) for row in picks})


def _committees(rng: np.random.Generator, count: int) -> list[tuple]:
    """(id, name, designation, type, party, connected org, candidate id) for cm.txt."""
    rows = [("C00401224", "ACTBLUE", "U", "W", "", "", ""), ("C00694323", "WINRED", "U", "W", "", "", ""),
            ("C00428623", "GOOGLE INC. NETPAC", "B", "Q", "", "GOOGLE INC.", ""),
            ("C00227546", "MICROSOFT CORPORATION POLITICAL ACTION COMMITTEE", "B", "Q", "", "MICROSOFT CORPORATION", ""),
            ("C00502906", "FACEBOOK INC. PAC", "B", "Q", "", "", ""),
            ("C00323048", "ORACLE AMERICA, INC. POLITICAL ACTION COMMITTEE", "B", "Q", "", "ORACLE AMERICA, INC.", "")]
    names = _words(rng, count * 2, 3)
    for index in range(count - len(rows)):
        kind = rng.random()
        cand = f"P{index:08d}" if kind < 0.5 else ""
        designation, tp = ("P", "P") if kind < 0.5 else (("U", "O") if kind < 0.7 else (("U", "Y") if kind < 0.75 else ("U", "Q")))
        party = "DEM" if rng.random() < 0.5 else "REP"
        rows.append((f"C{10000000 + index:08d}", f"{names[index % len(names)]} {'FOR CONGRESS' if cand else 'PAC'}",
                     designation, tp, party, "", cand))
    return rows


def _write_masters(out: Path, committees: list[tuple]) -> None:
    with open(out / "cm.txt", "w", encoding="latin-1", newline="\n") as cm, \
         open(out / "cn.txt", "w", encoding="latin-1", newline="\n") as cn, \
         open(out / "ccl.txt", "w", encoding="latin-1", newline="\n") as ccl:
        for number, (cid, name, designation, tp, party, org, cand) in enumerate(committees, start=1):
            cm.write(f"{cid}|{name}|TREASURER, A|1 MAIN ST||WASHINGTON|DC|20001|{designation}|{tp}|{party}|Q||{org}|{cand}\n")
            if cand:
                cn.write(f"{cand}|CANDIDATE{number}, A|{party}|2016|US|P|00|C|C|{cid}|1 MAIN ST||WASHINGTON|DC|20001\n")
                ccl.write(f"{cand}|2016|2016|{cid}|P|P|{200000 + number}\n")


def _transactions(rng: np.random.Generator, rows: int, committees: list[tuple], handle) -> None:
    """itcont.txt: ``rows`` lines, written in chunks."""
    people = max(rows // 4, 10)
    surnames, given = _words(rng, 30000, 3), _words(rng, 3000, 2)
    last = rng.integers(0, len(surnames), people)
    first = rng.integers(0, len(given), people)
    middle = rng.integers(0, len(given), people)
    zips = rng.integers(10000, 99999, people)
    states = rng.integers(0, len(STATES), people)
    tech = rng.random(people) < 0.06
    employer_pool = _words(rng, 20000, 3)
    employers = np.where(tech, rng.integers(0, len(TECH), people), rng.integers(0, len(employer_pool) + len(OTHER_EMPLOYERS), people))
    occupation = rng.integers(0, len(OCCUPATIONS), people)
    recipients = [c[0] for c in committees if c[3] in ("P", "O", "Y", "Q")]
    super_pacs = [c[0] for c in committees if c[3] == "O"]
    chunk = 200_000
    line = 0
    for start in range(0, rows, chunk):
        size = min(chunk, rows - start)
        # most donors give a few times; a heavy tail gives very often
        heavy = np.minimum((rng.pareto(1.2, size) * people / 50).astype(np.int64), people - 1)
        who = np.where(rng.random(size) < 0.6, rng.integers(0, people, size), heavy)
        kind = rng.random(size)
        spelling = rng.random(size)
        to = rng.zipf(1.3, size) % len(recipients)
        amounts = np.maximum(1, rng.lognormal(4.5, 1.2, size)).astype(np.int64)
        days = rng.integers(0, 731, size)
        zip9 = rng.random(size) < 0.6
        odd = rng.random(size)
        out = []
        for i in range(size):
            line += 1
            person = who[i]
            surname, name = surnames[last[person]], given[first[person]]
            s = spelling[i]
            if s < 0.7:
                full = f"{surname}, {name}"
            elif s < 0.9:
                full = f"{surname}, {name} {given[middle[person]][0]}"
            elif s < 0.97:
                full = f"{surname}, {name} {given[middle[person]]}"
            else:
                full = f"{surname}, MR. {name} {given[middle[person]][0]}."
            e = employers[person]
            employer = TECH[e] if tech[person] else (employer_pool[e] if e < len(employer_pool) else OTHER_EMPLOYERS[e - len(employer_pool)])
            zip_code = f"{zips[person]}{1000 + (person % 9000)}" if zip9[i] else f"{zips[person]}"
            year, day = (2015, days[i]) if days[i] < 365 else (2016, days[i] - 365)
            month, dom = 1 + day // 31 % 12, 1 + day % 28
            date = f"{month:02d}{dom:02d}{year}"
            cmte, tp, other, memo, amount, entity = recipients[to[i]], "15", "", "", int(amounts[i]), "IND"
            k = kind[i]
            if k < 0.30:
                tp, other = "15E", CONDUITS[0] if k < 0.21 else CONDUITS[1]
            elif k < 0.35:
                tp, memo, other = "15J", "X", recipients[(to[i] + 1) % len(recipients)]
            elif k < 0.37:
                memo = "X"
            elif k < 0.38:
                tp = "22Y"
                amount = -amount if k < 0.3805 else amount
            elif k < 0.385:
                amount = -amount
            elif k < 0.395:
                tp, other, cmte = "24T", cmte, CONDUITS[0]
            elif k < 0.415 and super_pacs:
                tp, cmte, amount = "10", super_pacs[to[i] % len(super_pacs)], amount * 50
            elif k < 0.418:
                entity, full = "ORG", f"{employer_pool[to[i] % len(employer_pool)]} LLC"
            o = odd[i]
            if o < 0.002:
                date = "" if o < 0.001 else f"{month:02d}{dom:02d}2014"
            sub_id = 4_000_000_000_000_000_000 + line
            fields = [cmte, "N", "Q2", "P2016", f"2016071590{line:08d}", tp, entity, full, f"CITY{zips[person] % 900}",
                      STATES[states[person]], zip_code, employer, OCCUPATIONS[occupation[person]], date, str(amount),
                      other, f"SA11AI.L{line}", "1100000", memo, "", str(sub_id)]
            if o > 0.99999:
                fields = fields[:-2] + [fields[-1]]  # a field missing
            elif o > 0.99998:
                fields[13] = "02302016"
            elif o > 0.99997:
                fields[14] = "1O0"
            elif o > 0.9999:
                fields[7] = fields[7].replace("A", "\u00d1", 1)  # a Latin-1 byte
            elif o > 0.9998 and line > 1:
                fields[-1] = str(sub_id - 1)  # a repeated SUB_ID
            out.append("|".join(fields))
        handle.write(("\n".join(out) + "\n").encode("latin-1"))


def _committee_files(rng: np.random.Generator, rows: int, committees: list[tuple], out: Path) -> None:
    ids = [c[0] for c in committees]
    candidates = [c[6] for c in committees if c[6]]
    with open(out / "itoth.txt", "w", encoding="latin-1", newline="\n") as oth, \
         open(out / "itpas2.txt", "w", encoding="latin-1", newline="\n") as pas2:
        for line in range(1, rows // 10 + 1):
            giver, receiver = ids[rng.integers(0, len(ids))], ids[rng.integers(0, len(ids))]
            k = rng.random()
            tp = "24K" if k < 0.4 else "18K" if k < 0.6 else "24G" if k < 0.7 else "18G" if k < 0.75 else "18J" if k < 0.8 else "24E" if k < 0.9 else "24A"
            amount = int(rng.lognormal(7, 1.5))
            sub_id = 4_100_000_000_000_000_000 + line
            candidate = candidates[rng.integers(0, len(candidates))] if tp in ("24E", "24A") else ""
            fields = [giver, "N", "Q2", "P2016", f"2016071591{line:08d}", tp, "PAC", "COMMITTEE", "WASHINGTON", "DC",
                      "20001", "", "", "06012016", str(amount), receiver if not candidate else "", f"SB23.L{line}",
                      "1100000", "X" if tp == "18J" else "", "", str(sub_id)]
            oth.write("|".join(fields) + "\n")
            if candidate or (tp == "24K" and rng.random() < 0.1):
                pas2.write("|".join(fields[:16] + [candidate or candidates[line % len(candidates)]] + fields[16:]) + "\n")


def generate(rows: int, out: str | Path, *, seed: int = 0, committees: int = 5000) -> Path:
    """Write the six FEC files for ``rows`` itcont lines into ``out``; return the folder."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    table = _committees(rng, committees)
    _write_masters(out, table)
    with open(out / "itcont.txt", "wb") as handle:
        _transactions(rng, rows, table, handle)
    _committee_files(rng, rows, table, out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, required=True, help="itcont lines")
    parser.add_argument("--out", type=Path, required=True, help="folder (under /tmp)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folder = generate(args.rows, args.out, seed=args.seed)
    for path in sorted(folder.glob("*.txt")):
        print(f"wrote {path} ({path.stat().st_size / 1e6:,.1f} MB)")


if __name__ == "__main__":
    main()
