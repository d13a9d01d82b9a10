#!/usr/bin/env bash
# Writes each regime's sweep report (report.md, the CSV tables and the SVG plots)
# from the records under runs/study/ into experiments/studies/paper-study/results/,
# and the paper's table (paper_table.md) beside them. Trains nothing: a
# regime without records is skipped with a message.
#
#   experiments/studies/paper-study/report.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=experiments/studies/paper-study/results
mkdir -p "$out"
for s in paper-bag paper-bilstm lowlabel-250 lowlabel-1000 lowlabel-5000 lowlabel-1000-bilstm imdb-bag; do
	if [ ! -d "runs/study/$s/trials" ]; then
		echo "report.sh: no records in runs/study/$s; run: go run . sweep run experiments/studies/paper-study/$s.yaml -j 2 --out runs/study/$s" >&2
		continue
	fi
	go run . sweep report "runs/study/$s" --out "$out/$s" --format markdown > /dev/null
	# The SVG figures and the Markdown and CSV tables are kept; the PNG
	# copies and the LaTeX tables are left out of the repository.
	rm -f "$out/$s"/*.png "$out/$s"/*.tex
done
if [ -f runs/study/paper-table/paper_table.md ]; then
	cp runs/study/paper-table/paper_table.md runs/study/paper-table/paper_table.csv "$out/"
else
	echo "report.sh: no paper table yet; run: go run . reproduce --paper-table --out runs/study/paper-table" >&2
fi
python3 experiments/studies/paper-study/assemble.py
