// Command mt2st trains word embeddings with a primary task and auxiliary tasks
// that share one embedding, moving from multi-task to single-task learning
// (MT2ST: Diminish and Switch), and prints comparison tables.
//
//	mt2st reproduce [--protocol paper|imdb] [--encoder bag|bilstm] [--seeds N] [--out DIR]
//	mt2st train --strategy SPEC [--tasks sentiment,similarity,analogy] [...]
//	mt2st tasks
//	mt2st eval --vectors FILE [--restrict-vocab N] [--json]
//	mt2st schedule --strategy SPEC --epochs N [--tasks similarity,analogy] [--json] | --record FILE
//	mt2st sweep plan|run|status|report|manifest|worker|collect ...
//	mt2st bench [--model bag|mtl|lstm|bilstm|all] [--steps N] [--json] [--strategies]
//	mt2st data [--out DIR]
//
// Without a data directory (--data, $MT2ST_DATA, ../shared/data), the commands
// that need the data download it into the user cache on first use;
// "mt2st --offline COMMAND" (or MT2ST_OFFLINE=1) forbids that.
//
// Run "mt2st COMMAND --help" for each command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand: a one-line summary and its entry point.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"reproduce":    {"train STL, MTL, Diminish and Switch on real IMDB data and print comparison tables (a built-in sweep)", runReproduce},
	"train":        {"train one configuration and write its record", runTrain},
	"tasks":        {"list the tasks, the run options and every task option with its type, default and help", runTasks},
	"eval":         {"evaluate word2vec-format vectors on the similarity lists and analogy questions (gensim semantics)", runEval},
	"schedule":     {"print each auxiliary task's weight per epoch under a strategy", runSchedule},
	"data":         {"download the public datasets (with sha256 checks) into a directory", runData},
	"sweep":        {"plan, run (parallel, resumable), report and collect sweeps from sweep files", runSweep},
	"timing-check": {"check that MTL, which does more work, does not train faster than STL beyond the noise (exit 1 if it does)", runTimingCheck},
	"bench":        {"time one training step of the standard models (torch_ref.py shapes), memory, and epochs per strategy", runBench},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal cancels ctx and the command winds down; a second one
	// gets the default action and ends the process at once.
	go func() { <-ctx.Done(); stop() }()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// Global flags, before the command name.
	for len(args) > 0 && (args[0] == "--offline" || args[0] == "-offline") {
		ctx = context.WithValue(ctx, offlineKey{}, true)
		args = args[1:]
	}
	err := dispatch(ctx, "mt2st", commands, args, stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	name := "mt2st"
	for i, a := range args {
		if i > 1 || strings.HasPrefix(a, "-") || (i == 1 && args[0] != "sweep") {
			break
		}
		name += " " + a // the command, and a sweep's sub-command
	}
	fmt.Fprintf(stderr, "%s: %v\n", name, err)
	return 1
}

// dispatch runs the command args[0] of cmds. Usage goes to stderr: with no
// command it is an error (errUsage), with -h, --help or help it is not.
func dispatch(ctx context.Context, prog string, cmds map[string]command, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, prog, cmds)
		if len(args) == 0 {
			return errUsage
		}
		return flag.ErrHelp
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", prog, args[0])
		usage(stderr, prog, cmds)
		return errUsage
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

// errUsage marks a usage error already reported on stderr.
var errUsage = errors.New("usage")

func usage(w io.Writer, prog string, cmds map[string]command) {
	fmt.Fprintf(w, "usage: %s COMMAND [flags]\n\ncommands:\n", prog)
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		if !strings.HasPrefix(n, "_") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintf(w, "\nRun '%s COMMAND --help' for a command's flags.\n", prog)
	if prog == "mt2st" {
		fmt.Fprintf(w, "Without a data directory, the data is downloaded into the user cache on first use; --offline (or MT2ST_OFFLINE=1) forbids that.\n")
	}
}

// newFlags returns a flag set whose --help prints the command's usage line.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: mt2st %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args of a command that takes no positional argument.
func parse(fs *flag.FlagSet, args []string) error {
	_, err := parseArgs(fs, args, 0, 0)
	return err
}

// parseArgs parses flags that may come before, between or after the
// positional arguments ("sweep run FILE -j 2"), mapping flag errors to
// errUsage, and returns the positional ones, checking their count (maxArgs
// < 0: no limit).
func parseArgs(fs *flag.FlagSet, args []string, minArgs, maxArgs int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) < minArgs || (maxArgs >= 0 && len(pos) > maxArgs) {
		if len(pos) < minArgs {
			fmt.Fprintln(fs.Output(), "missing argument")
		} else {
			fmt.Fprintf(fs.Output(), "unexpected argument %q\n", pos[maxArgs])
		}
		fs.Usage()
		return nil, errUsage
	}
	return pos, nil
}

// listFlag is a comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	*l = nil
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}

// repeatFlag collects every occurrence.
type repeatFlag []string

func (r *repeatFlag) String() string     { return strings.Join(*r, " ") }
func (r *repeatFlag) Set(s string) error { *r = append(*r, s); return nil }

// specList is a ';'-separated list of strategy specs (specs contain commas).
type specList []string

func (l *specList) String() string { return strings.Join(*l, ";") }
func (l *specList) Set(s string) error {
	*l = nil
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}
