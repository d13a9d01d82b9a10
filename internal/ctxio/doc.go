// Package ctxio makes the readers of data files stop when a context is
// cancelled: Reader checks the context before every Read, so a parser that
// pulls its input through a buffered reader notices a cancellation within one
// buffer's worth of parsing, and input that never ends (such as /dev/zero)
// cannot hold a command past Ctrl-C. Quote shortens file content quoted in an
// error message.
package ctxio
