package main

import (
	"archive/tar"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// defaultIgnored are kaniko's default ignore list (with --ignore-var-run): never snapshotted.
var defaultIgnored = []string{"proc", "sys", "dev", "var/run", "etc/mtab"}

// fileState is what a snapshot remembers of one path; any difference means "changed".
// ctime catches writes and chmods that leave size and mtime alone.
type fileState struct {
	mode         fs.FileMode
	size         int64
	mtime, ctime int64
	uid, gid     uint32
	link         string
}

// snapshot maps paths relative to the root (no leading slash) to their state.
type snapshot map[string]fileState

func isIgnored(rel string, ignored []string) bool {
	for _, p := range ignored {
		if rel == p || strings.HasPrefix(rel, p+"/") {
			return true
		}
	}
	return false
}

// takeSnapshot walks root without following symlinks.
func takeSnapshot(root string, ignored []string) (snapshot, error) {
	snap := snapshot{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if isIgnored(rel, ignored) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		s := fileState{mode: info.Mode(), size: info.Size(), mtime: info.ModTime().UnixNano(),
			ctime: st.Ctim.Nano(), uid: st.Uid, gid: st.Gid}
		if info.Mode()&fs.ModeSymlink != 0 {
			s.link, _ = os.Readlink(p)
		}
		if info.IsDir() {
			s.size = 0
		}
		snap[rel] = s
		return nil
	})
	return snap, err
}

// diffSnapshots lists the paths added or changed, and the topmost paths removed (a removed
// directory hides its contents; a path now under a non-directory needs no whiteout).
func diffSnapshots(before, after snapshot) (changed, deleted []string) {
	for p, s := range after {
		if old, ok := before[p]; !ok || old != s {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; ok {
			continue
		}
		hidden := false
		for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
			if _, gone := before[dir]; gone {
				if _, still := after[dir]; !still {
					hidden = true
					break
				}
			}
			if s, ok := after[dir]; ok && !s.mode.IsDir() {
				hidden = true
				break
			}
		}
		if !hidden {
			deleted = append(deleted, p)
		}
	}
	sort.Strings(changed)
	sort.Strings(deleted)
	return changed, deleted
}

// layerTar writes the changes as an uncompressed tar, sorted by name: every changed path with
// its parent directories, and a `.wh.` whiteout for every deletion. With mtime set (for
// --reproducible) it replaces every modification time; otherwise files keep theirs, to the
// second. Files that share an inode within the layer become hard links.
func layerTar(root string, changed, deleted []string, mtime *time.Time) ([]byte, error) {
	type entry struct{ name, whiteoutOf string }
	names := map[string]bool{}
	var entries []entry
	addParents := func(p string) {
		for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
			if !names[dir] {
				names[dir] = true
				entries = append(entries, entry{name: dir})
			}
		}
	}
	for _, p := range changed {
		addParents(p)
		if !names[p] {
			names[p] = true
			entries = append(entries, entry{name: p})
		}
	}
	for _, p := range deleted {
		addParents(p)
		wh := path.Join(path.Dir(p), whiteoutPrefix+path.Base(p))
		entries = append(entries, entry{name: wh, whiteoutOf: p})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	inodes := map[uint64]string{}
	for _, e := range entries {
		if e.whiteoutOf != "" {
			t := epoch
			if mtime != nil {
				t = *mtime
			}
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Mode: 0o644, ModTime: t}); err != nil {
				return nil, err
			}
			continue
		}
		full := filepath.Join(root, e.name)
		info, err := os.Lstat(full)
		if err != nil {
			return nil, err
		}
		st := info.Sys().(*syscall.Stat_t)
		hdr := &tar.Header{Name: e.name, Mode: int64(st.Mode & 0o7777), Uid: int(st.Uid), Gid: int(st.Gid),
			ModTime: info.ModTime().Truncate(time.Second)}
		if mtime != nil {
			hdr.ModTime = *mtime
		}
		var content *os.File
		switch m := info.Mode(); {
		case m.IsDir():
			hdr.Typeflag, hdr.Name = tar.TypeDir, e.name+"/"
		case m&fs.ModeSymlink != 0:
			hdr.Typeflag = tar.TypeSymlink
			if hdr.Linkname, err = os.Readlink(full); err != nil {
				return nil, err
			}
		case m.IsRegular():
			if first, ok := inodes[st.Ino]; ok && st.Nlink > 1 {
				hdr.Typeflag, hdr.Linkname = tar.TypeLink, first
				break
			}
			inodes[st.Ino] = e.name
			hdr.Typeflag, hdr.Size = tar.TypeReg, info.Size()
			if content, err = os.Open(full); err != nil {
				return nil, err
			}
		case m&fs.ModeNamedPipe != 0:
			hdr.Typeflag = tar.TypeFifo
		case m&fs.ModeDevice != 0:
			hdr.Typeflag = tar.TypeBlock
			if m&fs.ModeCharDevice != 0 {
				hdr.Typeflag = tar.TypeChar
			}
			hdr.Devmajor, hdr.Devminor = int64((st.Rdev>>8)&0xfff), int64((st.Rdev&0xff)|((st.Rdev>>12)&0xfff00))
		default:
			continue // sockets are not archived
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if content != nil {
			_, err := io.Copy(tw, content)
			content.Close()
			if err != nil {
				return nil, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
