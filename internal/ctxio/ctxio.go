package ctxio

import (
	"context"
	"io"
	"strconv"
	"unicode/utf8"
)

// Reader returns r reading only while ctx is not cancelled: once it is, Read
// returns ctx.Err() (context.Canceled or context.DeadlineExceeded). A nil ctx
// or one that is never cancelled returns r itself.
func Reader(ctx context.Context, r io.Reader) io.Reader {
	if ctx == nil || ctx.Done() == nil {
		return r
	}
	return &reader{ctx: ctx, r: r}
}

type reader struct {
	ctx context.Context
	r   io.Reader
}

func (r *reader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// QuoteLimit is how many bytes of file content Quote keeps.
const QuoteLimit = 80

// Quote returns s quoted as %q would, for an error message; when s is longer
// than QuoteLimit bytes only its first QuoteLimit bytes (cut at a rune
// boundary) are quoted, followed by "…" and the full length, so that a 10 MB
// "header" does not become a 10 MB error.
func Quote(s string) string {
	if len(s) <= QuoteLimit {
		return strconv.Quote(s)
	}
	cut := QuoteLimit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
