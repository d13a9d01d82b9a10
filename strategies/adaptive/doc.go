// Package adaptive runs an adaptive strategy (strategies.Adaptive) inside a
// training loop over graph programs: the training loop of package
// experiments and the step-time benchmark of package bench both use its
// [Driver]. Package strategies knows only task names and signals; this
// package connects them to graph.Program.StepEach, which splits a step's
// gradient on the shared embedding by task, and to the run record
// (results.Signals).
//
// A schedule strategy has no driver (New returns nil) and a nil *Driver
// does exactly what a loop without it does, so a run with stl, mtl,
// diminish or switch computes no signal.
package adaptive
