package bench

import "testing"

// BenchmarkStep times one training step of every standard model at
// torch_ref.py's shapes (go test -bench Step ./bench). Filling
// the inputs is excluded from the timing.
func BenchmarkStep(b *testing.B) {
	for _, name := range Models {
		b.Run(name, func(b *testing.B) {
			s, err := New(name, 1)
			if err != nil {
				b.Fatal(err)
			}
			for range 3 { // warm-up: the first steps allocate the optimiser state and buffers
				s.Next()
				if _, err := s.Step(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				s.Next()
				b.StartTimer()
				if _, err := s.Step(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
