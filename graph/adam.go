package graph

import "math"

// Adam holds the optimiser settings shared by dense parameters and embedding
// tables. The update is torch.optim.Adam's (and SparseAdam's for tables):
//
//	m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²
//	w -= (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε)
type Adam struct {
	LR    float64 `json:"lr"`
	Beta1 float64 `json:"beta1"`
	Beta2 float64 `json:"beta2"`
	Eps   float64 `json:"eps"`
}

// DefaultAdam is PyTorch's default Adam with the paper's learning rate 1e-3.
func DefaultAdam() Adam { return Adam{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8} }

// coefficients returns the per-step constants of the update for step t ≥ 1.
func (a Adam) coefficients(t int) (stepSize, invSqrtBC2 float32) {
	bc1 := 1 - math.Pow(a.Beta1, float64(t))
	bc2 := 1 - math.Pow(a.Beta2, float64(t))
	return float32(a.LR / bc1), float32(1 / math.Sqrt(bc2))
}

// adamConsts are the per-step constants of the update, laid out for the
// vector loop.
type adamConsts struct {
	b1, c1, b2, c2, stepSize, invSqrtBC2, eps float32
}

func (a Adam) consts(stepSize, invSqrtBC2 float32) adamConsts {
	b1, b2 := float32(a.Beta1), float32(a.Beta2)
	return adamConsts{b1: b1, c1: 1 - b1, b2: b2, c2: 1 - b2, stepSize: stepSize, invSqrtBC2: invSqrtBC2, eps: float32(a.Eps)}
}

// update applies one Adam step to w from gradient g, in place: the vector
// loop, then the same arithmetic on the tail.
func (k *adamConsts) update(w, g, m, v []float32) {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	for i := vecAdam(w, g, m, v, k); i < len(w); i++ {
		gi := g[i]
		mi := k.b1*m[i] + k.c1*gi
		vi := k.b2*v[i] + k.c2*gi*gi
		m[i], v[i] = mi, vi
		w[i] -= k.stepSize * mi / (sqrt32(vi)*k.invSqrtBC2 + k.eps)
	}
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
