package wordvec

// topK keeps the k best (score, row) candidates seen, best first. A higher
// score wins; equal scores go to the lower row, which makes the result
// independent of the order blocks are scanned in. (numpy's argpartition,
// which gensim uses, has no defined order among ties; exact ties between
// float32 cosines are rare enough that this is not chased.)
type topK struct {
	n     int
	score [analogyTopN]float32
	row   [analogyTopN]int32
}

// analogyTopN is gensim's topn=5 in evaluate_word_analogies.
const analogyTopN = 5

// beats reports whether (s, r) ranks before (t, q).
func beats(s float32, r int32, t float32, q int32) bool {
	return s > t || (s == t && r < q)
}

// full reports whether k candidates are held, so a new one must beat the last.
func (t *topK) full() bool { return t.n == analogyTopN }

// push inserts (s, r) if it ranks among the best k.
func (t *topK) push(s float32, r int32) {
	i := t.n
	if t.full() {
		if !beats(s, r, t.score[i-1], t.row[i-1]) {
			return
		}
		i--
	} else {
		t.n++
	}
	for i > 0 && beats(s, r, t.score[i-1], t.row[i-1]) {
		t.score[i], t.row[i] = t.score[i-1], t.row[i-1]
		i--
	}
	t.score[i], t.row[i] = s, r
}

// merge adds the candidates of o.
func (t *topK) merge(o *topK) {
	for i := 0; i < o.n; i++ {
		t.push(o.score[i], o.row[i])
	}
}
