package datasets

// Review is one IMDB (or rt-polarity) review.
type Review struct {
	ID     string // the original file id, e.g. "0" for train/pos/0_9.txt
	Label  int    // 1 = positive, 0 = negative, -1 = unlabelled
	Rating int    // 1-10 as in the original file name; 0 when unknown
	Text   string // raw text as in the file (HTML line breaks kept)
}

// Label values of Review.Label.
const (
	Negative   = 0
	Positive   = 1
	Unlabelled = -1
)

// WordPair is one line of a word-similarity list.
type WordPair struct {
	A, B  string  // lower-cased
	Score float64 // human score, in the list's own range
	Line  int     // 1-based line number in the file
}

// SimilarityList is one word-similarity benchmark file.
type SimilarityList struct {
	Name  string // file name without ".txt", e.g. "EN-WS-353-ALL"
	Path  string
	Pairs []WordPair
}

// Analogy is one question a : b :: c : d of the Google analogy set.
type Analogy struct {
	A, B, C, D string // lower-cased
	Section    string
	Line       int // 1-based line number in the file
}

// AnalogySection is one ": name" block of questions-words.txt, in file order.
type AnalogySection struct {
	Name      string
	Questions []Analogy
}

// Token is one syntactic word of a CoNLL-U sentence (multiword-token ranges and
// empty nodes are not Tokens).
type Token struct {
	Form string
	UPOS string
	XPOS string
}

// Sentence is one CoNLL-U sentence.
type Sentence struct {
	ID     string // the "# sent_id = ..." comment, if any
	Tokens []Token
	Line   int // 1-based line number of the sentence's first line
}
