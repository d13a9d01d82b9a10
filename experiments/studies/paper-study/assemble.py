#!/usr/bin/env python3
"""Copies tables from the per-regime sweep reports into REPORT.md.

REPORT.md marks each copied table with a pair of comments:

    <!-- table REGIME HEADING-PREFIX -->
    ... (replaced) ...
    <!-- end table -->

and this script replaces what lies between them with the section of
results/REGIME/report.md whose "### " heading starts with HEADING-PREFIX (the
heading, the table and its notes), or with results/paper_table.md when REGIME
is "paper-table". report.sh runs it after writing results/.
"""
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))


def section(regime, prefix):
    if regime == "paper-table":
        path = os.path.join(here, "results", "paper_table.md")
    else:
        path = os.path.join(here, "results", regime, "report.md")
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as e:
        print(f"assemble.py: {path}: {e}; left as it was", file=sys.stderr)
        return None
    if regime == "paper-table":
        return text.strip()
    parts = re.split(r"(?m)^(?=### )", text)
    for p in parts:
        if p.startswith("### " + prefix):
            return "#" + p.strip()  # one level deeper than the regime's heading
    sys.exit(f"assemble.py: {path}: no section starting with '### {prefix}'")


def main():
    path = os.path.join(here, "REPORT.md")
    text = open(path, encoding="utf-8").read()
    pat = re.compile(r"(<!-- table (\S+) (.+?) -->\n)(.*?)(<!-- end table -->)", re.S)
    n = 0

    def repl(m):
        nonlocal n
        sec = section(m.group(2), m.group(3))
        if sec is None:
            return m.group(0)
        n += 1
        return m.group(1) + sec + "\n" + m.group(5)

    text = pat.sub(repl, text)
    open(path, "w", encoding="utf-8").write(text)
    print(f"assemble.py: {n} tables copied into {path}")


if __name__ == "__main__":
    main()
