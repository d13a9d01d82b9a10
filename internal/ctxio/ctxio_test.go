package ctxio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReaderStopsAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r := Reader(ctx, strings.NewReader("abcdef"))
	buf := make([]byte, 3)
	if n, err := r.Read(buf); n != 3 || err != nil {
		t.Fatalf("before cancel: Read = %d, %v; want 3, nil", n, err)
	}
	cancel()
	if n, err := r.Read(buf); n != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: Read = %d, %v; want 0, context.Canceled", n, err)
	}
}

func TestReaderUncancellableIsPassThrough(t *testing.T) {
	src := strings.NewReader("x")
	if r := Reader(context.Background(), src); r != io.Reader(src) {
		t.Fatalf("Reader(Background, r) = %T, want r itself", r)
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("a\tb"); got != `"a\tb"` {
		t.Fatalf("Quote(short) = %s", got)
	}
	long := strings.Repeat("x", 10<<20)
	got := Quote(long)
	want := `"` + strings.Repeat("x", QuoteLimit) + `"… (10485760 bytes)`
	if got != want {
		t.Fatalf("Quote(10 MiB) = %.120s…, want %s", got, want)
	}
	// A cut inside a multi-byte rune backs off to the rune's start.
	s := strings.Repeat("x", QuoteLimit-1) + "é" + "tail"
	if got := Quote(s); !strings.HasPrefix(got, `"`+strings.Repeat("x", QuoteLimit-1)+`"…`) {
		t.Fatalf("Quote cut a rune: %s", got)
	}
	if !bytes.Equal([]byte(Quote("")), []byte(`""`)) {
		t.Fatalf("Quote(\"\") = %s", Quote(""))
	}
}
