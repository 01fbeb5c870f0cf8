package main

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// ignoreRule is one line of a .dockerignore: a pattern, or an exception (`!pattern`).
type ignoreRule struct {
	re        *regexp.Regexp
	exception bool
}

// dockerignore decides which context paths COPY and ADD leave out, with Docker's rules: the
// last matching line wins, a pattern also matches everything below a directory it matches,
// `**` matches any number of directories.
type dockerignore struct {
	rules         []ignoreRule
	hasExceptions bool
}

// loadDockerignore reads <context>/.dockerignore; none means nothing is ignored.
func loadDockerignore(context string) (*dockerignore, bool, error) {
	f, err := os.Open(filepath.Join(context, ".dockerignore"))
	if os.IsNotExist(err) {
		return &dockerignore{}, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, false, err
	}
	d, err := newDockerignore(lines)
	return d, true, err
}

func newDockerignore(lines []string) (*dockerignore, error) {
	d := &dockerignore{}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rule := ignoreRule{}
		if strings.HasPrefix(line, "!") {
			rule.exception, d.hasExceptions = true, true
			line = strings.TrimSpace(line[1:])
		}
		pattern := strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(line)), "/")
		re, err := regexp.Compile(patternRegexp(pattern))
		if err != nil {
			return nil, err
		}
		rule.re = re
		d.rules = append(d.rules, rule)
	}
	return d, nil
}

// patternRegexp turns a .dockerignore pattern into an anchored regular expression.
func patternRegexp(p string) string {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '*' && i+1 < len(p) && p[i+1] == '*':
			i++
			if i+1 < len(p) && p[i+1] == '/' {
				i++
				b.WriteString("(.*/)?")
			} else {
				b.WriteString(".*")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		case c == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := p[i+1 : i+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + class + "]")
			i += end
		case c == '\\' && i+1 < len(p):
			i++
			b.WriteString(regexp.QuoteMeta(string(p[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return b.String()
}

// ignored tells whether rel (slash-separated, relative to the context) is left out.
func (d *dockerignore) ignored(rel string) bool {
	rel = strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(rel)), "/")
	if rel == "" {
		return false
	}
	matched := false
	for _, r := range d.rules {
		for p := rel; p != "."; p = path.Dir(p) {
			if r.re.MatchString(p) {
				matched = !r.exception
				break
			}
		}
	}
	return matched
}

// prunable tells whether a walk may skip an ignored directory: only when no exception could
// bring back something inside it.
func (d *dockerignore) prunable(rel string) bool {
	return !d.hasExceptions && d.ignored(rel)
}
