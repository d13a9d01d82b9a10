package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mt2st/mt2st/results"
	"github.com/mt2st/mt2st/strategies"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Options tunes the plots. The zero value gives the defaults.
type Options struct {
	// Metric is the primary validation metric in Epoch.Val; default "accuracy".
	Metric string
	// Formats are the file formats written, "svg" and/or "png"; default both.
	Formats []string
	// Width and Height of each figure; default 16 cm × 10 cm.
	Width, Height vg.Length
	// DPI of PNG files; default 150.
	DPI int
	// Band is what the shaded band around each mean curve shows: the 95%
	// Student-t interval of the mean (results.SpreadCI95, the default, as in
	// the tables) or ± 1 sample standard deviation over seeds
	// (results.SpreadStd).
	Band results.Spread
}

func (o Options) withDefaults() Options {
	if o.Metric == "" {
		o.Metric = "accuracy"
	}
	if len(o.Formats) == 0 {
		o.Formats = []string{"svg", "png"}
	}
	if o.Width == 0 {
		o.Width = 16 * vg.Centimeter
	}
	if o.Height == 0 {
		o.Height = 10 * vg.Centimeter
	}
	if o.DPI == 0 {
		o.DPI = 150
	}
	return o
}

func (o Options) bandName() string {
	if o.Band == results.SpreadStd {
		return "± 1 std"
	}
	return "95% CI of the mean"
}

// All writes every plot of a report into dir: validation metric by epoch and
// by training time, each auxiliary task's weight per epoch, the
// time-to-target bars (when the report has a target) and the Diminish
// η × ν heat maps (when the report has a grid). It returns the paths
// written.
func All(dir string, rep *results.SweepReport, opts Options) ([]string, error) {
	if rep.Metric != "" && opts.Metric == "" {
		opts.Metric = rep.Metric
	}
	var paths []string
	for _, f := range []func() ([]string, error){
		func() ([]string, error) { return ValidationByEpoch(dir, rep.Groups, opts) },
		func() ([]string, error) { return ValidationByTime(dir, rep.Groups, opts) },
		func() ([]string, error) { return AuxiliaryWeights(dir, rep.Groups, opts) },
		func() ([]string, error) {
			if math.IsNaN(rep.Target) {
				return nil, nil
			}
			return TimeToTarget(dir, rep, opts)
		},
		func() ([]string, error) { return DiminishHeatMaps(dir, rep, opts) },
	} {
		p, err := f()
		paths = append(paths, p...)
		if err != nil {
			return paths, err
		}
	}
	return paths, nil
}

// curvePoint is the across-seed summary of one epoch of a group.
type curvePoint struct {
	epoch        int
	seconds      float64 // mean cumulative training seconds at this epoch
	mean, lo, hi float64 // band [lo, hi]; NaN when undefined (one run)
}

// groupCurve summarises a group's validation metric epoch by epoch over its
// finished runs; an epoch counts the runs that recorded the metric there.
func groupCurve(g *results.Group, metric string, band results.Spread) []curvePoint {
	byEpoch := map[int][]float64{}
	secs := map[int][]float64{}
	for _, r := range g.Runs {
		for _, e := range r.Epochs {
			if v, ok := e.Val.Metric(metric); ok {
				byEpoch[e.Epoch] = append(byEpoch[e.Epoch], v)
				secs[e.Epoch] = append(secs[e.Epoch], e.CumSeconds)
			}
		}
	}
	epochs := make([]int, 0, len(byEpoch))
	for e := range byEpoch {
		epochs = append(epochs, e)
	}
	sort.Ints(epochs)
	var pts []curvePoint
	for _, e := range epochs {
		s := results.Summarize(byEpoch[e])
		lo, hi := s.CILow, s.CIHigh
		if band == results.SpreadStd {
			lo, hi = s.Mean-s.Std, s.Mean+s.Std
		}
		pts = append(pts, curvePoint{epoch: e, seconds: results.Summarize(secs[e]).Mean, mean: s.Mean, lo: lo, hi: hi})
	}
	return pts
}

// ValidationByEpoch plots each group's mean validation metric against the
// epoch, with a band over seeds; files validation_by_epoch.{svg,png}.
func ValidationByEpoch(dir string, groups []*results.Group, opts Options) ([]string, error) {
	opts = opts.withDefaults()
	return curvePlot(dir, "validation_by_epoch", groups, opts, "epoch",
		func(p curvePoint) float64 { return float64(p.epoch) })
}

// ValidationByTime plots each group's mean validation metric against the
// mean cumulative training time (seconds, evaluation excluded), with a band
// over seeds; files validation_by_time.{svg,png}.
func ValidationByTime(dir string, groups []*results.Group, opts Options) ([]string, error) {
	opts = opts.withDefaults()
	return curvePlot(dir, "validation_by_time", groups, opts, "training time (s, mean over seeds)",
		func(p curvePoint) float64 { return p.seconds })
}

func curvePlot(dir, name string, groups []*results.Group, opts Options, xLabel string, x func(curvePoint) float64) ([]string, error) {
	p := newPlot(fmt.Sprintf("Validation %s (mean over seeds, band: %s)", opts.Metric, opts.bandName()), xLabel, "validation "+opts.Metric)
	drawn := 0
	for i, g := range groups {
		pts := groupCurve(g, opts.Metric, opts.Band)
		if len(pts) == 0 {
			continue
		}
		c := plotutil.Color(i)
		if band := bandPolygon(pts, x, c); band != nil {
			p.Add(band)
		}
		line := make(plotter.XYs, len(pts))
		for j, pt := range pts {
			line[j] = plotter.XY{X: x(pt), Y: pt.mean}
		}
		l, err := plotter.NewLine(line)
		if err != nil {
			return nil, fmt.Errorf("plot %s: group %s: %w", name, g.Name(), err)
		}
		l.Color, l.Width = c, vg.Points(1.5)
		l.Dashes = plotutil.Dashes(i)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s (n=%d)", g.Name(), len(g.Runs)), l)
		drawn++
	}
	if drawn == 0 {
		return nil, fmt.Errorf("plot %s: no finished run has validation %s", name, opts.Metric)
	}
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs = -vg.Points(6)
	return save(p, dir, name, opts, opts.Width, opts.Height)
}

// bandPolygon is the shaded area between the lower and upper band edges;
// nil when no point has a band (a single run).
func bandPolygon(pts []curvePoint, x func(curvePoint) float64, c color.Color) *plotter.Polygon {
	var upper, lower plotter.XYs
	for _, pt := range pts {
		if math.IsNaN(pt.lo) || math.IsNaN(pt.hi) {
			continue
		}
		upper = append(upper, plotter.XY{X: x(pt), Y: pt.hi})
		lower = append(lower, plotter.XY{X: x(pt), Y: pt.lo})
	}
	if len(upper) < 2 {
		return nil
	}
	ring := append(plotter.XYs{}, upper...)
	for i := len(lower) - 1; i >= 0; i-- {
		ring = append(ring, lower[i])
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil
	}
	r, g, b, _ := c.RGBA()
	poly.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 60}
	poly.LineStyle.Width = 0
	return poly
}

// AuxiliaryWeights plots, for each auxiliary task, every group's weight per
// epoch (from the group's first finished run: weights depend on the strategy,
// not on the seed) as a step line — a weight holds for a whole epoch — with a
// dashed vertical line between a Switch strategy's last auxiliary epoch T and
// epoch T+1; files weights_<task>.{svg,png}.
func AuxiliaryWeights(dir string, groups []*results.Group, opts Options) ([]string, error) {
	opts = opts.withDefaults()
	tasks := auxiliaryTasks(groups)
	if len(tasks) == 0 {
		return nil, errors.New("plot weights: no run records an auxiliary task's weight")
	}
	var paths []string
	for _, task := range tasks {
		p := newPlot("Weight of "+task+" per epoch", "epoch", "weight of "+task)
		ymax, entries := 0.0, 0
		type switchMark struct {
			epoch int
			color color.Color
			label string
		}
		var marks []switchMark
		for i, g := range groups {
			r := firstRun(g)
			if r == nil || (len(r.Tasks) > 0 && r.Tasks[0] == task) {
				continue // a run that trains the task as its primary (alone) does not weight it as auxiliary
			}
			var xys plotter.XYs
			for _, e := range r.Epochs {
				if w, ok := e.Weights[task]; ok {
					xys = append(xys, plotter.XY{X: float64(e.Epoch), Y: w})
					ymax = math.Max(ymax, w)
				}
			}
			if len(xys) == 0 {
				continue
			}
			l, s, err := plotter.NewLinePoints(xys)
			if err != nil {
				return paths, fmt.Errorf("plot weights %s: group %s: %w", task, g.Name(), err)
			}
			c := plotutil.Color(i)
			l.Color, l.Width, l.Dashes, l.StepStyle = c, vg.Points(1.5), plotutil.Dashes(i), plotter.MidStep
			s.Color, s.Shape = c, plotutil.Shape(i)
			p.Add(l, s)
			p.Legend.Add(g.Name(), l, s)
			entries++
			if e, ok := SwitchEpoch(g.Strategy); ok {
				marks = append(marks, switchMark{e, c, fmt.Sprintf("switch after epoch %d (%s)", e, g.Label)})
			}
		}
		entries += len(marks)
		// Head-room above the curves for the legend, about one line per entry.
		top := math.Max(ymax, 0.05) * (1.1 + 0.08*float64(entries))
		for _, m := range marks {
			x := float64(m.epoch) + 0.5
			l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}})
			if err != nil {
				return paths, fmt.Errorf("plot weights %s: %w", task, err)
			}
			l.Color, l.Width = m.color, vg.Points(1)
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(l)
			p.Legend.Add(m.label, l)
		}
		p.Y.Min, p.Y.Max = 0, top
		p.Legend.Top, p.Legend.Left = true, false
		p.Legend.XOffs = -vg.Points(6)
		ps, err := save(p, dir, "weights_"+fileSafe(task), opts, opts.Width, opts.Height)
		paths = append(paths, ps...)
		if err != nil {
			return paths, err
		}
	}
	return paths, nil
}

// auxiliaryTasks lists the weighted tasks other than each run's primary
// (Tasks[0]), in first-seen order.
func auxiliaryTasks(groups []*results.Group) []string {
	seen := map[string]bool{}
	var tasks []string
	for _, g := range groups {
		r := firstRun(g)
		if r == nil {
			continue
		}
		primary := ""
		if len(r.Tasks) > 0 {
			primary = r.Tasks[0]
		}
		var keys []string
		for _, e := range r.Epochs {
			for k := range e.Weights {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		order := keys
		if len(r.Tasks) > 0 {
			order = append(append([]string{}, r.Tasks...), keys...)
		}
		for _, k := range order {
			if k == primary || seen[k] || !hasWeight(r, k) {
				continue
			}
			seen[k] = true
			tasks = append(tasks, k)
		}
	}
	return tasks
}

func hasWeight(r *results.Record, task string) bool {
	for _, e := range r.Epochs {
		if _, ok := e.Weights[task]; ok {
			return true
		}
	}
	return false
}

func firstRun(g *results.Group) *results.Record {
	if len(g.Runs) > 0 {
		return g.Runs[0]
	}
	return nil
}

// SwitchEpoch returns a Switch strategy's switch epoch; ok is false for
// other strategies.
func SwitchEpoch(s strategies.Spec) (epoch int, ok bool) {
	if !s.Is("switch") {
		return 0, false
	}
	e, ok := s.Param("epoch")
	return int(e), ok
}

// TimeToTarget draws one horizontal bar per group: the Kaplan–Meier median
// training seconds to reach the report's target (runs that never reached it
// censored at their total training time), with the report's percentile
// bootstrap 95% interval as an error bar (an infinite upper bound is drawn
// to the plot's edge). The bar label gives the runs that reached it; groups
// whose median is not reached get no bar. Files time_to_target.{svg,png}.
func TimeToTarget(dir string, rep *results.SweepReport, opts Options) ([]string, error) {
	opts = opts.withDefaults()
	if math.IsNaN(rep.Target) {
		return nil, errors.New("plot time to target: the report has no target")
	}
	var rows []results.GroupReport
	var colour []int // each row's group index, so bars keep the other plots' colours
	for i, row := range rep.Rows {
		if !row.Aside { // another primary task: no target to reach
			rows, colour = append(rows, row), append(colour, i)
		}
	}
	n := len(rows)
	if n == 0 {
		return nil, errors.New("plot time to target: no groups")
	}
	names := make([]string, n)
	var bars errorBars
	title := fmt.Sprintf("Training time to validation %s ≥ %.3f (KM median, bootstrap 95%% CI)", rep.Metric, rep.Target)
	p := newPlot(title, "seconds to target", "")
	maxX := 0.0
	for _, row := range rows {
		for _, v := range []float64{row.SecondsMedian.Value, row.SecondsMedian.High} {
			if !math.IsInf(v, 0) && !math.IsNaN(v) {
				maxX = math.Max(maxX, v)
			}
		}
	}
	for i, row := range rows {
		// NominalY puts the first name at the bottom; reverse so the table's
		// first row is on top.
		at := n - 1 - i
		names[at] = fmt.Sprintf("%s (%d/%d)", row.Group.Name(), row.Reached, len(row.Hits))
		m := row.SecondsMedian
		if m.Undefined || math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
			continue
		}
		// One chart per group so each bar has its group's colour in the
		// other plots.
		bc, err := plotter.NewBarChart(plotter.Values{m.Value}, vg.Points(16))
		if err != nil {
			return nil, fmt.Errorf("plot time to target: %w", err)
		}
		bc.Horizontal, bc.XMin = true, float64(at)
		bc.Color, bc.LineStyle.Width = plotutil.Color(colour[i]), 0
		p.Add(bc)
		if m.HasInterval() {
			hi := m.High
			if math.IsInf(hi, 1) {
				hi = 1.1 * maxX
			}
			bars.xys = append(bars.xys, plotter.XY{X: m.Value, Y: float64(at)})
			bars.errs = append(bars.errs, [2]float64{m.Value - m.Low, hi - m.Value})
		}
	}
	if len(bars.xys) > 0 {
		eb, err := plotter.NewXErrorBars(bars)
		if err != nil {
			return nil, fmt.Errorf("plot time to target: %w", err)
		}
		eb.LineStyle.Width = vg.Points(1.2)
		p.Add(eb)
	}
	p.NominalY(names...)
	p.X.Min = 0
	height := opts.Height
	if h := vg.Length(n)*vg.Points(28) + 3*vg.Centimeter; h > height {
		height = h
	}
	return save(p, dir, "time_to_target", opts, opts.Width, height)
}

// errorBars feeds plotter.NewXErrorBars.
type errorBars struct {
	xys  plotter.XYs
	errs [][2]float64
}

func (b errorBars) Len() int                        { return len(b.xys) }
func (b errorBars) XY(i int) (float64, float64)     { return b.xys[i].X, b.xys[i].Y }
func (b errorBars) XError(i int) (float64, float64) { return b.errs[i][0], b.errs[i][1] }

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.Padding = vg.Points(8)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Add(plotter.NewGrid())
	return p
}

// save renders p once per format into dir/<name>.<format>, atomically.
func save(p *plot.Plot, dir, name string, opts Options, w, h vg.Length) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plot %s: %w", name, err)
	}
	var paths []string
	for _, format := range opts.Formats {
		var buf bytes.Buffer
		switch strings.ToLower(format) {
		case "svg":
			c := vgsvg.New(w, h)
			p.Draw(draw.New(c))
			if _, err := c.WriteTo(&buf); err != nil {
				return paths, fmt.Errorf("plot %s: svg: %w", name, err)
			}
		case "png":
			c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(opts.DPI))
			p.Draw(draw.New(c))
			if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
				return paths, fmt.Errorf("plot %s: png: %w", name, err)
			}
		default:
			return paths, fmt.Errorf("plot %s: unknown format %q (want svg or png)", name, format)
		}
		path := filepath.Join(dir, name+"."+strings.ToLower(format))
		if err := results.WriteFileAtomic(path, buf.Bytes()); err != nil {
			return paths, fmt.Errorf("plot %s: %w", name, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// fileSafe keeps letters, digits, '-', '_' and '.'; anything else becomes '_'.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
}

// DiminishHeatMaps draws, for every Diminish grid of the report
// (SweepReport.DiminishGrids), two heat maps with η as rows and ν as
// columns, each cell labelled with its value: the mean primary test metric
// (files diminish_test_<grid>.{svg,png}) and the time saved vs MTL, 1 − the
// geometric mean training-time ratio (files
// diminish_saved_vs_mtl_<grid>.{svg,png}), whose colours are centred on 0.
// Nothing is written when the report has no grid.
func DiminishHeatMaps(dir string, rep *results.SweepReport, opts Options) ([]string, error) {
	opts = opts.withDefaults()
	var paths []string
	for _, grid := range rep.DiminishGrids() {
		for _, m := range []struct {
			name, title string
			values      [][]float64
			label       func(float64) string
			centred     bool
		}{
			{"diminish_test_" + grid.Name, fmt.Sprintf("Diminish: mean test %s, γ = %g", opts.Metric, grid.Gamma), grid.TestMeans(),
				func(v float64) string { return fmt.Sprintf("%.3f", v) }, false},
			{"diminish_saved_vs_mtl_" + grid.Name, fmt.Sprintf("Diminish: training time saved vs MTL, γ = %g", grid.Gamma), grid.SavedVsMTL(),
				func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) }, true},
		} {
			ps, err := heatMap(dir, m.name, m.title, grid, m.values, m.label, m.centred, opts)
			paths = append(paths, ps...)
			if err != nil {
				return paths, err
			}
		}
	}
	return paths, nil
}

// etaNuGrid feeds plotter.HeatMap: column c is ν index c, row r is η index r.
type etaNuGrid [][]float64

func (g etaNuGrid) Dims() (c, r int)   { return len(g[0]), len(g) }
func (g etaNuGrid) Z(c, r int) float64 { return g[r][c] }
func (g etaNuGrid) X(c int) float64    { return float64(c) }
func (g etaNuGrid) Y(r int) float64    { return float64(r) }
func (g etaNuGrid) Min() (m float64)   { return g.extreme(math.Min) }
func (g etaNuGrid) Max() (m float64)   { return g.extreme(math.Max) }
func (g etaNuGrid) extreme(f func(a, b float64) float64) float64 {
	out := math.NaN()
	for _, row := range g {
		for _, v := range row {
			if math.IsNaN(v) {
				continue
			}
			if math.IsNaN(out) {
				out = v
			}
			out = f(out, v)
		}
	}
	return out
}

func heatMap(dir, name, title string, grid results.DiminishGrid, values [][]float64, label func(float64) string, centred bool, opts Options) ([]string, error) {
	z := etaNuGrid(values)
	lo, hi := z.Min(), z.Max()
	if math.IsNaN(lo) {
		return nil, nil // no cell has a value (e.g. no MTL reference): nothing to draw
	}
	if centred {
		a := math.Max(math.Abs(lo), math.Abs(hi))
		lo, hi = -a, a
	}
	if hi-lo < 1e-9 {
		lo, hi = lo-1e-3, hi+1e-3
	}
	cm := moreland.SmoothBlueRed()
	cm.SetMin(0)
	cm.SetMax(1)
	h := plotter.NewHeatMap(z, cm.Palette(64))
	h.Min, h.Max = lo, hi
	h.NaN = color.Gray{Y: 220}
	p := newPlot(title, "ν", "η")
	p.Add(h)
	var xys plotter.XYs
	var texts []string
	for r := range grid.Etas {
		for c := range grid.Nus {
			xys = append(xys, plotter.XY{X: float64(c), Y: float64(r)})
			if v := values[r][c]; math.IsNaN(v) {
				texts = append(texts, results.Missing)
			} else {
				texts = append(texts, label(v))
			}
		}
	}
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return nil, fmt.Errorf("plot %s: %w", name, err)
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].XAlign, labels.TextStyle[i].YAlign = text.XCenter, text.YCenter
	}
	p.Add(labels)
	var xt, yt []plot.Tick
	for c, v := range grid.Nus {
		xt = append(xt, plot.Tick{Value: float64(c), Label: fmt.Sprintf("%g", v)})
	}
	for r, v := range grid.Etas {
		yt = append(yt, plot.Tick{Value: float64(r), Label: fmt.Sprintf("%g", v)})
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	p.X.Min, p.X.Max = -0.5, float64(len(grid.Nus))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(grid.Etas))-0.5
	side := 4*vg.Centimeter + vg.Length(len(grid.Nus))*2.5*vg.Centimeter
	height := 3*vg.Centimeter + vg.Length(len(grid.Etas))*2*vg.Centimeter
	return save(p, dir, name, opts, side, height)
}
