package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/mt2st/mt2st/datasets"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mt2st/mt2st/experiments"
	"github.com/mt2st/mt2st/options"
)

// runFlags turns the run-option table into flags: one per option (its
// name with '-' for '_'), plus --set key=value for any run option, strategy
// parameter or task option. Every flag given becomes an assignment, in
// command-line order, and experiments.Resolve applies them over the
// protocol's defaults — the path sweep files take too.
type runFlags struct {
	assignments []options.Assignment
}

// addRunFlags declares the run-option flags on fs, leaving out the options
// named in skip (commands that set them themselves).
func addRunFlags(fs *flag.FlagSet, skip ...string) *runFlags {
	f := &runFlags{}
	for _, o := range experiments.Options() {
		if slices.Contains(skip, o.Name) {
			continue
		}
		flagName := "--" + o.Flag()
		help := fmt.Sprintf("%s (default %s)", o.Help, experiments.DefaultText(o))
		fs.Func(o.Flag(), help, func(s string) error {
			f.assignments = append(f.assignments, options.Assignment{Key: o.Name, Value: s, Source: flagName})
			return nil
		})
	}
	fs.Func("set", "key=value, repeatable: any run option, strategy.<key>, or a task option such as sentiment.hidden=128 (list them: mt2st tasks)", func(s string) error {
		as, err := options.ParseAssignments([]string{s}, "--set")
		if err != nil {
			return err
		}
		for _, a := range as {
			if slices.Contains(skip, a.Key) {
				return fmt.Errorf("%s: this command sets it itself", a.Key)
			}
			if _, err := experiments.KeyKind(a.Key); err != nil {
				return err // unknown keys fail here, before anything is built
			}
		}
		f.assignments = append(f.assignments, as...)
		return nil
	})
	return f
}

// given reports whether the command line set the option.
func (f *runFlags) given(name string) bool {
	return slices.ContainsFunc(f.assignments, func(a options.Assignment) bool { return a.Key == name })
}

// pathFlags are the directories several commands share, declared once.
type pathFlags struct {
	data, cache string
	offline     bool
	stderr      io.Writer // progress of a first-use download
}

const dataHelp = "data directory (default: $MT2ST_DATA, else ../shared/data, else the user cache, where it is downloaded on first use)"

func addDataFlag(fs *flag.FlagSet, p *pathFlags) {
	fs.StringVar(&p.data, "data", "", dataHelp)
	fs.BoolVar(&p.offline, "offline", false, offlineHelp)
	p.stderr = fs.Output()
}

func addPathFlags(fs *flag.FlagSet) *pathFlags {
	p := &pathFlags{}
	addDataFlag(fs, p)
	fs.StringVar(&p.cache, "cache", "runs/cache", "directory caching pre-trained embeddings (empty = no cache)")
	fs.Func("data-check", "false accepts IMDB splits of any size, for a deliberately smaller copy (default true: a split without its 25,000 reviews, 50,000 for unsup, is an error; also $MT2ST_DATA_CHECK=0)", func(v string) error {
		check, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("want true or false")
		}
		if !check {
			// An environment variable, so the sweep's worker processes inherit it.
			return os.Setenv(datasets.EnvDataCheck, "0")
		}
		return os.Unsetenv(datasets.EnvDataCheck)
	})
	return p
}

// dataDir resolves --data (then $MT2ST_DATA, then ../shared/data, then the
// user cache), downloading the data into the user cache on first use unless
// offline.
func (p *pathFlags) dataDir(ctx context.Context) (string, error) {
	return ensureData(ctx, p.data, p.offline, nil, p.stderr)
}

// dirs resolves --data and makes --cache absolute, as worker processes,
// which may run elsewhere, need them.
func (p *pathFlags) dirs(ctx context.Context) (data, cache string, err error) {
	if data, err = p.dataDir(ctx); err != nil || p.cache == "" {
		return data, "", err
	}
	cache, err = filepath.Abs(p.cache)
	return data, cache, err
}

// resolveRun builds the run configuration from the flags and the shared
// directories.
// check, when given, runs after the configuration is resolved and before
// the data is looked up (which may download it), so every argument error
// comes first.
func resolveRun(ctx context.Context, rf *runFlags, pf *pathFlags, check func() error) (experiments.Config, error) {
	c, err := experiments.Resolve(rf.assignments)
	if err != nil {
		return c, err
	}
	if check != nil {
		if err := check(); err != nil {
			return c, err
		}
	}
	if c.DataDir, err = pf.dataDir(ctx); err != nil {
		return c, err
	}
	c.CacheDir = pf.cache
	return c, nil
}

func batchText(b int) string {
	if b == 0 {
		return "full"
	}
	return fmt.Sprint(b)
}

// joinSpecs prints strategy specs the way --strategies takes them.
func joinSpecs(specs []string) string { return strings.Join(specs, ";") }
