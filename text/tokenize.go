package text

import "unsafe"

// tokenByte[b] reports whether byte b (after ASCII lower-casing) belongs to a
// token: [a-z0-9'].
var tokenByte = func() (t [256]bool) {
	for b := 'a'; b <= 'z'; b++ {
		t[b] = true
	}
	for b := '0'; b <= '9'; b++ {
		t[b] = true
	}
	t['\''] = true
	return t
}()

// Tokenize returns the word tokens of s: s lower-cased (ASCII letters only),
// the HTML line breaks "<br />", "<br/>" and "<br>" (any letter case) removed,
// then every maximal run of [a-z0-9'] is a token. Everything else, including
// non-ASCII bytes, separates tokens.
//
// Tokens share memory with s where s is already lower-case; clone them
// (strings.Clone) before keeping a few tokens of a large text for long.
func Tokenize(s string) []string {
	return AppendTokens(nil, s)
}

// AppendTokens appends the tokens of s (as Tokenize defines them) to dst and
// returns the extended slice. Passing dst[:0] of a previous call reuses its
// storage; then the only allocation is one lower-cased copy of s when s
// contains upper-case ASCII letters.
func AppendTokens(dst []string, s string) []string {
	s = lowerASCII(s)
	n := len(s)
	for i := 0; i < n; {
		c := s[i]
		if tokenByte[c] {
			start := i
			i++
			for i < n && tokenByte[s[i]] {
				i++
			}
			dst = append(dst, s[start:i])
			continue
		}
		if c == '<' {
			i += lineBreakLen(s[i:])
			continue
		}
		i++
	}
	return dst
}

// lineBreakLen returns the length of the HTML line break at the start of s
// ("<br />", "<br/>" or "<br>", already lower-cased), or 1 when there is none,
// so that the caller skips the '<' alone.
func lineBreakLen(s string) int {
	if len(s) < 4 || s[1] != 'b' || s[2] != 'r' {
		return 1
	}
	switch {
	case s[3] == '>':
		return 4
	case len(s) >= 5 && s[3] == '/' && s[4] == '>':
		return 5
	case len(s) >= 6 && s[3] == ' ' && s[4] == '/' && s[5] == '>':
		return 6
	}
	return 1
}

// lowerASCII returns s with A-Z mapped to a-z, allocating only when s has an
// upper-case ASCII letter. Other bytes are unchanged: multi-byte UTF-8
// sequences never contain ASCII bytes, so they stay separators.
func lowerASCII(s string) string {
	first := -1
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			first = i
			break
		}
	}
	if first < 0 {
		return s
	}
	b := make([]byte, len(s))
	copy(b, s[:first])
	for i := first; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	// b is never written again, so the string may share its memory.
	return unsafe.String(&b[0], len(b))
}
