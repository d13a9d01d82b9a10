package wordvec

import (
	"math"
	"runtime"
	"strings"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/mt2st/mt2st/datasets"
	"github.com/mt2st/mt2st/metrics"
)

// EvaluateWordPairs correlates the cosine similarity of each pair with the
// human scores of list, as gensim's KeyedVectors.evaluate_word_pairs (see the
// package documentation for the exact semantics).
func EvaluateWordPairs(v *Vectors, list datasets.SimilarityList, restrictVocab int) PairResult {
	return NewEvaluator(v, []datasets.SimilarityList{list}, nil, restrictVocab).WordPairs()[0]
}

// EvaluateAnalogies answers every question of sections by 3CosAdd and 3CosMul,
// as gensim's KeyedVectors.evaluate_word_analogies (see the package
// documentation).
func EvaluateAnalogies(v *Vectors, sections []datasets.AnalogySection, restrictVocab int) AnalogyResult {
	return NewEvaluator(v, nil, sections, restrictVocab).Analogies()
}

// Evaluate runs every similarity list and analogy section.
func Evaluate(v *Vectors, lists []datasets.SimilarityList, sections []datasets.AnalogySection, restrictVocab int) Report {
	return NewEvaluator(v, lists, sections, restrictVocab).Evaluate()
}

// Evaluator holds benchmarks resolved against the words of one Vectors:
// which pairs and questions are in the vocabulary, and at which rows. Building
// it costs a pass over the words; each evaluation then reads v.Data afresh,
// so a trainer can build one Evaluator for its embedding table and evaluate
// it after every epoch. The words of v must not change. Methods are safe for
// concurrent use (they serialise on an internal buffer).
type Evaluator struct {
	v        *Vectors
	restrict int     // rows 0..restrict-1 are looked up and searched
	canon    []int32 // canon[i]: the row whose upper-cased word equals row i's, most frequent variant

	lists     []compiledList
	sections  []compiledSection
	questions []question // in-vocabulary questions, section after section
	unique    []int32    // distinct rows of the question words a, b, c
	asked     int        // all questions, including out-of-vocabulary ones

	mu   sync.Mutex
	unit []float32 // reused buffer: unit-normalised rows 0..restrict-1
}

type compiledList struct {
	name   string
	a, b   []int32
	gold   []float64
	total  int
	oovCnt int
}

type compiledSection struct {
	name       string
	start, end int // range in Evaluator.questions
}

// question is one in-vocabulary analogy a : b :: c : want, by canonical row;
// sa, sb, sc are the positions of a, b, c in Evaluator.unique.
type question struct {
	a, b, c, want int32
	sa, sb, sc    int32
}

// NewEvaluator resolves lists and sections against the words of v, which
// must be well formed (as NewVectors and the readers make it).
// restrictVocab limits lookups and the analogy search to the first
// restrictVocab words (gensim's restrict_vocab); 0 or less means all words
// (where gensim's restrict_vocab=0 would leave no word in the vocabulary).
func NewEvaluator(v *Vectors, lists []datasets.SimilarityList, sections []datasets.AnalogySection, restrictVocab int) *Evaluator {
	n := len(v.Words)
	if restrictVocab > 0 && restrictVocab < n {
		n = restrictVocab
	}
	e := &Evaluator{v: v, restrict: n, canon: make([]int32, n)}

	// gensim: ok_vocab = {k.upper(): index for k in reversed(first n keys)}, so
	// the lowest row (the most frequent case variant) wins.
	okVocab := make(map[string]int32, n)
	for i := n - 1; i >= 0; i-- {
		okVocab[strings.ToUpper(v.Words[i])] = int32(i)
	}
	for i := range n {
		e.canon[i] = okVocab[strings.ToUpper(v.Words[i])]
	}
	lookup := func(w string) (int32, bool) {
		i, ok := okVocab[strings.ToUpper(w)]
		return i, ok
	}

	for _, l := range lists {
		c := compiledList{name: l.Name, total: len(l.Pairs)}
		for _, p := range l.Pairs {
			a, okA := lookup(p.A)
			b, okB := lookup(p.B)
			if !okA || !okB {
				c.oovCnt++
				continue
			}
			c.a, c.b, c.gold = append(c.a, a), append(c.b, b), append(c.gold, p.Score)
		}
		e.lists = append(e.lists, c)
	}

	slot := make(map[int32]int32)
	slotOf := func(row int32) int32 {
		s, ok := slot[row]
		if !ok {
			s = int32(len(e.unique))
			slot[row] = s
			e.unique = append(e.unique, row)
		}
		return s
	}
	for _, sec := range sections {
		cs := compiledSection{name: sec.Name, start: len(e.questions)}
		for _, q := range sec.Questions {
			e.asked++
			a, okA := lookup(q.A)
			b, okB := lookup(q.B)
			c, okC := lookup(q.C)
			d, okD := lookup(q.D)
			if !okA || !okB || !okC || !okD {
				continue
			}
			e.questions = append(e.questions, question{a: a, b: b, c: c, want: d, sa: slotOf(a), sb: slotOf(b), sc: slotOf(c)})
		}
		cs.end = len(e.questions)
		e.sections = append(e.sections, cs)
	}
	return e
}

// Counts returns how many pairs of each list and how many questions of each
// section have all their words in the vocabulary: exactly the items that
// WordPairs and Analogies score, in the order given to NewEvaluator.
func (e *Evaluator) Counts() (pairs, questions []int) {
	pairs = make([]int, len(e.lists))
	for k, l := range e.lists {
		pairs[k] = len(l.a)
	}
	questions = make([]int, len(e.sections))
	for k, s := range e.sections {
		questions[k] = s.end - s.start
	}
	return pairs, questions
}

// Evaluate runs all lists and sections.
func (e *Evaluator) Evaluate() Report {
	return Report{Similarity: e.WordPairs(), Analogy: e.Analogies()}
}

// WordPairs evaluates every similarity list, in the order given.
func (e *Evaluator) WordPairs() []PairResult {
	out := make([]PairResult, len(e.lists))
	for k, l := range e.lists {
		model := make([]float64, len(l.a))
		for i := range l.a {
			model[i] = cosine(e.v.Row(int(l.a[i])), e.v.Row(int(l.b[i])))
		}
		r := PairResult{
			Name:     l.name,
			Spearman: metrics.Spearman(l.gold, model),
			Pearson:  metrics.Pearson(l.gold, model),
			Pairs:    len(l.a),
		}
		if l.total > 0 {
			r.OOV = float64(l.oovCnt) / float64(l.total)
		}
		out[k] = r
	}
	return out
}

// Analogies answers every in-vocabulary question by 3CosAdd and 3CosMul.
//
// Both objectives need, for each question, the cosine of every candidate
// word with a, b and c. Those are rows of one matrix product: the unit
// vectors of the distinct question words (a few hundred for the Google set)
// times the unit vocabulary. 3CosAdd ranks candidates by cos(w,b)+cos(w,c)-
// cos(w,a), which orders them exactly as gensim's cosine with
// unit(b̂+ĉ-â); 3CosMul uses the three cosines as most_similar_cosmul does.
// This is cheaper than one product per question (U ≪ questions). The
// vocabulary is processed in column blocks by one worker per core, each
// keeping per-question top-5 lists that are merged at the end.
func (e *Evaluator) Analogies() AnalogyResult {
	e.mu.Lock()
	defer e.mu.Unlock()
	res := AnalogyResult{Sections: make([]SectionResult, len(e.sections))}
	addTop, mulTop := e.searchTops()

	totalAdd, totalMul := 0, 0
	for k, s := range e.sections {
		add, mul := 0, 0
		for i := s.start; i < s.end; i++ {
			q := &e.questions[i]
			if e.predict(q, &addTop[i]) == q.want {
				add++
			}
			if e.predict(q, &mulTop[i]) == q.want {
				mul++
			}
		}
		n := s.end - s.start
		res.Sections[k] = SectionResult{Name: s.name, CosAdd: accuracy(add, n), CosMul: accuracy(mul, n), Questions: n}
		totalAdd += add
		totalMul += mul
	}
	n := len(e.questions)
	res.Total = AnalogyTotal{CosAdd: accuracy(totalAdd, n), CosMul: accuracy(totalMul, n), Questions: n}
	if e.asked > 0 {
		res.Total.OOV = float64(e.asked-n) / float64(e.asked)
	}
	return res
}

func accuracy(correct, n int) float64 {
	if n == 0 {
		return 0 // gensim's _log_evaluate_word_analogies: 0.0 with no predictions
	}
	return float64(correct) / float64(n)
}

// predict replays gensim's loop over most_similar(topn=5): take the first
// candidate whose upper-cased word is none of a, b, c (a different case
// variant of a question word is skipped too); if all five are, the last one
// stands. Returns the canonical row predicted, or -1 with no candidates.
func (e *Evaluator) predict(q *question, t *topK) int32 {
	predicted := int32(-1)
	for i := 0; i < t.n; i++ {
		predicted = e.canon[t.row[i]]
		if predicted != q.a && predicted != q.b && predicted != q.c {
			break
		}
	}
	return predicted
}

// blockCols is the number of vocabulary rows per matrix-product block: the
// U×blockCols cosine block stays within a core's cache for the scan.
const blockCols = 512

// searchTops returns, per question, the top-5 candidates (excluding the
// rows of a, b and c) among the first restrict rows by 3CosAdd and 3CosMul.
func (e *Evaluator) searchTops() (addTop, mulTop []topK) {
	nq := len(e.questions)
	addTop, mulTop = make([]topK, nq), make([]topK, nq)
	if nq == 0 {
		return addTop, mulTop
	}
	dim, n := e.v.Dim, e.restrict
	e.unit = e.v.unitRows(e.unit, n)
	u := len(e.unique)
	qm := make([]float32, u*dim)
	for s, row := range e.unique {
		copy(qm[s*dim:(s+1)*dim], e.unit[int(row)*dim:(int(row)+1)*dim])
	}

	blocks := (n + blockCols - 1) / blockCols
	workers := min(runtime.GOMAXPROCS(0), blocks)
	adds, muls := make([][]topK, workers), make([][]topK, workers)
	adds[0], muls[0] = addTop, mulTop
	var wg sync.WaitGroup
	for w := range workers {
		if w > 0 {
			adds[w], muls[w] = make([]topK, nq), make([]topK, nq)
		}
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			cos := make([]float32, u*blockCols)
			for blk := w; blk < blocks; blk += workers {
				j0 := blk * blockCols
				cols := min(blockCols, n-j0)
				blas32.Gemm(blas.NoTrans, blas.Trans, 1,
					blas32.General{Rows: u, Cols: dim, Stride: dim, Data: qm},
					blas32.General{Rows: cols, Cols: dim, Stride: dim, Data: e.unit[j0*dim : (j0+cols)*dim]},
					0, blas32.General{Rows: u, Cols: cols, Stride: cols, Data: cos[:u*cols]})
				for i := range e.questions {
					scanBlock(&e.questions[i], cos, cols, int32(j0), &adds[w][i], &muls[w][i])
				}
			}
		}(w)
	}
	wg.Wait()
	for w := 1; w < workers; w++ {
		for i := range nq {
			addTop[i].merge(&adds[w][i])
			mulTop[i].merge(&muls[w][i])
		}
	}
	return addTop, mulTop
}

// cosmulEpsilon is most_similar_cosmul's 0.000001, added to the denominator.
const cosmulEpsilon = float32(1e-6)

// scanBlock offers the block's candidates j0..j0+cols-1 to the question's
// top lists. cos holds the U×cols cosines of the block. Rows of a, b and c
// are excluded, as gensim excludes the indices of the query words.
func scanBlock(q *question, cos []float32, cols int, j0 int32, add, mul *topK) {
	ca := cos[int(q.sa)*cols : int(q.sa+1)*cols]
	cb := cos[int(q.sb)*cols : int(q.sb+1)*cols]
	cc := cos[int(q.sc)*cols : int(q.sc+1)*cols]
	cb, cc = cb[:len(ca)], cc[:len(ca)]
	addMin, mulMin := float32(math.Inf(-1)), float32(math.Inf(-1))
	if add.full() {
		addMin = add.score[analogyTopN-1]
	}
	if mul.full() {
		mulMin = mul.score[analogyTopN-1]
	}
	for j := range ca {
		// 3CosAdd. Ties with the current worst lose: rows come in ascending
		// order within a worker, and a lower row already holds the tie.
		if s := cb[j] + cc[j] - ca[j]; s > addMin {
			if r := j0 + int32(j); r != q.a && r != q.b && r != q.c {
				add.push(s, r)
				if add.full() {
					addMin = add.score[analogyTopN-1]
				}
			}
		}
		// 3CosMul, in float32 as numpy computes it:
		// ((1+cb)/2)·((1+cc)/2) / ((1+ca)/2 + 1e-6). The denominator is
		// positive, so num > min·den screens cheaply before dividing; the
		// 1e-6 relative slack keeps rounding from screening out a winner.
		num := (1 + cb[j]) / 2 * ((1 + cc[j]) / 2)
		den := (1+ca[j])/2 + cosmulEpsilon
		if num >= mulMin*den*(1-1e-6) {
			if s := num / den; s > mulMin {
				if r := j0 + int32(j); r != q.a && r != q.b && r != q.c {
					mul.push(s, r)
					if mul.full() {
						mulMin = mul.score[analogyTopN-1]
					}
				}
			}
		}
	}
}
