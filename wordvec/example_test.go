package wordvec_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/wordvec"
)

func ExampleReadWord2Vec() {
	file := "3 2\nking 1 1\nqueen -1 1\nman 1 0\n"
	v, err := wordvec.ReadWord2Vec(strings.NewReader(file), "inline.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	sim, _ := v.Similarity("king", "queen")
	fmt.Println(v.Len(), v.Dim, sim)

	_, err = wordvec.ReadWord2Vec(strings.NewReader("2 2\nking 1 1\nqueen -1\n"), "broken.txt")
	fmt.Println(err)
	// Output:
	// 3 2 0
	// read broken.txt line 3: 1 values after the word, want 2
}

func ExampleEvaluate() {
	v, _ := wordvec.NewVectors(
		[]string{"man", "woman", "king", "queen", "apple"}, 2,
		[]float32{1, 0, -1, 0, 1, 1, -1, 1, 0.2, -1})
	lists := []datasets.SimilarityList{{Name: "toy", Pairs: []datasets.WordPair{
		{A: "king", B: "queen", Score: 0.5}, {A: "man", B: "apple", Score: 1},
		{A: "man", B: "king", Score: 8}, {A: "queen", B: "unicorn", Score: 9},
	}}}
	sections := []datasets.AnalogySection{{Name: "family", Questions: []datasets.Analogy{
		{A: "man", B: "woman", C: "king", D: "queen"},
		{A: "man", B: "woman", C: "prince", D: "princess"},
	}}}
	report := wordvec.Evaluate(v, lists, sections, 300000)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	enc.Encode(report)
	// Output:
	// {
	//  "similarity": {
	//   "toy": {
	//    "spearman": 1,
	//    "pearson": 0.9775489446875355,
	//    "pairs": 3,
	//    "oov": 0.25
	//   }
	//  },
	//  "analogy": {
	//   "sections": {
	//    "family": {
	//     "3cosadd": 1,
	//     "3cosmul": 1,
	//     "questions": 1
	//    }
	//   },
	//   "total": {
	//    "3cosadd": 1,
	//    "3cosmul": 1,
	//    "questions": 1,
	//    "oov": 0.5
	//   }
	//  }
	// }
}

func ExampleNewEvaluator() {
	// A trainer's live embedding table: evaluated in place after each update.
	words := []string{"man", "woman", "king", "queen", "throne"}
	table := []float32{1, 0, -1, 0, 1, 1, 0.2, -1, -0.5, 1}
	v, _ := wordvec.NewVectors(words, 2, table)
	e := wordvec.NewEvaluator(v, nil, []datasets.AnalogySection{{Name: "family", Questions: []datasets.Analogy{
		{A: "man", B: "woman", C: "king", D: "queen"}}}}, 0)
	for epoch := 1; epoch <= 2; epoch++ {
		fmt.Printf("epoch %d: 3CosAdd %.0f\n", epoch, e.Analogies().Total.CosAdd)
		copy(table[6:8], []float32{-1.3, 0.7}) // training moves queen
	}
	// Output:
	// epoch 1: 3CosAdd 0
	// epoch 2: 3CosAdd 1
}
