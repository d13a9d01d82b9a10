package datasets

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadAnalogies(t *testing.T) {
	data := ": capital-common-countries\n" +
		"Athens Greece Baghdad Iraq\n" +
		"\n" +
		"athens  greece\tbangkok thailand\r\n" +
		": family\n" +
		":empty-section\n" +
		": gram1\n" +
		"calm calmly cheerful cheerfully"
	sections, err := ReadAnalogies(strings.NewReader(data), "q.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []AnalogySection{
		{Name: "capital-common-countries", Questions: []Analogy{
			{A: "athens", B: "greece", C: "baghdad", D: "iraq", Section: "capital-common-countries", Line: 2},
			{A: "athens", B: "greece", C: "bangkok", D: "thailand", Section: "capital-common-countries", Line: 4},
		}},
		{Name: "family"},
		{Name: "empty-section"},
		{Name: "gram1", Questions: []Analogy{
			{A: "calm", B: "calmly", C: "cheerful", D: "cheerfully", Section: "gram1", Line: 8},
		}},
	}
	if !reflect.DeepEqual(sections, want) {
		t.Fatalf("got %+v\nwant %+v", sections, want)
	}
	if got := Questions(sections); len(got) != 3 || got[2].D != "cheerfully" {
		t.Errorf("Questions = %+v", got)
	}
}

func TestReadAnalogiesErrors(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		fragment   string
	}{
		{"question before header", "\na b c d\n: s\n", 2, "before the first"},
		{"three words", ": s\na b c d\na b c\n", 3, "3 words, want 4"},
		{"five words", ": s\na b c d e\n", 2, "5 words, want 4"},
		{"empty header", ":\n", 1, "section header"},
		{"two-word header", ": two words\n", 1, "one-word name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadAnalogies(strings.NewReader(tt.data), "q.txt")
			wantLineError(t, err, "q.txt", tt.line, tt.fragment)
		})
	}
}

func TestLoadAnalogiesRealData(t *testing.T) {
	dir := realDataDir(t)
	sections, err := LoadAnalogies(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Per-section counts from analogy/SOURCE.md, in file order.
	want := []struct {
		name string
		n    int
	}{
		{"capital-common-countries", 506}, {"capital-world", 4524}, {"currency", 866},
		{"city-in-state", 2467}, {"family", 506}, {"gram1-adjective-to-adverb", 992},
		{"gram2-opposite", 812}, {"gram3-comparative", 1332}, {"gram4-superlative", 1122},
		{"gram5-present-participle", 1056}, {"gram6-nationality-adjective", 1599},
		{"gram7-past-tense", 1560}, {"gram8-plural", 1332}, {"gram9-plural-verbs", 870},
	}
	if len(sections) != len(want) {
		t.Fatalf("%d sections, want %d", len(sections), len(want))
	}
	for i, w := range want {
		if sections[i].Name != w.name || len(sections[i].Questions) != w.n {
			t.Errorf("section %d: %s with %d questions, want %s with %d", i, sections[i].Name, len(sections[i].Questions), w.name, w.n)
		}
	}
	all := Questions(sections)
	if len(all) != 19544 {
		t.Errorf("%d questions, want 19544", len(all))
	}
	// The first question of the file, lower-cased (SOURCE.md's example).
	if q := all[0]; q.A != "athens" || q.B != "greece" || q.C != "baghdad" || q.D != "iraq" || q.Line != 2 {
		t.Errorf("first question %+v, want athens greece baghdad iraq at line 2", q)
	}
	// 19,558 lines = 14 headers + 19,544 questions, so the last question is on line 19,558.
	if last := all[len(all)-1]; last.Line != 19558 {
		t.Errorf("last question on line %d, want 19558", last.Line)
	}
}
