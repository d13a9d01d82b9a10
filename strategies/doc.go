// Package strategies decides, epoch by epoch, the weight of every auxiliary
// task in the combined loss L(t) = L_primary + Σ_k w_k(t)·L_aux,k.
//
// A strategy is built from one spec string, shared by the CLI and sweep files:
//
//	stl                              w_k(t) = 0
//	mtl:lambda=0.5                   w_k(t) = λ
//	diminish:gamma=1,eta=0.3,nu=1    w_k(t) = γ·exp(−η·t^ν)            (the paper's formula)
//	diminish-squared:alpha=0.95      w_k(t) = α^(2^(t−1))              (the reference code's schedule)
//	switch:epoch=15,lambda=1         w_k(t) = λ for t ≤ T, then 0
//
// Beside these schedules, adaptive strategies decide from the run's signals
// (validation, losses, gradient cosines on the shared embedding): gcs,
// gcs-binary, olaux, switch-auto, uncertainty, dwa and pcgrad; they
// implement [Adaptive] and run through package strategies/adaptive. README.md
// in this folder lists them, the signals and their cost, and how to add a
// strategy of either kind.
//
// Epochs count from 1. Any key may be given per task as task.key=value
// (e.g. "diminish:eta=0.3,analogy.eta=0.6"), which overrides the shared value
// for that task. A strategy knows task names and the epoch history, nothing
// else; the primary task's weight is always 1 and is not the strategy's to set.
package strategies
