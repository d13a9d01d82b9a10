package sweep

import (
	"fmt"

	"github.com/mt2st/mt2st/experiments"
)

// StampData sets the data fingerprint of every trial of plan from the data
// in dataDir (experiments.StampData) and recomputes the trial IDs and
// configuration hashes, so that they change when the data does. It is done
// at plan time, once per process (the files are hashed once, about a second
// for IMDB), before the manifest is written: workers then check that the
// data they find is the data the trial was planned on. Stamping a plan
// twice with the same data changes nothing.
func StampData(plan *Plan, dataDir string) error {
	renamed := map[string]string{}
	for i := range plan.Trials {
		t := &plan.Trials[i]
		c := t.Config
		c.DataDir = dataDir
		c, _, err := experiments.StampData(c)
		if err != nil {
			return fmt.Errorf("trial %s: %w", t.ID, err)
		}
		c.DataDir = t.Config.DataDir
		t.Config = c
		renamed[t.ID] = c.ID()
		t.ID = c.ID()
		// The configuration's hash, not the replicate's: under vary_data
		// the replicates' own data seeds stay out of it, as in Expand.
		h := c
		if plan.VaryData {
			h.DataSeed -= int64(t.Replicate - 1)
			h.SplitSeed -= int64(t.Replicate - 1)
		}
		t.ConfigHash = ConfigHash(h)
	}
	// A trial that forks from another's shared prefix names it by id.
	for i := range plan.Trials {
		if p := plan.Trials[i].Parent; p != "" {
			plan.Trials[i].Parent = renamed[p]
		}
	}
	return nil
}
