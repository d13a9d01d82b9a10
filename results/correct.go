package results

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// EncodeCorrect packs per-example correctness (correct[i] for test example
// i, in test-split order) into Record.TestCorrect's compact form:
//
//	"<n>:<base64>"
//
// n is the number of examples in decimal and base64 (standard alphabet, with
// padding) encodes ⌈n/8⌉ bytes where example i is bit i%8 (least significant
// first) of byte i/8; unused high bits of the last byte are 0. 25,000 test
// reviews take about 4.2 kB. Nil or empty input gives "".
func EncodeCorrect(correct []bool) string {
	if len(correct) == 0 {
		return ""
	}
	bits := make([]byte, (len(correct)+7)/8)
	for i, c := range correct {
		if c {
			bits[i/8] |= 1 << (i % 8)
		}
	}
	return strconv.Itoa(len(correct)) + ":" + base64.StdEncoding.EncodeToString(bits)
}

// DecodeCorrect reverses EncodeCorrect; "" gives nil (not recorded). A
// malformed string — no count, bad base64, a byte count that does not match
// n, or set bits past n — is an error.
func DecodeCorrect(s string) ([]bool, error) {
	if s == "" {
		return nil, nil
	}
	count, data, ok := strings.Cut(s, ":")
	n, err := strconv.Atoi(count)
	if !ok || err != nil || n < 1 {
		return nil, fmt.Errorf("test correctness %q: want \"<n>:<base64>\"", shorten(s, 24))
	}
	bits, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("test correctness: %w", err)
	}
	if len(bits) != (n+7)/8 {
		return nil, fmt.Errorf("test correctness: %d bytes for %d examples, want %d", len(bits), n, (n+7)/8)
	}
	if r := n % 8; r != 0 && bits[len(bits)-1]>>r != 0 {
		return nil, fmt.Errorf("test correctness: bits set past example %d", n)
	}
	out := make([]bool, n)
	for i := range out {
		out[i] = bits[i/8]&(1<<(i%8)) != 0
	}
	return out, nil
}
