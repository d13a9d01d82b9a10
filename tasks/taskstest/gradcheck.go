package taskstest

import (
	"fmt"
	"math"
	"sort"

	"github.com/mt2st/mt2st/graph"
)

// GradCheck compares a module's analytic gradients (from Gorgonia) with
// central finite differences of its loss, on every touched embedding row and
// every parameter value (up to maxPerTensor coordinates each). It returns the
// largest error relative to max(|numeric|, |analytic|, floor), and where it
// occurred. The module's input buffers must already hold a batch.
func GradCheck(m *graph.Model, mod graph.Module, eps float64, maxPerTensor int) (worst float64, where string, err error) {
	p, err := m.Program(mod)
	if err != nil {
		return 0, "", err
	}
	w := []float64{1}
	_, rows, params, err := p.Gradients(w)
	if err != nil {
		return 0, "", err
	}
	loss := func() (float64, error) {
		l, _, _, err := p.Gradients(w)
		if err != nil {
			return 0, err
		}
		return l[0], nil
	}
	const floor = 1e-3
	check := func(name string, vals []float32, analytic []float32) error {
		n := min(len(vals), maxPerTensor)
		step := max(1, len(vals)/n)
		for i := 0; i < len(vals); i += step {
			orig := vals[i]
			vals[i] = orig + float32(eps)
			lp, err := loss()
			if err != nil {
				return err
			}
			vals[i] = orig - float32(eps)
			lm, err := loss()
			if err != nil {
				return err
			}
			vals[i] = orig
			num := (lp - lm) / (2 * eps)
			an := float64(analytic[i])
			rel := math.Abs(num-an) / math.Max(floor, math.Max(math.Abs(num), math.Abs(an)))
			if rel > worst {
				worst, where = rel, fmt.Sprintf("%s[%d]: numeric %.6g analytic %.6g", name, i, num, an)
			}
		}
		return nil
	}
	tables := map[string]*graph.Table{}
	for _, t := range m.Tables() {
		tables[t.Name] = t
	}
	for tname, byID := range rows {
		ids := make([]int, 0, len(byID))
		for id := range byID {
			ids = append(ids, int(id))
		}
		sort.Ints(ids)
		for _, id := range ids {
			if err := check(fmt.Sprintf("%s row %d", tname, id), tables[tname].Row(id), byID[int32(id)]); err != nil {
				return 0, "", err
			}
		}
	}
	for _, prm := range m.Params() {
		g, ok := params[prm.Name]
		if !ok {
			continue
		}
		if err := check(prm.Name, prm.Data(), g); err != nil {
			return 0, "", err
		}
	}
	return worst, where, nil
}
