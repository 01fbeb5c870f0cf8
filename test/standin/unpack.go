package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

const (
	whiteoutPrefix = ".wh."
	opaqueWhiteout = ".wh..wh..opq"
)

// cleanEntryName makes a tar entry name relative to the root ("" for the root itself) and
// refuses names that leave it.
func cleanEntryName(name string) (string, error) {
	clean := path.Clean("/" + strings.TrimPrefix(name, "./"))
	if strings.Contains(name, "..") {
		// path.Clean("/" + p) clamps at the root; compare with a clean relative to spot escapes.
		rel := path.Clean(strings.TrimPrefix(name, "/"))
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return "", fmt.Errorf("path %q leaves the root", name)
		}
	}
	return strings.TrimPrefix(clean, "/"), nil
}

// secureJoin resolves rel inside root as a process chrooted into root would: symlinks are
// followed, absolute ones from root, and ".." stops at root. With mkdirs, missing directories
// are created (0755). The result always lies inside root.
func secureJoin(root, rel string, mkdirs bool) (string, error) {
	parts := splitPath(rel)
	cur := ""
	for links := 0; len(parts) > 0; {
		p := parts[0]
		parts = parts[1:]
		if p == ".." {
			cur = path.Dir(cur)
			if cur == "." || cur == "/" {
				cur = ""
			}
			continue
		}
		next := path.Join(cur, p)
		full := filepath.Join(root, next)
		fi, err := os.Lstat(full)
		switch {
		case errors.Is(err, os.ErrNotExist) && mkdirs:
			if err := os.Mkdir(full, 0o755); err != nil {
				return "", err
			}
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return "", err
		case fi.Mode()&os.ModeSymlink != 0:
			if links++; links > 40 {
				return "", fmt.Errorf("%s: too many levels of symbolic links", rel)
			}
			target, err := os.Readlink(full)
			if err != nil {
				return "", err
			}
			if path.IsAbs(target) {
				cur = ""
			}
			parts = append(splitPath(target), parts...)
			continue
		}
		cur = next
	}
	return filepath.Join(root, cur), nil
}

func splitPath(p string) []string {
	var parts []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			parts = append(parts, s)
		}
	}
	return parts
}

// layerReader opens a layer blob: gzip or plain tar.
func layerReader(data []byte) (io.Reader, error) {
	switch {
	case len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b:
		return gzip.NewReader(bytes.NewReader(data))
	case len(data) >= 4 && bytes.Equal(data[:4], []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return nil, fmt.Errorf("zstd layers are not supported by the stand-in")
	}
	return bytes.NewReader(data), nil
}

// extractOptions say how much of the OCI layer semantics an extraction applies.
type extractOptions struct {
	whiteouts bool // act on .wh. entries (layers); ADD of a local archive does not
	log       *logger
}

type dirTime struct {
	path  string
	mtime time.Time
}

// extractTar writes a tar stream into root: whiteouts remove what lower layers put there, an
// opaque whiteout empties its directory of everything but this layer's own entries. Entries
// whose names leave the root are refused; ownership and device nodes are best effort (a
// sandbox may forbid them).
func extractTar(root string, r io.Reader, opt extractOptions) error {
	tr := tar.NewReader(bufio.NewReader(r))
	own := map[string]bool{}
	var dirs []dirTime
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading tar: %w", err)
		}
		rel, err := cleanEntryName(hdr.Name)
		if err != nil {
			return err
		}
		if rel == "" {
			continue
		}
		dir, base := path.Split(rel)
		parent, err := secureJoin(root, dir, true)
		if err != nil {
			return fmt.Errorf("%s: %w", hdr.Name, err)
		}
		if opt.whiteouts && base == opaqueWhiteout {
			entries, err := os.ReadDir(parent)
			if err != nil {
				return err
			}
			for _, e := range entries {
				if !own[path.Join(dir, e.Name())] {
					if err := os.RemoveAll(filepath.Join(parent, e.Name())); err != nil {
						return err
					}
				}
			}
			continue
		}
		if opt.whiteouts && strings.HasPrefix(base, whiteoutPrefix) {
			if err := os.RemoveAll(filepath.Join(parent, strings.TrimPrefix(base, whiteoutPrefix))); err != nil {
				return err
			}
			continue
		}
		own[rel] = true
		target := filepath.Join(parent, base)
		if err := writeEntry(root, target, hdr, tr, opt); err != nil {
			return fmt.Errorf("extracting %s: %w", hdr.Name, err)
		}
		if hdr.Typeflag == tar.TypeDir {
			dirs = append(dirs, dirTime{target, hdr.ModTime})
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		_ = os.Chtimes(dirs[i].path, dirs[i].mtime, dirs[i].mtime)
	}
	return nil
}

// writeEntry creates one entry at target, replacing whatever was there (a directory only by
// something that is not a directory).
func writeEntry(root, target string, hdr *tar.Header, r io.Reader, opt extractOptions) error {
	existing, statErr := os.Lstat(target)
	if statErr == nil && !(existing.IsDir() && hdr.Typeflag == tar.TypeDir) {
		if err := os.RemoveAll(target); err != nil {
			return err
		}
	}
	mode := uint32(hdr.Mode & 0o7777)
	switch hdr.Typeflag {
	case tar.TypeDir:
		if statErr != nil || !existing.IsDir() {
			if err := os.Mkdir(target, 0o755); err != nil {
				return err
			}
		}
	case tar.TypeReg, tar.TypeRegA:
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	case tar.TypeSymlink:
		if err := os.Symlink(hdr.Linkname, target); err != nil {
			return err
		}
		lchown(target, hdr.Uid, hdr.Gid, opt.log)
		return nil
	case tar.TypeLink:
		linkRel, err := cleanEntryName(hdr.Linkname)
		if err != nil {
			return err
		}
		dir, base := path.Split(linkRel)
		parent, err := secureJoin(root, dir, false)
		if err != nil {
			return err
		}
		return os.Link(filepath.Join(parent, base), target)
	case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
		kind := map[byte]uint32{tar.TypeChar: syscall.S_IFCHR, tar.TypeBlock: syscall.S_IFBLK, tar.TypeFifo: syscall.S_IFIFO}[hdr.Typeflag]
		dev := makedev(uint32(hdr.Devmajor), uint32(hdr.Devminor))
		if err := syscall.Mknod(target, kind|mode, int(dev)); err != nil {
			if opt.log != nil {
				opt.log.Debugf("standin: skipping device node %s: %v", hdr.Name, err)
			}
			return nil
		}
	default:
		return nil
	}
	lchown(target, hdr.Uid, hdr.Gid, opt.log)
	// After chown, which clears set-user-ID bits.
	if err := syscall.Chmod(target, mode); err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeDir {
		_ = os.Chtimes(target, hdr.ModTime, hdr.ModTime)
	}
	return nil
}

// lchown sets an owner where the sandbox allows it (a user namespace may map only root).
func lchown(path string, uid, gid int, log *logger) {
	if err := os.Lchown(path, uid, gid); err != nil && log != nil {
		log.Debugf("standin: cannot chown %s to %d:%d: %v", path, uid, gid, err)
	}
}

// makedev encodes a device number as Linux does.
func makedev(major, minor uint32) uint64 {
	return uint64(minor&0xff) | uint64(major&0xfff)<<8 | uint64(minor&^0xff)<<12 | uint64(major&^0xfff)<<32
}

// unpackLayers applies layers, lowest first, to root.
func unpackLayers(root string, layers []layer, log *logger) error {
	for _, l := range layers {
		r, err := layerReader(l.Data)
		if err != nil {
			return err
		}
		if err := extractTar(root, r, extractOptions{whiteouts: true, log: log}); err != nil {
			return fmt.Errorf("layer %s: %w", l.Digest, err)
		}
	}
	return nil
}
