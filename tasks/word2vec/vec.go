package word2vec

// dotGo is the portable x·y.
func dotGo(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpyGo is the portable y += a·x.
func axpyGo(a float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// updateGo is the portable neu1e += g·row; row += g·l1.
func updateGo(g float32, l1, row, neu1e []float32) {
	row, neu1e = row[:len(l1)], neu1e[:len(l1)]
	for i, x := range l1 {
		r := row[i]
		neu1e[i] += g * r
		row[i] = r + g*x
	}
}
