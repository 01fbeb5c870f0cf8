package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// needsFiles are the instructions that need the stage's root directory.
var needsFiles = map[string]bool{"RUN": true, "COPY": true, "ADD": true}

// build runs the stage's instructions in order; RUN, COPY and ADD each add a layer (when they
// change files), the others change the config.
func (s *stageState) build(commands []instruction) error {
	needed := false
	for _, c := range commands {
		needed = needed || needsFiles[c.Command]
	}
	if !needed {
		s.b.log.Infof("Skipping unpacking as no commands require it.")
	}
	for _, c := range commands {
		if needsFiles[c.Command] {
			if err := s.ensureRoot(c.Line); err != nil {
				return err
			}
		}
		s.b.log.Infof("%s", c.Line)
		if err := s.execute(c); err != nil {
			return fmt.Errorf("failed to execute command: %w", err)
		}
	}
	return nil
}

func (s *stageState) execute(c instruction) error {
	switch c.Command {
	case "RUN":
		s.b.log.Infof("Initializing snapshotter ...")
		s.b.log.Infof("Taking snapshot of full filesystem...")
		if err := s.run(c); err != nil {
			return err
		}
		return s.commit(c.Line, "Taking snapshot of full filesystem...")
	case "COPY", "ADD":
		if err := s.copy(c); err != nil {
			return err
		}
		return s.commit(c.Line, "Taking snapshot of files...")
	}
	if err := s.metadata(c); err != nil {
		return err
	}
	s.addHistory(c.Line, true)
	return nil
}

// ensureRoot creates the stage's root directory, <kaniko-dir>/stages/<n>/rootfs, from its
// layers, and takes the snapshot later changes are compared with.
func (s *stageState) ensureRoot(reason string) error {
	if s.root != "" {
		return nil
	}
	root := filepath.Join(s.b.stagesDir, strconv.Itoa(s.index), "rootfs")
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	s.b.log.Infof("Unpacking rootfs as cmd %s requires it.", reason)
	if err := unpackLayers(root, s.layers, s.b.log); err != nil {
		return fmt.Errorf("failed to get filesystem from image: %w", err)
	}
	snap, err := takeSnapshot(root, s.b.ignored)
	if err != nil {
		return err
	}
	s.root, s.snap = root, snap
	return nil
}

// commit turns what changed since the last snapshot into a layer, if anything did.
func (s *stageState) commit(createdBy, message string) error {
	s.b.log.Infof("%s", message)
	after, err := takeSnapshot(s.root, s.b.ignored)
	if err != nil {
		return err
	}
	changed, deleted := diffSnapshots(s.snap, after)
	s.snap = after
	if len(changed) == 0 && len(deleted) == 0 {
		s.b.log.Infof("No files were changed, appending empty layer to config. No layer added to image.")
		s.addHistory(createdBy, true)
		return nil
	}
	var mtime *time.Time
	if s.b.reproducible {
		mtime = &epoch
	}
	data, err := layerTar(s.root, changed, deleted, mtime)
	if err != nil {
		return fmt.Errorf("taking snapshot: %w", err)
	}
	l, err := newLayer(data)
	if err != nil {
		return err
	}
	s.layers = append(s.layers, l)
	s.addHistory(createdBy, false)
	return nil
}

func (s *stageState) addHistory(createdBy string, empty bool) {
	h := historyEntry{Created: s.b.created(), CreatedBy: createdBy, EmptyLayer: empty}
	if !empty {
		h.Author = "kaniko"
	}
	s.cfg.History = append(s.cfg.History, h)
}

// lookup resolves a variable for substitution: the config's Env first, then the ARGs.
func (s *stageState) lookup(name string) (string, bool) {
	for i := len(s.cfg.Config.Env) - 1; i >= 0; i-- {
		if k, v, _ := strings.Cut(s.cfg.Config.Env[i], "="); k == name {
			return v, true
		}
	}
	v, ok := s.args[name]
	return v, ok
}

func (s *stageState) workdir() string {
	if s.cfg.Config.WorkingDir == "" {
		return "/"
	}
	return s.cfg.Config.WorkingDir
}

// argDecl is one `name[=default]` of an ARG instruction.
type argDecl struct {
	name, value string
	hasDefault  bool
}

func parseArgDecls(rest string, lookup lookupFunc) ([]argDecl, error) {
	words := rawWords(rest)
	if len(words) == 0 {
		return nil, fmt.Errorf("ARG requires at least one argument")
	}
	var decls []argDecl
	for _, w := range words {
		name, def, ok := strings.Cut(w, "=")
		d := argDecl{name: name, hasDefault: ok}
		if ok {
			v, err := expandWord(def, lookup)
			if err != nil {
				return nil, err
			}
			d.value = v
		}
		decls = append(decls, d)
	}
	return decls, nil
}

// declareArgs gives a stage's ARGs their values: --build-arg, else the default, else the
// value of the ARG of that name before the first FROM, else the automatic platform arg.
func (s *stageState) declareArgs(rest string) error {
	decls, err := parseArgDecls(rest, s.lookup)
	if err != nil {
		return err
	}
	for _, d := range decls {
		if v, ok := s.b.buildArgs[d.name]; ok {
			s.args[d.name] = v
		} else if d.hasDefault {
			s.args[d.name] = d.value
		} else if v, ok := s.b.metaArgs[d.name]; ok {
			s.args[d.name] = v
		} else if v, ok := s.b.autoArgs[d.name]; ok {
			s.args[d.name] = v
		}
	}
	return nil
}

// setEnv sets key in an Env list, replacing an earlier value.
func setEnv(env []string, key, value string) []string {
	for i, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k == key {
			env[i] = key + "=" + value
			return env
		}
	}
	return append(env, key+"="+value)
}

// resolveWorkdir makes a WORKDIR absolute against the current one.
func resolveWorkdir(current, dir string) string {
	if !path.IsAbs(dir) {
		dir = path.Join(current, dir)
	}
	return path.Clean(dir)
}
