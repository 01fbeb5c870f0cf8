package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// writeResult says whether a write that the container should (or should not) allow succeeded.
type writeResult struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

type dockerConfigProbe struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	Size   int64  `json:"size"`
}

// probeReport describes what the executor process sees; tests of the sandbox read it.
// It never holds the content of the docker config.
type probeReport struct {
	Pid            int               `json:"pid"`
	Ppid           int               `json:"ppid"`
	UID            int               `json:"uid"`
	GID            int               `json:"gid"`
	Cwd            string            `json:"cwd"`
	Args           []string          `json:"args"`
	ExecutorExists bool              `json:"executorExists"`
	Paths          map[string]bool   `json:"paths"`
	ContextDir     string            `json:"contextDir"`
	ContextWrite   writeResult       `json:"contextWrite"`
	DockerConfig   dockerConfigProbe `json:"dockerConfig"`
	Env            []string          `json:"env"`
	Mounts         string            `json:"mounts"`
	MountsError    string            `json:"mountsError,omitempty"`
	EtcHosts       bool              `json:"etcHosts"`
	ResolvConf     bool              `json:"resolvConf"`
	RootWrite      writeResult       `json:"rootWrite"`
}

// probeFileName is written next to --digest-file.
const probeFileName = "probe.json"

// writeProbe gathers the report and writes it to the directory of --digest-file. As a side
// effect it leaves /standin-was-here behind when / is writable, so a test can check that
// nothing of one build is visible in the next one or on the host.
func writeProbe(opts *Options, args []string) (string, error) {
	if opts.DigestFile == "" {
		return "", fmt.Errorf("standin:probe needs --digest-file: the report is written next to it")
	}
	cwd, _ := os.Getwd()
	r := probeReport{
		Pid:            os.Getpid(),
		Ppid:           os.Getppid(),
		UID:            os.Getuid(),
		GID:            os.Getgid(),
		Cwd:            cwd,
		Args:           args,
		ExecutorExists: pathExists("/kaniko/executor"),
		Paths:          map[string]bool{},
		ContextDir:     opts.SrcContext,
		ContextWrite:   tryWrite(filepath.Join(opts.SrcContext, ".standin-probe-write")),
		Env:            os.Environ(),
		EtcHosts:       pathExists("/etc/hosts"),
		ResolvConf:     pathExists("/etc/resolv.conf"),
	}
	if r.ContextWrite.OK {
		_ = os.Remove(filepath.Join(opts.SrcContext, ".standin-probe-write"))
	}
	for _, arg := range opts.BuildArgs {
		if strings.HasPrefix(arg, "PROBE_PATHS=") {
			for _, p := range strings.Split(strings.TrimPrefix(arg, "PROBE_PATHS="), ":") {
				if p != "" {
					r.Paths[p] = pathExists(p)
				}
			}
		}
	}
	r.DockerConfig.Path = dockerConfigPath()
	if st, err := os.Stat(r.DockerConfig.Path); err == nil {
		r.DockerConfig.Exists = true
		r.DockerConfig.Size = st.Size()
	}
	if mounts, err := os.ReadFile("/proc/self/mounts"); err == nil {
		r.Mounts = string(mounts)
	} else {
		r.MountsError = err.Error()
	}
	r.RootWrite = tryWrite("/standin-was-here")

	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(filepath.Dir(opts.DigestFile), probeFileName)
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("writing probe report: %w", err)
	}
	return path, nil
}

func tryWrite(path string) writeResult {
	if err := os.WriteFile(path, []byte("standin\n"), 0o644); err != nil {
		return writeResult{Error: err.Error()}
	}
	return writeResult{OK: true}
}
