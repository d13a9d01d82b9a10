// Package metrics computes the numbers mt2st reports: classification
// accuracy and macro-F1 (sklearn semantics), Pearson and Spearman
// correlation (scipy semantics), and summary statistics for aggregating runs
// over seeds (mean, sample standard deviation, Student-t confidence
// intervals, and a Fieller interval for speed-up ratios), paired
// comparisons (the paired t interval of a mean difference, McNemar's exact
// test on paired binary outcomes), the Kaplan–Meier survival curve and its
// median for censored times, and a seeded percentile bootstrap.
//
// Undefined results are NaN rather than errors, as in scipy: a correlation
// with a constant input or fewer than two points, the mean of nothing, an
// interval from fewer than two runs. Callers that serialise results to JSON
// must map NaN to null.
//
// Golden values in the tests come from scripts/metrics_golden.py (scipy
// 1.10.1, scikit-learn 1.2.1); the McNemar, paired-interval and Kaplan–Meier
// tests use values worked out by hand (exact binomial sums, the product-limit
// formula), each derivation written next to its constant.
package metrics
