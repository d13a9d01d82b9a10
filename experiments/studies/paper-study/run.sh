#!/usr/bin/env bash
# Runs the whole study in the order the report was produced, then writes the
# per-regime reports into results/ (report.sh). Every step resumes: rerun it
# after an interruption and only unfinished trials train again.
#
#   experiments/studies/paper-study/run.sh [SEEDS]   (from the repository root;
#                                                    SEEDS: replicates of the paper's table, default 1)
#
# About 2 h 30 min on a 2-core machine as REPORT.md ran it (SEEDS=1); SEEDS=3
# adds about 1 h 35 min (see REPORT.md, "Compute").
set -euo pipefail
cd "$(dirname "$0")/../../.."
seeds=${1:-1}
go build -o runs/study/mt2st .
bin=runs/study/mt2st
for s in paper-bag lowlabel-250 lowlabel-1000 lowlabel-5000 imdb-bag paper-bilstm lowlabel-1000-bilstm; do
	"$bin" sweep run "experiments/studies/paper-study/$s.yaml" -j 2 --out "runs/study/$s"
done
for n in $(seq 1 "$seeds"); do
	"$bin" reproduce --paper-table --seeds "$n" --out runs/study/paper-table
done
experiments/studies/paper-study/report.sh
