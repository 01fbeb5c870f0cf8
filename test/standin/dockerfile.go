package main

import (
	"fmt"
	"strconv"
	"strings"
)

// instruction is one Dockerfile instruction with its continuation lines joined.
type instruction struct {
	Command string // upper case: FROM, RUN, COPY, ...
	Line    string
}

// stage is a FROM instruction and the instructions after it.
type stage struct {
	BaseImage string
	Name      string
	Commands  []instruction
}

// directive is a `# standin:NAME ARG` comment that tells the stand-in how to behave.
type directive struct {
	Name string
	Arg  string
}

type dockerfile struct {
	Stages     []stage
	Directives []directive
}

// parseDockerfile reads just enough of a Dockerfile to log its stages, check --target and find
// the stand-in's directives. Comment lines are skipped and a trailing backslash continues an
// instruction on the next line.
func parseDockerfile(text string) (*dockerfile, error) {
	df := &dockerfile{}
	var pending string
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
		if strings.HasSuffix(trimmed, "\\") {
			pending += strings.TrimSuffix(trimmed, "\\") + " "
			continue
		}
		line := strings.TrimSpace(pending + trimmed)
		pending = ""
		if line == "" {
			continue
		}
		if err := df.add(line); err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
	}
	if pending != "" {
		if err := df.add(strings.TrimSpace(pending)); err != nil {
			return nil, err
		}
	}
	if len(df.Stages) == 0 {
		return nil, fmt.Errorf("file with no instructions")
	}
	return df, nil
}

func (df *dockerfile) add(line string) error {
	fields := strings.Fields(line)
	ins := instruction{Command: strings.ToUpper(fields[0]), Line: line}
	if ins.Command == "FROM" {
		var words []string
		for _, f := range fields[1:] {
			if !strings.HasPrefix(f, "--") {
				words = append(words, f)
			}
		}
		if len(words) == 0 {
			return fmt.Errorf("FROM requires an image")
		}
		s := stage{BaseImage: words[0]}
		if len(words) == 3 && strings.EqualFold(words[1], "AS") {
			s.Name = strings.ToLower(words[2])
		}
		df.Stages = append(df.Stages, s)
		return nil
	}
	if len(df.Stages) == 0 {
		if ins.Command == "ARG" {
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
