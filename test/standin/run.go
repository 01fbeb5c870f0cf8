package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// proxyArgs are the build args Docker and kaniko pass to RUN without an ARG declaring them.
var proxyArgs = []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
	"ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"}

// devNodes are created in the stage root before a RUN, where the container allows mknod.
var devNodes = []struct {
	name         string
	major, minor uint32
}{{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}}

// runEnv is the environment of a RUN: the config's Env, then the build args in scope that Env
// does not set, then HOME=/root unless set, as kaniko does.
func (s *stageState) runEnv() []string {
	env := append([]string{}, s.cfg.Config.Env...)
	set := map[string]bool{}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	for _, k := range sortedKeys(s.args) {
		if !set[k] {
			env = append(env, k+"="+s.args[k])
			set[k] = true
		}
	}
	for _, k := range proxyArgs {
		if v, ok := s.b.buildArgs[k]; ok && !set[k] {
			env = append(env, k+"="+v)
			set[k] = true
		}
	}
	if !set["HOME"] {
		env = append(env, "HOME=/root")
	}
	return env
}

// run executes a RUN instruction in a child process chrooted into the stage root.
func (s *stageState) run(ins instruction) error {
	if len(ins.Flags) > 0 {
		s.b.log.Warnf("Kaniko does not support the RUN flags of %q - relying on unsupported flags can lead to invalid builds", ins.Line)
	}
	env := s.runEnv()
	var argv []string
	if ins.IsJSON {
		if len(ins.JSON) == 0 {
			return fmt.Errorf("RUN needs a command")
		}
		argv = append(argv, ins.JSON...)
		if !strings.Contains(argv[0], "/") {
			if p, ok := lookPathInRoot(s.root, envValue(env, "PATH"), argv[0]); ok {
				argv[0] = p
			}
		}
	} else {
		shell := s.cfg.Config.Shell
		if len(shell) == 0 {
			shell = []string{"/bin/sh", "-c"}
		}
		argv = append(append(argv, shell...), ins.Rest)
	}
	s.b.log.Infof("Cmd: %s", argv[0])
	s.b.log.Infof("Args: %s", argv[1:])
	s.b.log.Infof("Running: %s", argv)
	makeDevNodes(s.root, s.b.log)
	workdir := s.cfg.Config.WorkingDir
	if workdir == "" {
		workdir = "/"
	}
	if _, err := secureJoin(s.root, workdir, true); err != nil {
		return fmt.Errorf("creating working directory %s: %w", workdir, err)
	}
	cred, err := s.credential()
	if err != nil {
		return err
	}
	// exec.Cmd without exec.Command: a name without a slash must not be looked up on the host.
	cmd := &exec.Cmd{Path: argv[0], Args: argv, Env: env, Dir: workdir, Stdout: os.Stdout, Stderr: os.Stderr}
	cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: s.root, Setpgid: true, Credential: cred}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting command: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("waiting for process to exit: %w", err)
	}
	return nil
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k == key {
			return v
		}
	}
	return ""
}

// lookPathInRoot finds an executable in the PATH of the image, inside root.
func lookPathInRoot(root, pathEnv, name string) (string, bool) {
	for _, dir := range strings.Split(pathEnv, ":") {
		if dir == "" {
			continue
		}
		candidate := path.Join(dir, name)
		full, err := secureJoin(root, candidate, false)
		if err != nil {
			continue
		}
		if fi, err := os.Stat(full); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return candidate, true
		}
	}
	return "", false
}

// makeDevNodes gives the root a /dev with null, zero, random… where mknod is allowed; /dev is
// never snapshotted.
func makeDevNodes(root string, log *logger) {
	dev, err := secureJoin(root, "/dev", true)
	if err != nil {
		log.Debugf("standin: no /dev in the stage root: %v", err)
		return
	}
	for _, n := range devNodes {
		p := filepath.Join(dev, n.name)
		if _, err := os.Lstat(p); err == nil {
			continue
		}
		if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, int(makedev(n.major, n.minor))); err != nil {
			log.Debugf("standin: cannot create /dev/%s: %v", n.name, err)
			continue
		}
		_ = os.Chmod(p, 0o666)
	}
}

// credential is the USER of the config as a uid and gid, or nil for root.
func (s *stageState) credential() (*syscall.Credential, error) {
	user := s.cfg.Config.User
	if user == "" || user == "root" || user == "0" || user == "0:0" {
		return nil, nil
	}
	uid, gid, err := resolveUser(s.root, user)
	if err != nil {
		return nil, err
	}
	if uid == 0 && gid == 0 {
		return nil, nil
	}
	return &syscall.Credential{Uid: uid, Gid: gid, Groups: []uint32{}}, nil
}

// resolveUser reads `user[:group]` (names or numbers) with the root's /etc/passwd and
// /etc/group, as Docker does; a user without an entry runs with group 0.
func resolveUser(root, spec string) (uint32, uint32, error) {
	userPart, groupPart, hasGroup := strings.Cut(spec, ":")
	uid, gid := uint32(0), uint32(0)
	if n, err := strconv.ParseUint(userPart, 10, 32); err == nil {
		uid = uint32(n)
		if fields, ok := findEntry(root, "/etc/passwd", 2, userPart); ok {
			g, _ := strconv.ParseUint(fields[3], 10, 32)
			gid = uint32(g)
		}
	} else if fields, ok := findEntry(root, "/etc/passwd", 0, userPart); ok && len(fields) > 3 {
		u, _ := strconv.ParseUint(fields[2], 10, 32)
		g, _ := strconv.ParseUint(fields[3], 10, 32)
		uid, gid = uint32(u), uint32(g)
	} else {
		return 0, 0, fmt.Errorf("unable to find user %s: no matching entries in passwd file", userPart)
	}
	if hasGroup {
		if n, err := strconv.ParseUint(groupPart, 10, 32); err == nil {
			gid = uint32(n)
		} else if fields, ok := findEntry(root, "/etc/group", 0, groupPart); ok && len(fields) > 2 {
			g, _ := strconv.ParseUint(fields[2], 10, 32)
			gid = uint32(g)
		} else {
			return 0, 0, fmt.Errorf("unable to find group %s: no matching entries in group file", groupPart)
		}
	}
	return uid, gid, nil
}

// findEntry returns the colon-separated fields of the first line of file (inside root) whose
// field number `field` equals value.
func findEntry(root, file string, field int, value string) ([]string, bool) {
	p, err := secureJoin(root, file, false)
	if err != nil {
		return nil, false
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) > 3 && len(fields) > field && fields[field] == value {
			return fields, true
		}
		if len(fields) > 2 && field == 0 && fields[0] == value {
			return fields, true
		}
	}
	return nil, false
}
