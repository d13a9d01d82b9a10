package datasets_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/mt2st/mt2st/datasets"
)

func ExampleReadIMDBTSV() {
	tsv := "label\trating\tid\ttext\n" +
		"pos\t9\t0\tBromwell High is a cartoon comedy.<br /><br />Great.\n" +
		"neg\t2\t5\tA waste of time.\n"
	err := datasets.ReadIMDBTSV(strings.NewReader(tsv), "train.tsv", func(r datasets.Review) error {
		fmt.Printf("id %s label %d rating %d: %s\n", r.ID, r.Label, r.Rating, r.Text)
		return nil
	})
	fmt.Println(err)

	bad := "label\trating\tid\ttext\nfoo\t9\t0\ttext\n"
	err = datasets.ReadIMDBTSV(strings.NewReader(bad), "imdb/train.tsv.gz", func(datasets.Review) error { return nil })
	fmt.Println(err)
	// Output:
	// id 0 label 1 rating 9: Bromwell High is a cartoon comedy.<br /><br />Great.
	// id 5 label 0 rating 2: A waste of time.
	// <nil>
	// imdb/train.tsv.gz line 2: label "foo": want pos or neg
}

func ExampleReadSimilarityList() {
	data := "Tiger\tcat\t7.35\nbook paper 7.46\n"
	list, err := datasets.ReadSimilarityList(strings.NewReader(data), "EN-WS-353-ALL", "EN-WS-353-ALL.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range list.Pairs {
		fmt.Println(p.A, p.B, p.Score)
	}
	// Output:
	// tiger cat 7.35
	// book paper 7.46
}

func ExampleReadAnalogies() {
	data := ": capital-common-countries\nAthens Greece Baghdad Iraq\n: family\nboy girl brother sister\n"
	sections, err := datasets.ReadAnalogies(strings.NewReader(data), "questions-words.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sections {
		for _, q := range s.Questions {
			fmt.Printf("%s: %s is to %s as %s is to %s\n", s.Name, q.A, q.B, q.C, q.D)
		}
	}
	// Output:
	// capital-common-countries: athens is to greece as baghdad is to iraq
	// family: boy is to girl as brother is to sister
}

func ExampleReadCoNLLU() {
	data := "# sent_id = example-1\n" +
		"1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\t_\n" +
		"1\tDo\tdo\tAUX\tVBP\t_\t3\taux\t_\t_\n" +
		"2\tn't\tnot\tPART\tRB\t_\t3\tadvmod\t_\t_\n" +
		"3\tstop\tstop\tVERB\tVB\t_\t0\troot\t_\t_\n"
	sentences, err := datasets.ReadCoNLLU(strings.NewReader(data), "example.conllu")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sentences {
		fmt.Println(s.ID)
		for _, tok := range s.Tokens {
			fmt.Println(" ", tok.Form, tok.UPOS, tok.XPOS)
		}
	}
	// Output:
	// example-1
	//   Do AUX VBP
	//   n't PART RB
	//   stop VERB VB
}

func ExampleDecodeWindows1252() {
	fmt.Println(datasets.DecodeWindows1252([]byte("a \x93gorgeous\x94 film\x85 caf\xe9")))
	// Output: a “gorgeous” film… café
}

// ResolveDir is how commands and tests find the data.
func ExampleResolveDir() {
	dir, err := datasets.ResolveDir("") // or the value of a --data flag
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // says where it looked and how to get the data
		return
	}
	train, err := datasets.LoadIMDB(dir, "train")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(len(train), "reviews")
}

// Fetch downloads the public originals, checked by sha256, into a data
// directory (here only two of the datasets).
func ExampleFetch() {
	opts := datasets.FetchOptions{Datasets: []string{"word-similarity", "analogy"}}
	if err := datasets.Fetch(context.Background(), "data", opts); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
}
