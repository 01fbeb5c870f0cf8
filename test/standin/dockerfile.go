package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// instruction is one Dockerfile instruction with its continuation lines joined.
type instruction struct {
	Command string // upper case: FROM, RUN, COPY, ...
	Line    string // the whole instruction, as logged and recorded in the history
	Flags   map[string]string
	Rest    string   // the text after the command and its flags
	JSON    []string // the exec (JSON array) form, when Rest is one
	IsJSON  bool
	LineNo  int
}

// stage is a FROM instruction and the instructions after it.
type stage struct {
	From      instruction
	BaseImage string // as written, before ${ARG} substitution
	Name      string // lower case, "" when the stage has no AS name
	Platform  string // FROM --platform, as written
	Commands  []instruction
}

// directive is a `# standin:NAME ARG` comment that tells the stand-in how to behave.
type directive struct {
	Name string
	Arg  string
}

type dockerfile struct {
	MetaArgs   []instruction // ARG instructions before the first FROM
	Stages     []stage
	Directives []directive
}

// parseDockerfile reads a Dockerfile: comment lines are skipped (and `# standin:` directives
// collected), a trailing backslash continues an instruction on the next line. Heredocs and
// the escape parser directive are not supported.
func parseDockerfile(text string) (*dockerfile, error) {
	df := &dockerfile{}
	var pending string
	start := 0
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for n, raw := range lines {
		trimmed := strings.TrimSpace(raw)
		if strings.HasPrefix(trimmed, "#") {
			if d, ok, err := parseDirective(trimmed); err != nil {
				return nil, fmt.Errorf("line %d: %w", n+1, err)
			} else if ok {
				df.Directives = append(df.Directives, d)
			}
			continue
		}
		if pending == "" {
			start = n + 1
		}
		if strings.HasSuffix(trimmed, "\\") {
			pending += strings.TrimSuffix(trimmed, "\\") + " "
			continue
		}
		line := strings.TrimSpace(pending + trimmed)
		pending = ""
		if line == "" {
			continue
		}
		if err := df.add(line, start); err != nil {
			return nil, fmt.Errorf("line %d: %w", start, err)
		}
	}
	if strings.TrimSpace(pending) != "" {
		if err := df.add(strings.TrimSpace(pending), start); err != nil {
			return nil, err
		}
	}
	if len(df.Stages) == 0 {
		return nil, fmt.Errorf("file with no instructions")
	}
	return df, nil
}

// parseInstruction splits a line into its command, its leading --flags and the rest, and
// recognises the JSON array form.
func parseInstruction(line string, lineNo int) instruction {
	cmd, rest := line, ""
	if i := strings.IndexAny(line, " \t"); i >= 0 {
		cmd, rest = line[:i], line[i+1:]
	}
	ins := instruction{Command: strings.ToUpper(cmd), Line: line, Flags: map[string]string{}, LineNo: lineNo}
	rest = strings.TrimSpace(rest)
	for strings.HasPrefix(rest, "--") {
		word := rest
		if i := strings.IndexAny(rest, " \t"); i >= 0 {
			word, rest = rest[:i], strings.TrimSpace(rest[i+1:])
		} else {
			rest = ""
		}
		name, value, ok := strings.Cut(word[2:], "=")
		if !ok {
			value = "true"
		}
		ins.Flags[strings.ToLower(name)] = value
	}
	ins.Rest = rest
	if strings.HasPrefix(rest, "[") {
		var arr []string
		if json.Unmarshal([]byte(rest), &arr) == nil {
			ins.JSON, ins.IsJSON = arr, true
		}
	}
	return ins
}

func (df *dockerfile) add(line string, lineNo int) error {
	ins := parseInstruction(line, lineNo)
	if ins.Command == "FROM" {
		words := strings.Fields(ins.Rest)
		if len(words) == 0 {
			return fmt.Errorf("FROM requires an image")
		}
		s := stage{From: ins, BaseImage: words[0], Platform: ins.Flags["platform"]}
		switch {
		case len(words) == 3 && strings.EqualFold(words[1], "AS"):
			s.Name = strings.ToLower(words[2])
		case len(words) != 1:
			return fmt.Errorf("FROM requires either one or three arguments")
		}
		df.Stages = append(df.Stages, s)
		return nil
	}
	if len(df.Stages) == 0 {
		if ins.Command == "ARG" {
			df.MetaArgs = append(df.MetaArgs, ins)
			return nil
		}
		return fmt.Errorf("no build stage in current context")
	}
	last := &df.Stages[len(df.Stages)-1]
	last.Commands = append(last.Commands, ins)
	return nil
}

// targetStage is the index of the stage to build: the one named by --target, or the last.
func (df *dockerfile) targetStage(target string) (int, error) {
	if target == "" {
		return len(df.Stages) - 1, nil
	}
	for i, s := range df.Stages {
		if strings.EqualFold(s.Name, target) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("%s is not a valid target build stage", target)
}

// parseDirective recognises `# standin:sleep S`, `# standin:fail N`, `# standin:probe` and
// `# standin:print-config` (accepted and ignored: the stand-in prints no configuration).
func parseDirective(comment string) (directive, bool, error) {
	body := strings.TrimSpace(strings.TrimPrefix(comment, "#"))
	if !strings.HasPrefix(body, "standin:") {
		return directive{}, false, nil
	}
	name, arg, _ := strings.Cut(strings.TrimPrefix(body, "standin:"), " ")
	d := directive{Name: name, Arg: strings.TrimSpace(arg)}
	switch d.Name {
	case "sleep":
		if s, err := strconv.ParseFloat(d.Arg, 64); err != nil || s < 0 {
			return d, false, fmt.Errorf("standin:sleep needs a number of seconds, got %q", d.Arg)
		}
	case "fail":
		if n, err := strconv.Atoi(d.Arg); err != nil || n < 1 || n > 255 {
			return d, false, fmt.Errorf("standin:fail needs an exit code from 1 to 255, got %q", d.Arg)
		}
	case "probe", "print-config":
	default:
		return d, false, fmt.Errorf("unknown directive standin:%s", d.Name)
	}
	return d, true, nil
}

// directive returns the first directive with that name.
func (df *dockerfile) directive(name string) (directive, bool) {
	for _, d := range df.Directives {
		if d.Name == name {
			return d, true
		}
	}
	return directive{}, false
}
