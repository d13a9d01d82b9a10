package bench_test

import (
	"fmt"

	"github.com/mt2st/mt2st/bench"
)

// The mtl benchmark model: the bag sentiment task with the skip-gram and
// similarity tasks on one shared embedding, each step weighted 1, 0.5, 0.5.
func ExampleNew() {
	s, err := bench.New("mtl", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, t := range s.Tasks {
		fmt.Println(t.Name(), s.Weights[i])
	}
	s.Next() // fill the batches (not timed)
	losses, err := s.Step()
	fmt.Println(len(losses), err)
	// Output:
	// sentiment 1
	// skipgram 0.5
	// similarity 0.5
	// 3 <nil>
}
