package tasks

import "strings"

// HashUnit maps (seed, key) to a number in [0,1) that is stable across runs,
// machines and Go versions (FNV-1a, then a 64-bit mix). Auxiliary tasks use it
// to split items into a training part and a reported part: an item is trained
// on when HashUnit(seed, key) < fraction.
func HashUnit(seed uint64, key string) float64 {
	h := uint64(14695981039346656037) ^ seed
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	// splitmix64 finaliser: spreads the FNV state over all bits.
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return float64(h>>11) / (1 << 53)
}

// PairKey is the split key of an unordered word pair: the two words
// lower-cased and in sorted order, so (a, b) and (b, a) are one pair.
func PairKey(a, b string) string {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if b < a {
		a, b = b, a
	}
	return a + " " + b
}

// IsTrainPair reports whether the unordered pair (a, b) is trained on under
// a seeded split that keeps frac of the pairs for training; namespace
// ("similarity", "analogy") keeps the splits of two tasks independent.
func IsTrainPair(namespace string, seed uint64, frac float64, a, b string) bool {
	return HashUnit(seed, namespace+"/"+PairKey(a, b)) < frac
}
