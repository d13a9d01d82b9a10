// Package options is the typed vocabulary of settable values shared by run
// options (package experiments) and task options (package tasks): a value's
// kind, how command-line text becomes a value of that kind, and how a value
// prints. One assignment — "epochs=5" from a flag, a --set, a sweep file's
// axis or a built-in plan — is an Assignment; whoever owns the key decides
// what it means, and every entry point goes through that owner's Apply.
package options
