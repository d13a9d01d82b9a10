package wordvec

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustVectors(t testing.TB, words []string, dim int, data []float32) *Vectors {
	t.Helper()
	v, err := NewVectors(words, dim, data)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sameVectors(t *testing.T, got, want *Vectors) {
	t.Helper()
	if got.Dim != want.Dim || len(got.Words) != len(want.Words) || len(got.Data) != len(want.Data) {
		t.Fatalf("shape %d×%d (%d values), want %d×%d (%d values)", len(got.Words), got.Dim, len(got.Data), len(want.Words), want.Dim, len(want.Data))
	}
	for i := range want.Words {
		if got.Words[i] != want.Words[i] {
			t.Fatalf("word %d = %q, want %q", i, got.Words[i], want.Words[i])
		}
	}
	for i := range want.Data {
		if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
			t.Fatalf("value %d = %v, want %v (bitwise)", i, got.Data[i], want.Data[i])
		}
	}
}

func TestReadText(t *testing.T) {
	// As gensim's save_word2vec_format writes it, plus a CRLF line, a tab and a
	// trailing space (gensim rstrips lines).
	in := "3 2\nthe 0.5 -1.25\nof 1e-05 3\r\nand\t-0 7 \n\n"
	v, err := ReadWord2Vec(strings.NewReader(in), "x.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := mustVectors(t, []string{"the", "of", "and"}, 2, []float32{0.5, -1.25, 1e-5, 3, float32(math.Copysign(0, -1)), 7})
	sameVectors(t, v, want)
	if i, ok := v.Index("of"); !ok || i != 1 {
		t.Errorf("Index(of) = %d, %v; want 1, true", i, ok)
	}
	if _, ok := v.Index("OF"); ok {
		t.Error("Index is case-sensitive, but found OF")
	}
	// float32 rounding as gensim's np.float32(x): 0.1 is not exactly representable.
	v, err = ReadWord2Vec(strings.NewReader("1 1\na 0.1\n"), "x")
	if err != nil || v.Data[0] != float32(0.1) {
		t.Errorf("0.1 read as %v (err %v), want float32(0.1)", v.Data, err)
	}
}

func TestReadErrorsNameFileAndLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "v.txt: empty file"},
		{"3\n", "v.txt line 1: header"},
		{"2 x\n", "v.txt line 1: header"},
		{"1 0\na\n", "v.txt line 1: header: dimension 0"},
		{"2 2\na 1 2\nb 1\n", "v.txt line 3: 1 values after the word, want 2"},
		{"2 2\na 1 2\nb 1 2 3\n", "v.txt line 3: 3 values after the word, want 2"},
		{"2 2\na 1 2\nb 1 z\n", `v.txt line 3: word "b" value 2: bad number "z"`},
		{"2 2\na 1 2\nb 1 NaN\n", `v.txt line 3: word "b" value 2: non-finite "NaN"`},
		{"2 2\na 1 2\na 3 4\n", `v.txt line 3: duplicate word "a"`},
		{"3 2\na 1 2\nb 3 4\n", "v.txt: header says 3 words, found 2"},
		{"1 2\na 1 2\nb 3 4\n", "v.txt line 3: more words than the 1 in the header"},
		{"1 1\n\xff 1\n", "v.txt line 2: word \"\\xff\" is not valid UTF-8"},
		{"1 70000\n", "dimension 70000 outside"},
	}
	for _, c := range cases {
		_, err := ReadWord2Vec(strings.NewReader(c.in), "v.txt")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ReadWord2Vec(%q): error %v, want it to contain %q", c.in, err, c.want)
		}
	}
}

func TestBinaryRoundTrip(t *testing.T) {
	v := mustVectors(t, []string{"the", "naïve", "x"}, 3, []float32{0.1, -2, 3e-9, 1, 0, -0.5, 123456.78, 1e-30, 2})
	var buf bytes.Buffer
	if err := v.WriteWord2VecBinary(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := ReadWord2Vec(bytes.NewReader(buf.Bytes()), "v.bin")
	if err != nil {
		t.Fatal(err)
	}
	sameVectors(t, got, v)

	// gensim's writer puts no newline after a vector; the reader takes both.
	noNewline := bytes.ReplaceAll(buf.Bytes(), []byte("\nnaïve"), []byte("naïve"))
	noNewline = bytes.ReplaceAll(noNewline, []byte("\nx "), []byte("x "))
	if got, err = ReadWord2Vec(bytes.NewReader(noNewline), "v.bin"); err != nil {
		t.Fatal(err)
	}
	sameVectors(t, got, v)

	if _, err := ReadWord2Vec(bytes.NewReader(buf.Bytes()[:buf.Len()-5]), "v.bin"); err == nil ||
		!strings.Contains(err.Error(), `v.bin word 3 ("x")`) {
		t.Errorf("truncated binary file: error %v, want one naming word 3", err)
	}
}

func TestTextRoundTripIsExact(t *testing.T) {
	v := mustVectors(t, []string{"a", "b"}, 4, []float32{0.1, -1.0000001, 3.4028235e38, 1.4e-45, 1 / 3.0, 7, -0.0, 2e-7})
	var buf bytes.Buffer
	if err := v.WriteWord2Vec(&buf); err != nil {
		t.Fatal(err)
	}
	if want := "2 4\na 0.1 -1.0000001 3.4028235e+38 1e-45\n"; !strings.HasPrefix(buf.String(), want) {
		t.Errorf("text output starts %q, want %q", buf.String()[:len(want)], want)
	}
	got, err := ReadWord2Vec(&buf, "round trip")
	if err != nil {
		t.Fatal(err)
	}
	sameVectors(t, got, v)
}

func TestWriteRejectsUnreadableTables(t *testing.T) {
	bad := []*Vectors{
		{Words: []string{"a b"}, Dim: 1, Data: []float32{1}},
		{Words: []string{"a"}, Dim: 2, Data: []float32{1}},
		{Words: []string{"a"}, Dim: 1, Data: []float32{float32(math.Inf(1))}},
	}
	for _, v := range bad {
		if err := v.WriteWord2Vec(&bytes.Buffer{}); err == nil {
			t.Errorf("WriteWord2Vec(%v): no error", v.Words)
		}
	}
}

func TestWriteFileAtomicAndGzip(t *testing.T) {
	dir := t.TempDir()
	v := mustVectors(t, []string{"a", "b"}, 2, []float32{1, 2, 3, 4})
	for _, name := range []string{"v.txt", "v.txt.gz"} {
		path := filepath.Join(dir, name)
		if err := v.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sameVectors(t, got, v)
		raw, _ := os.ReadFile(path)
		if gz := len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b; gz != strings.HasSuffix(name, ".gz") {
			t.Errorf("%s: gzip magic %v", name, gz)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d files after two writes, want 2 (temporary files left?)", len(entries))
	}
	// A failed write leaves the previous file untouched.
	bad := &Vectors{Words: []string{"x y"}, Dim: 1, Data: []float32{1}}
	path := filepath.Join(dir, "v.txt")
	if err := bad.WriteFile(path); err == nil {
		t.Fatal("WriteFile of an unwritable table: no error")
	}
	if got, err := ReadFile(path); err != nil || got.Len() != 2 {
		t.Errorf("after a failed write: %v, %v; want the old 2-word file", got, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("failed write left %d files, want 2", len(entries))
	}
}

func TestReadFileGzipText(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("1 3\nword 1 2 3\n"))
	zw.Close()
	path := filepath.Join(t.TempDir(), "v.gz")
	os.WriteFile(path, buf.Bytes(), 0o644)
	v, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sameVectors(t, v, mustVectors(t, []string{"word"}, 3, []float32{1, 2, 3}))
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("ReadFile of a missing file: no error")
	}
}

func TestNewVectorsChecksShape(t *testing.T) {
	if _, err := NewVectors([]string{"a"}, 2, []float32{1}); err == nil {
		t.Error("1 value for 1×2: no error")
	}
	if _, err := NewVectors([]string{"a", "a"}, 1, []float32{1, 2}); err == nil {
		t.Error("duplicate word: no error")
	}
	data := []float32{3, 4}
	v := mustVectors(t, []string{"a"}, 2, data)
	data[0] = 6 // shared, not copied
	if x, _ := v.Vector("a"); x[0] != 6 {
		t.Errorf("NewVectors copied the data: %v", x)
	}
}

func FuzzReadWord2Vec(f *testing.F) {
	f.Add([]byte("2 3\nthe 0.1 0.2 0.3\nof -1 2e-5 7\n"))
	f.Add([]byte("1 2\nword 1 2"))
	f.Add([]byte("0 5\n"))
	f.Add([]byte("2 2\na 1 2\na 3 4\n"))
	var bin bytes.Buffer
	mustVectors(f, []string{"x", "yz"}, 2, []float32{1, -2, 0.5, 3e10}).WriteWord2VecBinary(&bin)
	f.Add(bin.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		// The forced readers must not panic either.
		ReadWord2VecText(bytes.NewReader(in), "fuzz")
		ReadWord2VecBinary(bytes.NewReader(in), "fuzz")
		v, err := ReadWord2Vec(bytes.NewReader(in), "fuzz")
		if err != nil {
			return
		}
		if v.Dim < 1 || len(v.Data) != len(v.Words)*v.Dim {
			t.Fatalf("shape %d words × %d, %d values", len(v.Words), v.Dim, len(v.Data))
		}
		// Whatever was read writes back and reads again identically, in both formats.
		var text, binary bytes.Buffer
		if err := v.WriteWord2Vec(&text); err != nil {
			t.Fatalf("write text: %v", err)
		}
		if err := v.WriteWord2VecBinary(&binary); err != nil {
			t.Fatalf("write binary: %v", err)
		}
		again, err := ReadWord2Vec(bytes.NewReader(text.Bytes()), "again")
		if err != nil {
			t.Fatalf("re-read text %q: %v", text.Bytes(), err)
		}
		sameVectors(t, again, v)
		// Auto-detection can take a binary file whose first vector spells
		// digits for text, so the binary round trip names its format.
		again, err = ReadWord2VecBinary(bytes.NewReader(binary.Bytes()), "again")
		if err != nil {
			t.Fatalf("re-read binary %q: %v", binary.Bytes(), err)
		}
		sameVectors(t, again, v)
	})
}

func TestReadHugeHeaderDoesNotOverallocate(t *testing.T) {
	// count × dim overflows int; the reader must fail on the missing words, not panic.
	_, err := ReadWord2Vec(strings.NewReader("4611686018427387904 65536\na 1\n"), "big")
	if err == nil || !strings.Contains(err.Error(), "big") {
		t.Errorf("error %v, want a read error naming the file", err)
	}
}
