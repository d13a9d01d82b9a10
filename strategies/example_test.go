package strategies_test

import (
	"fmt"

	"github.com/mt2st/mt2st/strategies"
)

// A Switch strategy keeps the auxiliary weight until its epoch, then drops it.
func ExampleParse() {
	s, err := strategies.Parse("switch:epoch=2,lambda=0.5")
	if err != nil {
		fmt.Println(err)
		return
	}
	for epoch := 1; epoch <= 3; epoch++ {
		fmt.Println(epoch, s.Weights(epoch, []string{"similarity"}, strategies.History{})["similarity"])
	}
	// Output:
	// 1 0.5
	// 2 0.5
	// 3 0
}
