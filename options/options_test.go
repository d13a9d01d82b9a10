package options

import (
	"math"
	"reflect"
	"testing"
)

func TestParseRejectsNonFiniteAndWrongKinds(t *testing.T) {
	for _, text := range []string{"inf", "-Inf", "NaN", "1e400", "x"} {
		if _, err := Float.Parse(text); err == nil {
			t.Errorf("Float.Parse(%q) succeeded", text)
		}
	}
	if _, err := Int.Parse("1.5"); err == nil {
		t.Error("Int.Parse(1.5) succeeded")
	}
	if v, err := Strings.Parse(" a, b ,,c"); err != nil || !reflect.DeepEqual(v, []string{"a", "b", "c"}) {
		t.Errorf("Strings.Parse = %v, %v", v, err)
	}
}

func TestConvert(t *testing.T) {
	for _, c := range []struct {
		k    Kind
		in   any
		want any
	}{
		{Int, float64(3), int64(3)}, {Int, "7", int64(7)}, {Float, int64(2), 2.0},
		{Float, "0.50", 0.5}, {Bool, "true", true}, {String, "x", "x"},
	} {
		got, err := c.k.Convert(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v.Convert(%#v) = %#v, %v; want %#v", c.k, c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		k  Kind
		in any
	}{{Int, 2.5}, {Float, math.Inf(1)}, {Float, true}, {String, int64(1)}, {Bool, "maybe"}} {
		if _, err := c.k.Convert(c.in); err == nil {
			t.Errorf("%v.Convert(%#v) succeeded", c.k, c.in)
		}
	}
}

func TestParseAssignmentsKeepsListsTogether(t *testing.T) {
	got, err := ParseAssignments([]string{"a.b=1,c.d=x", "tasks=sentiment,skipgram"}, "--set")
	if err != nil {
		t.Fatal(err)
	}
	want := []Assignment{{"a.b", "1", "--set"}, {"c.d", "x", "--set"}, {"tasks", "sentiment,skipgram", "--set"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := ParseAssignments([]string{"novalue"}, "--set"); err == nil {
		t.Error("an item without '=' parsed")
	}
}
