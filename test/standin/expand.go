package main

import (
	"fmt"
	"strings"
)

// lookupFunc finds the value of a variable for ${VAR} substitution.
type lookupFunc func(name string) (string, bool)

// shellWords processes s as Docker's shell lexer does for COPY, FROM, WORKDIR…: $VAR, ${VAR}
// and ${VAR:-word} / ${VAR-word} / ${VAR:+word} / ${VAR+word} / ${VAR:?msg} are substituted,
// quotes are removed ('…' literal, "…" with substitution) and a backslash escapes the next
// character. With split, unquoted whitespace separates words; without, s is one word.
func shellWords(s string, lookup lookupFunc, split bool) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, cur.String())
		}
		cur.Reset()
		inWord = false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case split && (ch == ' ' || ch == '\t' || ch == '\n'):
			flush()
		case ch == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case ch == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unexpected end of statement while looking for matching single-quote")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case ch == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				switch {
				case s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"$\\`", s[i+1]) >= 0:
					i++
					cur.WriteByte(s[i])
				case s[i] == '$':
					n, val, err := expandVar(s[i:], lookup)
					if err != nil {
						return nil, err
					}
					cur.WriteString(val)
					i += n - 1
				default:
					cur.WriteByte(s[i])
				}
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unexpected end of statement while looking for matching double-quote")
			}
			inWord = true
		case ch == '$':
			n, val, err := expandVar(s[i:], lookup)
			if err != nil {
				return nil, err
			}
			i += n - 1
			if !split {
				cur.WriteString(val)
				inWord = true
				continue
			}
			// Unquoted, the value is split into words too; an empty one adds none.
			for j := 0; j < len(val); j++ {
				if val[j] == ' ' || val[j] == '\t' || val[j] == '\n' {
					flush()
				} else {
					cur.WriteByte(val[j])
					inWord = true
				}
			}
		default:
			cur.WriteByte(ch)
			inWord = true
		}
	}
	flush()
	if !split && len(words) == 0 {
		words = []string{""}
	}
	return words, nil
}

// expandWord substitutes variables in s and removes its quotes, keeping whitespace.
func expandWord(s string, lookup lookupFunc) (string, error) {
	words, err := shellWords(s, lookup, false)
	if err != nil {
		return "", err
	}
	return words[0], nil
}

func isNameChar(c byte, first bool) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9')
}

// expandVar expands the variable reference at the start of s (which begins with '$') and
// returns how many bytes it used and its value. A '$' not followed by a name stays as is.
func expandVar(s string, lookup lookupFunc) (int, string, error) {
	if len(s) < 2 {
		return 1, "$", nil
	}
	if s[1] != '{' {
		n := 1
		for n < len(s) && isNameChar(s[n], n == 1) {
			n++
		}
		if n == 1 {
			return 1, "$", nil
		}
		v, _ := lookup(s[1:n])
		return n, v, nil
	}
	depth, end := 0, -1
	for i := 1; i < len(s); i++ {
		if s[i] == '{' {
			depth++
		} else if s[i] == '}' {
			depth--
			if depth == 0 {
				end = i
				break
			}
		}
	}
	if end < 0 {
		return 0, "", fmt.Errorf("missing '}' in %q", s)
	}
	body := s[2:end]
	n := 0
	for n < len(body) && isNameChar(body[n], n == 0) {
		n++
	}
	name, op := body[:n], body[n:]
	if name == "" {
		return 0, "", fmt.Errorf("bad substitution: %q", s[:end+1])
	}
	val, set := lookup(name)
	if op == "" {
		return end + 1, val, nil
	}
	colon := strings.HasPrefix(op, ":")
	op = strings.TrimPrefix(op, ":")
	if op == "" {
		return 0, "", fmt.Errorf("bad substitution: %q", s[:end+1])
	}
	present := set && (!colon || val != "")
	word, err := expandWord(op[1:], lookup)
	if err != nil {
		return 0, "", err
	}
	switch op[0] {
	case '-':
		if !present {
			val = word
		}
	case '+':
		if present {
			val = word
		} else {
			val = ""
		}
	case '?':
		if !present {
			return 0, "", fmt.Errorf("%s: %s", name, word)
		}
	default:
		return 0, "", fmt.Errorf("unsupported modifier (%c) in substitution %q", op[0], s[:end+1])
	}
	return end + 1, val, nil
}

// rawWords splits s on unquoted whitespace, keeping quotes and backslashes in the words; ENV,
// LABEL and ARG split their key=value pairs this way before expanding each value.
func rawWords(s string) []string {
	var words []string
	var cur strings.Builder
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quote == 0 && (ch == ' ' || ch == '\t' || ch == '\n'):
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
			continue
		case ch == '\\' && i+1 < len(s) && quote != '\'':
			cur.WriteByte(ch)
			i++
			ch = s[i]
		case quote == 0 && (ch == '\'' || ch == '"'):
			quote = ch
		case ch == quote:
			quote = 0
		}
		cur.WriteByte(ch)
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}

// keyValues reads `k=v k2="v 2"` (or the legacy `k v w` form when allowLegacy and the first
// word holds no `=`), expanding keys and values.
func keyValues(s string, lookup lookupFunc, allowLegacy bool) ([][2]string, error) {
	words := rawWords(s)
	if len(words) == 0 {
		return nil, fmt.Errorf("requires at least one argument")
	}
	if allowLegacy && !strings.Contains(words[0], "=") {
		key := words[0]
		rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), key))
		if rest == "" {
			return nil, fmt.Errorf("%s must have two arguments", key)
		}
		value, err := expandWord(rest, lookup)
		return [][2]string{{key, value}}, err
	}
	var pairs [][2]string
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok {
			return nil, fmt.Errorf("syntax error - can't find = in %q. Must be of the form: name=value", w)
		}
		key, err := expandWord(k, lookup)
		if err != nil {
			return nil, err
		}
		value, err := expandWord(v, lookup)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, [2]string{key, value})
	}
	return pairs, nil
}
