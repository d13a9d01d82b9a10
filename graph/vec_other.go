//go:build !amd64

package graph

// Off amd64 only the portable loops run.
var useAVX2 = false

func vecAdam(w, g, m, v []float32, k *adamConsts) int { return 0 }
func vecAdd(dst, src []float32) int                   { return 0 }
func vecScale(dst, src []float32, a float32) int      { return 0 }
func vecAxpy(dst, src []float32, a float32) int       { return 0 }

func prefetch(x []float32) {}
