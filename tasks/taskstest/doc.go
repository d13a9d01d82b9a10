// Package taskstest has helpers for testing task modules: a finite-difference
// check of a module's gradients, and tiny fixtures (vocabulary, model).
package taskstest
