package tasks

import "github.com/mt2st/mt2st/options"

// StepsPerStep is the key of the auxiliary step budget every registered task
// has: "<task>.steps_per_step" = K means that, as an auxiliary task, the task
// takes K training steps for every step of the primary task: the first in the
// joint step with the primary (as every auxiliary task does), the other K−1
// in auxiliary-only steps right after it, each on a fresh batch. The strategy
// weight scales every one of them, and an epoch in which the task does not
// run (weight 0, or below the run's skip_below) takes none. The runner reads
// it (experiments), not the task; it does not apply to the primary task,
// whose own StartEpoch count sets an epoch's length.
const StepsPerStep = "steps_per_step"

// StepsPerStepOption is the declaration Register adds to every task.
var StepsPerStepOption = Option{
	Key: StepsPerStep, Kind: options.Int, Default: 1,
	Help: "auxiliary steps per primary step (K-1 auxiliary-only steps follow each joint step)",
}

// Counted is implemented by tasks that can say how many real examples
// (pairs, questions, centre words, ... — padding excluded) the batch last
// filled by NextBatch holds. The runner sums it per epoch into the run
// record.
type Counted interface {
	BatchExamples() int
}
