package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/strategies"
	"github.com/mt2st/mt2st/tasks"
)

func runTasks(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tasks", "", stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "tasks: %s\nstrategies: %s\n\n", strings.Join(tasks.Names(), ", "), strings.Join(strategies.Names(), ", "))
	fmt.Fprintln(stdout, "run options (flags --name-with-dashes, or --set name=value; sweep files: name: value):")
	for _, o := range experiments.Options() {
		fmt.Fprintf(stdout, "  %-28s %-8s %-22s %s\n", o.Name, o.Kind.Word(), experiments.DefaultText(o), o.Help)
	}
	fmt.Fprintln(stdout, "\nstrategy parameters: strategy.<key> or strategy.<task>.<key> (see mt2st schedule --help)")
	fmt.Fprintln(stdout, "\ntask options (--set task.key=value; sweep files: task.key: value):")
	for _, line := range tasks.OptionHelp() {
		fmt.Fprintln(stdout, "  "+line)
	}
	return nil
}
