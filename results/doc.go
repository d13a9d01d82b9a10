// Package results stores, aggregates and reports training runs.
//
// # Store
//
// Every run leaves one JSON Record (resolved configuration, seed, git
// revision, per-epoch weights, losses, validation metrics and times, final
// test metrics, and the Machine it trained on: CPU model and vector flags,
// NumCPU and GOMAXPROCS, the GEMM backend, Go version, concurrent workers and
// the load average at the start, so that its times can be judged). Records
// written before the machine block existed load with Machine nil. WriteRecord writes dir/<id>.json atomically — a temporary
// file in the same directory, fsync, rename, fsync of the directory — so a
// killed process leaves either the old file, the new one, or a hidden
// "*.tmp" file that readers ignore. ReadDir reads a directory tree and stops
// at the first damaged file, naming it; ScanDir keeps the good records and
// lists the damaged files, for sweeps whose workers were killed. Records whose
// Status is not "done" are kept apart (Group.Unfinished) and never averaged.
// WriteRunRecord, for commands that rerun into one directory, never lets a
// failed record replace a done one: the failed attempt goes beside it as
// <id>.failed-<UTC time>.json, which the readers skip. CheckWritable and
// CheckWritableFile probe an output directory or file name before a run
// spends its time.
//
// # Aggregation
//
// GroupRecords groups records by (Label, Setting, ConfigHash) in first-seen
// order; a group's runs are replicates over seeds. ConfigHash (the
// configuration's hash without the seed) is set by sweeps, so two sweep
// configurations never share a group even under one label; runs outside a
// sweep leave it empty and group by label and setting. For each Column (test accuracy,
// macro-F1, mean Spearman, analogy accuracy, training time, time per epoch)
// a Summary gives n, the mean, the sample standard deviation (ddof=1) and the
// 95% Student-t interval of the mean, mean ± t(0.975, n−1)·s/√n. A metric a
// run does not have is missing ("–"), never 0.
//
// # Comparison table
//
// ComparisonTable shows, per group, "mean ± half-width of the 95% Student-t
// interval of the mean" for the test metrics (TableOptions.Spread:
// SpreadStd shows the sample standard deviation instead), and for times the
// geometric mean with the t interval of the mean log time, back-transformed
// (positive and asymmetric; the CSV keeps the arithmetic mean, std and t
// interval too). Its last column is Δ test accuracy vs STL (DeltaVs):
//
//   - paired t: runs pair by ReplicateKey (Record.Replicate, else the seed),
//     i.e. the runs that shared their random numbers (data sample, initial
//     embedding, batch order); when every run of both groups has its partner
//     (at least two pairs), the interval is the paired t interval of the
//     mean difference (metrics.PairedInterval95);
//   - Welch (marked †): some replicate has no partner; Welch's t interval,
//     standard error sqrt(s₁²/n₁ + s₂²/n₂), Welch–Satterthwaite df;
//   - McNemar: one run per arm, both with Record.TestCorrect (the per-example
//     correctness of the test split, EncodeCorrect's "<n>:<base64 bitset>"):
//     the two-sided exact p-value on the discordant examples;
//   - otherwise the bare difference.
//
// The STL reference is the group labelled "STL" or with strategy "stl" of
// the same primary task (Record.Tasks[0]) and of the same protocol, encoder
// (Config) and setting, falling back in that order to the first. No test-metric cell is ever marked best: marks are
// only on times (fastest), so nothing in a table suggests choosing by test.
//
// # Sweep report
//
// BuildReport (or ReportDir) adds, per group:
//
//   - Δ of the primary test metric vs STL, as above (the Δ table names the
//     method, pairs and p-value).
//   - The configuration chosen on validation: per strategy name, the group
//     with the highest mean over replicates of each run's validation metric
//     at its selected epoch (Record.SelectedVal: SelectedEpoch,
//     else the best validation epoch). Its test numbers are shown, marked as
//     chosen on validation; test numbers never take part in the choice.
//   - Time to target: for each run, the first epoch whose validation metric
//     is ≥ the target, and the cumulative training seconds (Epoch.CumSeconds)
//     at that epoch. The target defaults to 0.99 × the mean over STL runs of
//     each run's best validation value. Per group: the fraction of runs that
//     reached it, and the Kaplan–Meier median epoch and seconds to target
//     with the runs that never reached it censored at their last epoch and
//     total training time ("not reached" when the curve stays above ½),
//     with a 95% percentile bootstrap interval over runs (seeded, so the
//     report is reproducible; positive by construction; too narrow with few
//     runs).
//   - Speed-up vs STL and vs MTL: the reference's KM median seconds over the
//     group's, with a percentile bootstrap interval resampling both groups'
//     runs; undefined when either median is not reached. "Time saved" is 1 −
//     1/speed-up, the paper's "x% less time", with the bounds mapped the
//     same way.
//
// The paper's time claims (MT2ST, arXiv 2406.18038) have tables of their
// own, each printed only when it applies:
//
//   - Total time at equal accuracy (EqualTimeTable), for every group but
//     STL, vs STL and vs MTL: Δ of the primary test metric (DeltaVs), an
//     equivalence verdict — "equal (±m)" when the Δ 95% interval lies
//     inside ±ReportOptions.EqualMargin (default 0.01), else "better",
//     "worse" (interval excluding 0) or "not shown equal" — and TimeRatio:
//     total training seconds group / reference, the geometric mean of the
//     per-replicate ratios with the t interval of the mean log ratio, or
//     Welch's interval on log seconds when replicates do not pair; time
//     saved = 1 − ratio.
//   - Separate single-task runs (SeparateRunsTable): a group whose primary
//     task (Record.Tasks[0]) is not the report's — e.g. similarity trained
//     alone — is Aside: relabelled "<task> alone", never a reference, left
//     out of the Δ, target, chosen and equal-accuracy tables and plots.
//     When, for a multi-task group, each auxiliary task has such a group
//     (same protocol), the group's time is compared with STL's plus the
//     alone groups' (summed per replicate), and its mean Spearman and
//     analogy accuracy with the alone run that trains each.
//   - Diminish decay (DiminishGrids, DiminishTables): Diminish groups that
//     differ only in η and ν, on a grid of at least 2 × 2, give two tables
//     (rows η, columns ν): mean test metric and time saved vs MTL.
//
// WriteSweepReport writes report.md, report.tex, one CSV per table and
// (through a callback, so this package does not import its plots
// sub-package) the plots.
//
// # Tables
//
// Table is format-independent: WriteTerminal (tablewriter box drawing, best
// cell per column followed by " *"), WriteMarkdown (GitHub pipe table, best
// cell bold), WriteLaTeX (booktabs, \textbf) and WriteCSV (plain numbers:
// mean, std, interval bounds, n). EpochTable shows one run epoch by epoch;
// SweepReport.Tables gives the comparison, the Δ-vs-STL, the chosen-on-
// validation (when a strategy has several configurations), the
// time-to-target tables and the claims tables above when they apply. Counts (Count unit, MetricUnit, FormatMetric) print
// as integers.
//
// Plots of the same data are in the sub-package results/plots.
//
// Means, standard deviations, the Student-t and paired intervals, McNemar's
// test, the Kaplan–Meier median and the bootstrap come from package metrics;
// Welch's interval, which needs a t quantile at fractional degrees of
// freedom, is computed here.
package results
