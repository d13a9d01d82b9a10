// Package tasks defines what a task is — a Gorgonia head on the shared
// embedding plus its data and its metrics — and keeps the registry of task
// names. Each task lives in its own sub-package (tasks/sentiment,
// tasks/similarity, tasks/analogy, ...) and registers itself in one line:
//
//	func init() { tasks.Register("similarity", New) }
//
// A task knows nothing of strategies: the experiment runner asks a strategy
// for the weights and runs the program of the tasks whose weight is above 0.
package tasks
