package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// copySource is one file or directory to copy, found in the context or in another root.
type copySource struct {
	full string // path on disk
	rel  string // path relative to its root (the context, or a stage's root)
}

// copyOwner is the --chown and --chmod of a COPY or ADD.
type copyOwner struct {
	uid, gid int
	mode     *os.FileMode
}

// copy runs COPY or ADD: sources from the context (minus .dockerignore) or --from a stage or an
// image, into the destination resolved against WORKDIR inside the stage root.
func (s *stageState) copy(ins instruction) error {
	words := ins.JSON
	if !ins.IsJSON {
		var err error
		if words, err = shellWords(ins.Rest, s.lookup, true); err != nil {
			return err
		}
	} else {
		for i, w := range words {
			v, err := expandWord(w, s.lookup)
			if err != nil {
				return err
			}
			words[i] = v
		}
	}
	if len(words) < 2 {
		return fmt.Errorf("%s requires at least two arguments, but only one was provided. Destination could not be determined", ins.Command)
	}
	for name := range ins.Flags {
		switch name {
		case "from", "chown", "chmod", "link":
		default:
			s.b.log.Warnf("standin: ignoring the unsupported flag --%s of %s", name, ins.Command)
		}
	}
	srcRoot, ignore := s.b.contextDir, s.b.ignore
	if from, ok := ins.Flags["from"]; ok {
		from, err := expandWord(from, s.lookup)
		if err != nil {
			return err
		}
		root, err := s.b.fromRoot(from, s.index)
		if err != nil {
			return err
		}
		srcRoot, ignore = root, &dockerignore{}
	}
	owner, err := s.owner(ins.Flags["chown"], ins.Flags["chmod"])
	if err != nil {
		return err
	}
	dest := words[len(words)-1]
	destIsDir := strings.HasSuffix(dest, "/") || strings.HasSuffix(dest, "/.")
	if !path.IsAbs(dest) {
		dest = path.Join(s.workdir(), dest)
	}
	var sources []copySource
	for _, src := range words[:len(words)-1] {
		if ins.Command == "ADD" && (strings.Contains(src, "://") || strings.HasPrefix(src, "git@")) {
			return fmt.Errorf("the stand-in cannot ADD a remote source: %s", src)
		}
		found, err := findSources(s.b.log, srcRoot, src, ignore, ins.Flags["from"] != "")
		if err != nil {
			return err
		}
		sources = append(sources, found...)
	}
	if len(sources) > 1 && !destIsDir {
		return fmt.Errorf("when using COPY with more than one source file, the destination must be a directory and end with a /")
	}
	for _, src := range sources {
		if err := s.copyOne(ins.Command == "ADD", src, dest, destIsDir, owner, ignore); err != nil {
			return err
		}
	}
	return nil
}

// findSources expands one source (a path or a wildcard pattern) inside root.
func findSources(log *logger, root, src string, ignore *dockerignore, inImage bool) ([]copySource, error) {
	rel := strings.TrimPrefix(path.Clean("/"+src), "/")
	if !inImage && (path.Clean(src) == ".." || strings.HasPrefix(path.Clean(src), "../")) {
		return nil, fmt.Errorf("forbidden path outside the build context: %s", src)
	}
	if strings.ContainsAny(rel, "*?[") {
		matches, err := filepath.Glob(filepath.Join(root, rel))
		if err != nil {
			return nil, err
		}
		var out []copySource
		for _, m := range matches {
			r, _ := filepath.Rel(root, m)
			if !ignore.ignored(r) {
				out = append(out, copySource{full: m, rel: filepath.ToSlash(r)})
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
		if len(out) == 0 {
			log.Warnf("No files matched pattern %s", src)
		}
		return out, nil
	}
	full := filepath.Join(root, rel)
	if inImage {
		var err error
		if full, err = secureJoin(root, rel, false); err != nil {
			return nil, err
		}
	}
	if _, err := os.Lstat(full); err != nil || ignore.ignored(rel) {
		if err == nil {
			err = fmt.Errorf("lstat %s: no such file or directory", full)
		}
		return nil, fmt.Errorf("failed to get fileinfo for %s: %w", full, err)
	}
	return []copySource{{full: full, rel: rel}}, nil
}

// owner reads --chown (numbers, or names from the stage's /etc/passwd and /etc/group) and
// --chmod (octal).
func (s *stageState) owner(chown, chmod string) (copyOwner, error) {
	var o copyOwner
	if chown != "" {
		spec, err := expandWord(chown, s.lookup)
		if err != nil {
			return o, err
		}
		root := s.root
		uid, gid, err := resolveUser(root, spec)
		if err != nil {
			return o, fmt.Errorf("getting user group from chown: %w", err)
		}
		o.uid, o.gid = int(uid), int(gid)
	}
	if chmod != "" {
		n, err := strconv.ParseUint(chmod, 8, 32)
		if err != nil || n > 0o7777 {
			return o, fmt.Errorf("invalid --chmod=%s: only octal modes are supported", chmod)
		}
		m := os.FileMode(n)
		o.mode = &m
	}
	return o, nil
}

// copyOne copies a file into dest (or dest/<name> when dest is a directory), or the contents
// of a directory into dest. ADD unpacks a local tar archive into dest instead.
func (s *stageState) copyOne(isAdd bool, src copySource, dest string, destIsDir bool, o copyOwner, ignore *dockerignore) error {
	fi, err := os.Stat(src.full)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return s.copyTree(src, dest, o, ignore)
	}
	if isAdd && isArchive(src.full) {
		dir, err := secureJoin(s.root, dest, true)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(src.full)
		if err != nil {
			return err
		}
		r, err := layerReader(data)
		if err != nil {
			return err
		}
		return extractTar(dir, r, extractOptions{log: s.b.log})
	}
	target := dest
	if existing, err := secureJoin(s.root, dest, false); err == nil {
		if st, err := os.Stat(existing); err == nil && st.IsDir() {
			destIsDir = true
		}
	}
	if destIsDir {
		target = path.Join(dest, path.Base(src.full))
	}
	return s.writeFile(src.full, target, fi, o)
}

// copyTree copies what is inside the directory src into dest, skipping ignored paths.
func (s *stageState) copyTree(src copySource, dest string, o copyOwner, ignore *dockerignore) error {
	existing, err := secureJoin(s.root, dest, false)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(existing); err != nil {
		// Only a destination directory that COPY creates gets the owner and mode.
		if err := s.makeDir(dest, 0o755, o); err != nil {
			return err
		}
	} else if _, err := secureJoin(s.root, dest, true); err != nil {
		return err
	}
	return filepath.WalkDir(src.full, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		sub, _ := filepath.Rel(src.full, p)
		if sub == "." {
			return nil
		}
		rel := path.Join(src.rel, filepath.ToSlash(sub))
		if ignore.ignored(rel) {
			if d.IsDir() && ignore.prunable(rel) {
				return filepath.SkipDir
			}
			return nil
		}
		target := path.Join(dest, filepath.ToSlash(sub))
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return s.makeDir(target, info.Mode().Perm(), o)
		}
		return s.writeFile(p, target, info, o)
	})
}

// makeDir creates dest (and its parents) in the stage root with the owner and mode asked for.
func (s *stageState) makeDir(dest string, perm os.FileMode, o copyOwner) error {
	full, err := secureJoin(s.root, dest, true)
	if err != nil {
		return err
	}
	if o.mode != nil {
		perm = *o.mode
	}
	lchown(full, o.uid, o.gid, s.b.log)
	return syscall.Chmod(full, uint32(perm))
}

// writeFile copies one file (or symlink) to dest inside the stage root, replacing what was
// there.
func (s *stageState) writeFile(src, dest string, info os.FileInfo, o copyOwner) error {
	parent, err := secureJoin(s.root, path.Dir(dest), true)
	if err != nil {
		return err
	}
	target := filepath.Join(parent, path.Base(dest))
	if err := os.RemoveAll(target); err != nil {
		return err
	}
	if info.Mode()&os.ModeSymlink != 0 {
		link, err := os.Readlink(src)
		if err != nil {
			return err
		}
		if err := os.Symlink(link, target); err != nil {
			return err
		}
		lchown(target, o.uid, o.gid, s.b.log)
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	mode := uint32(info.Mode().Perm())
	if info.Mode()&os.ModeSetuid != 0 {
		mode |= syscall.S_ISUID
	}
	if info.Mode()&os.ModeSetgid != 0 {
		mode |= syscall.S_ISGID
	}
	if o.mode != nil {
		mode = uint32(*o.mode)
	}
	lchown(target, o.uid, o.gid, s.b.log)
	return syscall.Chmod(target, mode)
}

// isArchive tells whether a file is a (gzip) tar archive, which ADD unpacks.
func isArchive(file string) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if n >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		return true
	}
	return n >= 262 && string(head[257:262]) == "ustar"
}
