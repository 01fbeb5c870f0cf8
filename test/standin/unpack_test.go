package main

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tarOf builds an uncompressed tar from headers; regular files get their name as content
// unless body says otherwise.
func tarOf(t *testing.T, entries ...tarEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := e.hdr
		if h.Mode == 0 {
			h.Mode = 0o644
			if h.Typeflag == tar.TypeDir {
				h.Mode = 0o755
			}
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type tarEntry struct {
	hdr  tar.Header
	body string
}

func dir(name string) tarEntry { return tarEntry{hdr: tar.Header{Typeflag: tar.TypeDir, Name: name}} }
func file(name, body string) tarEntry {
	return tarEntry{hdr: tar.Header{Typeflag: tar.TypeReg, Name: name}, body: body}
}
func symlink(name, target string) tarEntry {
	return tarEntry{hdr: tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target}}
}
func hardlink(name, target string) tarEntry {
	return tarEntry{hdr: tar.Header{Typeflag: tar.TypeLink, Name: name, Linkname: target}}
}

func apply(t *testing.T, root string, data []byte) error {
	t.Helper()
	return extractTar(root, bytes.NewReader(data), extractOptions{whiteouts: true})
}

func readString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExtractAppliesWhiteoutsAndLinks(t *testing.T) {
	root := t.TempDir()
	lower := tarOf(t, dir("a/"), file("a/keep", "k"), file("a/gone", "g"), dir("junk/"), file("junk/old", "o"),
		file("data", "d"), symlink("link", "/data"))
	upper := tarOf(t, file("a/.wh.gone", ""), dir("junk/"), file("junk/new", "n"), file("junk/.wh..wh..opq", ""),
		hardlink("hard", "data"))
	if err := apply(t, root, lower); err != nil {
		t.Fatal(err)
	}
	if err := apply(t, root, upper); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{"a/keep": true, "a/gone": false, "junk/old": false, "junk/new": true} {
		if _, err := os.Lstat(filepath.Join(root, p)); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", p, err == nil, want)
		}
	}
	if target, _ := os.Readlink(filepath.Join(root, "link")); target != "/data" {
		t.Errorf("symlink target %q", target)
	}
	a, _ := os.Stat(filepath.Join(root, "data"))
	b, _ := os.Stat(filepath.Join(root, "hard"))
	if !os.SameFile(a, b) {
		t.Error("hard link is not the same file")
	}
}

func TestExtractRefusesToLeaveTheRoot(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"dot-dot":   tarOf(t, file("../escape", "x")),
		"hard link": tarOf(t, hardlink("h", "../../etc/passwd")),
	} {
		if err := apply(t, root, data); err == nil || !strings.Contains(err.Error(), "leaves the root") {
			t.Errorf("%s: got %v", name, err)
		}
	}
	// A symlink to the outside is followed inside the root, as in a chroot.
	data := tarOf(t, symlink("out", parent), file("out/escape", "x"), symlink("up", "../../.."), file("up/up2", "y"))
	if err := apply(t, root, data); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(parent, "escape")); err == nil {
		t.Error("wrote through a symlink out of the root")
	}
	if got := readString(t, filepath.Join(root, strings.TrimPrefix(parent, "/"), "escape")); got != "x" {
		t.Errorf("content %q", got)
	}
	if got := readString(t, filepath.Join(root, "up2")); got != "y" {
		t.Errorf("content %q", got)
	}
}

func TestSnapshotDiffBecomesALayer(t *testing.T) {
	root := t.TempDir()
	if err := apply(t, root, tarOf(t, dir("etc/"), file("etc/a", "1"), file("etc/b", "2"), dir("d/"), file("d/x", "x"))); err != nil {
		t.Fatal(err)
	}
	before, err := takeSnapshot(root, defaultIgnored)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	must(t, os.WriteFile(filepath.Join(root, "etc/a"), []byte("changed"), 0o644))
	must(t, os.Remove(filepath.Join(root, "etc/b")))
	must(t, os.RemoveAll(filepath.Join(root, "d")))
	must(t, os.MkdirAll(filepath.Join(root, "new/sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "new/sub/f"), []byte("f"), 0o600))
	must(t, os.Link(filepath.Join(root, "new/sub/f"), filepath.Join(root, "new/g")))
	must(t, os.MkdirAll(filepath.Join(root, "proc/1"), 0o755))
	after, err := takeSnapshot(root, defaultIgnored)
	if err != nil {
		t.Fatal(err)
	}
	changed, deleted := diffSnapshots(before, after)
	if strings.Join(deleted, ",") != "d,etc/b" {
		t.Errorf("deleted %v", deleted)
	}
	data, err := layerTar(root, changed, deleted, &epoch)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	links := map[string]string{}
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		names = append(names, h.Name)
		if !h.ModTime.Equal(epoch) {
			t.Errorf("%s: mtime %v", h.Name, h.ModTime)
		}
		if h.Typeflag == tar.TypeLink {
			links[h.Name] = h.Linkname
		}
		if h.Name == "new/g" && h.Mode != 0o600 {
			t.Errorf("new/g: mode %o", h.Mode)
		}
	}
	if len(links) != 1 || links["new/sub/f"] != "new/g" {
		t.Errorf("hard links %v", links)
	}
	want := ".wh.d,etc/,etc/.wh.b,etc/a,new/,new/g,new/sub/,new/sub/f"
	if strings.Join(names, ",") != want {
		t.Errorf("layer %v, want %s", names, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
