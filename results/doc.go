// Package results stores, aggregates and reports training runs.
//
// # Store
//
// Every run leaves one JSON Record (resolved configuration, seed, git
// revision, per-epoch weights, losses, validation metrics and times, final
// test metrics). WriteRecord writes dir/<id>.json atomically — a temporary
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
// # Sweep report
//
// BuildReport (or ReportDir) adds, per group:
//
//   - Δ of the primary test metric vs STL: mean − mean_STL with Welch's t
//     interval, standard error sqrt(s₁²/n₁ + s₂²/n₂) and Welch–Satterthwaite
//     degrees of freedom. The STL group is the one labelled "STL" or with
//     strategy "stl", of the same setting if there is one, else the first.
//   - Time to target: for each run, the first epoch whose validation metric
//     is ≥ the target, and the cumulative training seconds (Epoch.CumSeconds)
//     at that epoch. The target defaults to 0.99 × the mean over STL runs of
//     each run's best validation value. Per group: the fraction of runs that
//     reached it, and mean with Student-t interval of epoch and seconds over
//     the runs that did (a conditional mean: read it with the fraction).
//   - Speed-up vs STL and vs MTL: mean seconds-to-target of the reference
//     divided by the group's, over the runs that reached the target, with
//     Fieller's 95% interval for a ratio of independent means
//     (metrics.SpeedupInterval: Welch–Satterthwaite degrees of freedom,
//     asymmetric bounds). When Fieller's set is unbounded — the group's mean
//     time is not clearly above 0 at this n, typical of 2 runs — or fewer than
//     two runs reached the target, only the ratio is shown. "Time saved" is
//     1 − 1/speed-up, the paper's "x% less time", with the bounds mapped the
//     same way.
//
// # Tables
//
// Table is format-independent: WriteTerminal (tablewriter box drawing, best
// cell per column followed by " *"), WriteMarkdown (GitHub pipe table, best
// cell bold), WriteLaTeX (booktabs, \textbf) and WriteCSV (plain numbers:
// mean, std, interval bounds, n). ComparisonTable is issue 2's table;
// EpochTable shows one run epoch by epoch; SweepReport.Tables gives the
// comparison, the Δ-vs-STL and the time-to-target tables.
//
// Plots of the same data are in the sub-package results/plots.
//
// Means, standard deviations, the Student-t interval of a mean and the
// speed-up interval come from package metrics; Welch's interval, which needs a
// t quantile at fractional degrees of freedom, is computed here.
package results
