package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// metadata applies an instruction that changes only the config (and ARG's scope).
func (s *stageState) metadata(c instruction) error {
	cfg := &s.cfg.Config
	switch c.Command {
	case "ARG":
		return s.declareArgs(c.Rest)
	case "ENV", "LABEL":
		pairs, err := keyValues(c.Rest, s.lookup, true)
		if err != nil {
			return fmt.Errorf("%s %w", c.Command, err)
		}
		for _, kv := range pairs {
			if c.Command == "ENV" {
				cfg.Env = setEnv(cfg.Env, kv[0], kv[1])
				continue
			}
			if cfg.Labels == nil {
				cfg.Labels = map[string]string{}
			}
			cfg.Labels[kv[0]] = kv[1]
		}
	case "WORKDIR":
		dir, err := expandWord(c.Rest, s.lookup)
		if err != nil {
			return err
		}
		cfg.WorkingDir = resolveWorkdir(s.workdir(), dir)
		if s.root != "" {
			// Created now, so that the next layer holds it.
			if _, err := secureJoin(s.root, cfg.WorkingDir, true); err != nil {
				return err
			}
		}
	case "USER":
		user, err := expandWord(c.Rest, s.lookup)
		if err != nil {
			return err
		}
		cfg.User = user
	case "EXPOSE":
		ports, err := shellWords(c.Rest, s.lookup, true)
		if err != nil {
			return err
		}
		if cfg.ExposedPorts == nil {
			cfg.ExposedPorts = map[string]struct{}{}
		}
		for _, p := range ports {
			if !strings.Contains(p, "/") {
				p += "/tcp"
			}
			cfg.ExposedPorts[strings.ToLower(p)] = struct{}{}
		}
	case "CMD":
		cfg.Cmd = s.commandLine(c)
		s.cmdSet = true
	case "ENTRYPOINT":
		cfg.Entrypoint = s.commandLine(c)
		if !s.cmdSet {
			cfg.Cmd = nil
		}
	case "SHELL":
		if !c.IsJSON || len(c.JSON) == 0 {
			return fmt.Errorf("SHELL requires the arguments to be in JSON form")
		}
		cfg.Shell = c.JSON
	case "VOLUME":
		vols := c.JSON
		if !c.IsJSON {
			var err error
			if vols, err = shellWords(c.Rest, s.lookup, true); err != nil {
				return err
			}
		}
		if cfg.Volumes == nil {
			cfg.Volumes = map[string]struct{}{}
		}
		for _, v := range vols {
			cfg.Volumes[v] = struct{}{}
		}
	case "STOPSIGNAL":
		sig, err := expandWord(c.Rest, s.lookup)
		if err != nil {
			return err
		}
		cfg.StopSignal = sig
	case "HEALTHCHECK":
		hc, err := s.healthcheck(c)
		if err != nil {
			return err
		}
		cfg.Healthcheck = hc
	case "ONBUILD":
		cfg.OnBuild = append(cfg.OnBuild, c.Rest)
	case "MAINTAINER":
		s.cfg.Author = c.Rest
	default:
		return fmt.Errorf("unknown instruction: %s", c.Command)
	}
	return nil
}

// commandLine is the exec form as given, or the shell form run by the image's shell.
func (s *stageState) commandLine(c instruction) []string {
	if c.IsJSON {
		return c.JSON
	}
	shell := s.cfg.Config.Shell
	if len(shell) == 0 {
		shell = []string{"/bin/sh", "-c"}
	}
	return append(append([]string{}, shell...), c.Rest)
}

// healthcheck reads `HEALTHCHECK NONE` or `HEALTHCHECK [--interval=…] CMD …`.
func (s *stageState) healthcheck(c instruction) (*healthcheck, error) {
	if strings.EqualFold(strings.TrimSpace(c.Rest), "NONE") {
		return &healthcheck{Test: []string{"NONE"}}, nil
	}
	hc := &healthcheck{}
	for name, value := range c.Flags {
		var err error
		switch name {
		case "interval":
			hc.Interval, err = time.ParseDuration(value)
		case "timeout":
			hc.Timeout, err = time.ParseDuration(value)
		case "start-period":
			hc.StartPeriod, err = time.ParseDuration(value)
		case "retries":
			hc.Retries, err = strconv.Atoi(value)
		}
		if err != nil {
			return nil, fmt.Errorf("HEALTHCHECK --%s: %w", name, err)
		}
	}
	word, rest, _ := strings.Cut(strings.TrimSpace(c.Rest), " ")
	if !strings.EqualFold(word, "CMD") {
		return nil, fmt.Errorf("unknown type %q in HEALTHCHECK (try CMD)", word)
	}
	sub := parseInstruction("CMD "+strings.TrimSpace(rest), c.LineNo)
	if sub.IsJSON {
		hc.Test = append([]string{"CMD"}, sub.JSON...)
	} else {
		hc.Test = []string{"CMD-SHELL", sub.Rest}
	}
	return hc, nil
}
