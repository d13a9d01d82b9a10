package datasets

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// errRetry marks a download attempt that broke off and may be resumed.
var errRetry = errors.New("interrupted")

// resumable downloads u into dest: the bytes go to dest+".part", which a
// later attempt (in this call, or the next Fetch) continues with an HTTP
// Range request. A server that ignores the Range (status 200) or refuses it
// (416) makes the download start again from the first byte. Once the body
// is complete, the size and the sha256 of the whole .part file are checked
// and it is renamed to dest; a mismatch deletes it. It returns the size.
func (f *fetcher) resumable(ctx context.Context, u string, src Source, dest string) (int64, error) {
	part := dest + ".part"
	attempts := f.opts.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	bar := newProgress(f.opts.Progress, f.opts.ProgressRedraw, src.Path, src.Size)
	var err error
	for attempt := 1; attempt <= attempts; attempt++ {
		var progressed bool
		progressed, err = f.attempt(ctx, u, src, part, bar)
		if err == nil || !errors.Is(err, errRetry) || ctx.Err() != nil {
			break
		}
		f.log.Warn("download broke off, resuming", "url", u, "attempt", attempt, "err", err)
		if !progressed && attempt < attempts {
			// Nothing came through: wait a little before asking again.
			select {
			case <-ctx.Done():
			case <-time.After(time.Duration(attempt) * 500 * time.Millisecond):
			}
		}
	}
	if err != nil {
		bar.abort()
		return 0, err
	}
	n, err := verifyPart(part, src)
	if err != nil {
		os.Remove(part)
		return 0, err
	}
	if err := os.Rename(part, dest); err != nil {
		return 0, err
	}
	bar.finish()
	return n, nil
}

// attempt makes one request, appending to part when the server honours the
// Range. progressed says whether any byte came through. An error wrapping
// errRetry means the attempt broke off and may be resumed.
func (f *fetcher) attempt(ctx context.Context, u string, src Source, part string, bar *progress) (progressed bool, err error) {
	have := int64(0)
	if info, err := os.Stat(part); err == nil {
		have = info.Size()
		if src.Size > 0 && have > src.Size {
			have = 0 // longer than the file: start again
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, err
	}
	if have > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(have, 10)+"-")
	}
	resp, err := f.client.Do(req)
	if err != nil {
		// No connection (no network, unknown host, refused): not retried, so
		// an offline machine fails at once; a resumed download is.
		if have > 0 {
			return false, fmt.Errorf("%w: %v", errRetry, err)
		}
		return false, err
	}
	defer resp.Body.Close()
	flags := os.O_WRONLY | os.O_CREATE
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0 && rangeStart(resp.Header.Get("Content-Range")) == have:
		flags |= os.O_APPEND
	case resp.StatusCode == http.StatusOK:
		flags |= os.O_TRUNC // no Range asked, or the server ignored it
		have = 0
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		os.Remove(part)
		return false, fmt.Errorf("%w: the server refused to resume at byte %d: starting again", errRetry, have)
	default:
		return false, fmt.Errorf("HTTP status %s", resp.Status)
	}
	out, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return false, err
	}
	bar.start(have)
	body := io.Reader(resp.Body)
	if src.Size > 0 {
		// At most one byte more than expected, so a wrong size shows without
		// downloading an endless body.
		body = io.LimitReader(body, src.Size+1-have)
	}
	n, copyErr := io.Copy(io.MultiWriter(out, bar), body)
	closeErr := out.Close()
	if copyErr != nil {
		return n > 0, fmt.Errorf("%w after %d bytes: %v", errRetry, have+n, copyErr)
	}
	if closeErr != nil {
		return n > 0, closeErr
	}
	return n > 0, nil
}

// rangeStart parses the first byte of "bytes START-END/TOTAL"; -1 when it
// cannot.
func rangeStart(contentRange string) int64 {
	rest, ok := strings.CutPrefix(contentRange, "bytes ")
	if !ok {
		return -1
	}
	start, _, ok := strings.Cut(rest, "-")
	if !ok {
		return -1
	}
	n, err := strconv.ParseInt(start, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// verifyPart checks the size and sha256 of a complete .part file.
func verifyPart(part string, src Source) (int64, error) {
	info, err := os.Stat(part)
	if err != nil {
		return 0, err
	}
	if n := info.Size(); src.Size > 0 && n != src.Size {
		more := ""
		if n > src.Size {
			more = " or more"
		}
		return n, fmt.Errorf("size mismatch: want %d bytes, got %d%s", src.Size, n, more)
	}
	got, err := fileSHA256(part)
	if err != nil {
		return 0, err
	}
	if got != src.SHA256 {
		return 0, fmt.Errorf("sha256 mismatch: want %s, got %s", src.SHA256, got)
	}
	return info.Size(), nil
}
