package strategies

import "testing"

// FuzzParse checks that Parse never panics, and that a spec it accepts
// round-trips: Parse(s.String()) succeeds and prints the same String().
// The seeds are the specs of the README's strategy table and of the tests.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"stl", "mtl:lambda=0.5", "diminish:gamma=1,eta=0.3,nu=1", "diminish-squared:alpha=0.95",
		"switch:epoch=15,lambda=1", "diminish:eta=0.3,analogy.eta=0.6", "mtl", "switch:epoch=0",
		"diminish:eta=1e-300", "mtl:lambda=NaN", "x:y=z", ":", "mtl:lambda=1,,", "mtl:similarity.lambda=2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := Parse(spec)
		if err != nil {
			return
		}
		printed := s.String()
		again, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but Parse of its String() %q: %v", spec, printed, err)
		}
		if again.String() != printed {
			t.Fatalf("Parse(%q).String() = %q, which parses back as %q", spec, printed, again.String())
		}
		// Weights must not panic either, for any epoch.
		for _, epoch := range []int{1, 2, 1000} {
			s.Weights(epoch, []string{"similarity", "analogy"}, History{})
		}
	})
}
