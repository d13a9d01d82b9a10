package results

import (
	"math"
)

// Done reports whether the run finished (Status == StatusDone). Only finished
// runs are aggregated.
func (r *Record) Done() bool { return r.Status == StatusDone }

// Metric returns m[name] and whether it is present and not NaN.
func (m Metrics) Metric(name string) (float64, bool) {
	v, ok := m[name]
	if !ok || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// BestVal returns the highest validation value of metric over r's epochs and
// the epoch (from 1) where it was first reached; ok is false when no epoch
// has the metric.
func (r *Record) BestVal(metric string) (best float64, epoch int, ok bool) {
	for _, e := range r.Epochs {
		v, has := e.Val.Metric(metric)
		if has && (!ok || v > best) {
			best, epoch, ok = v, e.Epoch, true
		}
	}
	return best, epoch, ok
}

// SecondsPerEpoch returns TrainSeconds divided by the number of recorded
// epochs; ok is false for a record without epochs.
func (r *Record) SecondsPerEpoch() (float64, bool) {
	if len(r.Epochs) == 0 {
		return 0, false
	}
	return r.TrainSeconds / float64(len(r.Epochs)), true
}

// TargetHit says when a run's validation metric first reached a target.
type TargetHit struct {
	Reached bool
	Epoch   int     // the epoch (from 1) in which the value first was ≥ target
	Seconds float64 // training time to target: the epoch's CumSeconds, or a check's inside it
}

// TimeToTarget returns the first validation evaluation whose metric is ≥
// target — a check inside an epoch (val_every_steps) or an epoch's end — and
// the cumulative training seconds there. Epochs are scanned in the order
// stored.
func (r *Record) TimeToTarget(metric string, target float64) TargetHit {
	for _, e := range r.Epochs {
		for _, c := range e.Checks { // inside the epoch, before its end
			if v, ok := c.Val.Metric(metric); ok && v >= target {
				return TargetHit{Reached: true, Epoch: e.Epoch, Seconds: c.CumSeconds}
			}
		}
		if v, ok := e.Val.Metric(metric); ok && v >= target {
			return TargetHit{Reached: true, Epoch: e.Epoch, Seconds: e.CumSeconds}
		}
	}
	return TargetHit{}
}

// SelectedVal returns the validation value of metric at the run's selected
// epoch (SelectedEpoch, the epoch whose model was evaluated on the test
// split), else at the best validation epoch (BestVal). ok is false when that
// epoch has no such metric.
func (r *Record) SelectedVal(metric string) (v float64, epoch int, ok bool) {
	if e := r.SelectedEpoch; e > 0 {
		for _, ep := range r.Epochs {
			if ep.Epoch == e {
				v, ok = ep.Val.Metric(metric)
				return v, e, ok
			}
		}
	}
	return r.BestVal(metric)
}
