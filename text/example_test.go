package text_test

import (
	"fmt"

	"github.com/mt2st/mt2st/text"
)

func ExampleTokenize() {
	fmt.Printf("%q\n", text.Tokenize("I'll admit: it's GREAT.<br /><br />10/10, naïve fun!"))
	// Output: ["i'll" "admit" "it's" "great" "10" "10" "na" "ve" "fun"]
}

func ExampleAppendTokens() {
	reviews := []string{"A fine film.", "Not a fine film<br />at all."}
	var counter text.Counter
	tokens := make([]string, 0, 64) // reused for every review
	for _, r := range reviews {
		tokens = text.AppendTokens(tokens[:0], r)
		counter.Add(tokens)
	}
	fmt.Println(counter.Count("film"), counter.Count("at"), counter.Total())
	// Output: 2 1 9
}

func ExampleBuildVocab() {
	var counter text.Counter
	counter.Add(text.Tokenize("the cat saw the dog and the bird; a cat ran"))
	vocab := text.BuildVocab(counter, 2, 0) // words seen at least twice
	fmt.Println(vocab.Words())
	fmt.Println(vocab.Encode(text.Tokenize("The cat and the fish"), nil))
	fmt.Println(vocab.Count(text.UnknownID), "tokens fall under", vocab.Word(text.UnknownID))
	// Output:
	// [<unk> the cat]
	// [1 2 0 1 0]
	// 6 tokens fall under <unk>
}

func ExampleNewVocab() {
	vocab := text.NewVocab([]string{"good", "bad"}) // e.g. the rows of a vectors file
	id, ok := vocab.Lookup("bad")
	fmt.Println(vocab.Len(), id, ok, vocab.ID("ugly"))
	// Output: 3 2 true 0
}
