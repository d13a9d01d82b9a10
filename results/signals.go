package results

// Signals is what an adaptive strategy saw and decided in one epoch (nil
// for schedule strategies). Per-step values are summarised as epoch means
// to keep records small.
type Signals struct {
	// Cosine holds each auxiliary task's mean cos(g_aux, g_primary) over
	// the epoch's measured steps, on the shared embedding rows (before any
	// projection).
	Cosine map[string]float64 `json:"cosine,omitempty"`
	// GradNorm holds each task's mean gradient norm on the shared rows over
	// the measured steps (unweighted losses), primary included.
	GradNorm map[string]float64 `json:"grad_norm,omitempty"`
	// Measured is the number of steps whose gradients were compared.
	Measured int `json:"measured_steps,omitempty"`
	// State holds the strategy's own values at the end of the epoch (e.g.
	// "lambda/analogy" for OL-AUX, "log_var/similarity" for uncertainty).
	State map[string]float64 `json:"state,omitempty"`
	// Events are the decisions taken after the epoch (e.g. a switch).
	Events []Event `json:"events,omitempty"`
}

// Event is one decision of an adaptive strategy: the rule that fired, the
// auxiliary tasks it concerns and what was observed.
type Event struct {
	Rule   string   `json:"rule"`
	Tasks  []string `json:"tasks"`
	Detail string   `json:"detail"`
}
