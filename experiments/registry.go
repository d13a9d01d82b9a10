package experiments

// The tasks a run can name. Adding a task package here (one line) makes it
// available to train, reproduce and sweeps.
import (
	_ "github.com/mt2st/mt2st/tasks/analogy"
	_ "github.com/mt2st/mt2st/tasks/cbow"
	_ "github.com/mt2st/mt2st/tasks/fasttext"
	_ "github.com/mt2st/mt2st/tasks/glove"
	_ "github.com/mt2st/mt2st/tasks/pos"
	_ "github.com/mt2st/mt2st/tasks/sentiment"
	_ "github.com/mt2st/mt2st/tasks/similarity"
	_ "github.com/mt2st/mt2st/tasks/skipgram"
)
