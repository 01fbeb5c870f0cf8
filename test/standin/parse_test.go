package main

import (
	"reflect"
	"strings"
	"testing"
)

func lookupIn(m map[string]string) lookupFunc {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

func TestShellWordsExpandsLikeDocker(t *testing.T) {
	vars := lookupIn(map[string]string{"A": "a b", "E": ""})
	for in, want := range map[string][]string{
		`$A x`:                  {"a", "b", "x"},
		`"$A" x`:                {"a b", "x"},
		`'$A' ${A}`:             {"$A", "a", "b"},
		`${E:-def} ${E-set}`:    {"def"},
		`${U:-"d e"} ${A:+alt}`: {"d", "e", "alt"},
		`a\ b \$A $ 5$`:         {"a b", "$A", "$", "5$"},
	} {
		got, err := shellWords(in, vars, true)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %q %v, want %q", in, got, err, want)
		}
	}
	if _, err := shellWords(`${U:?needed}`, vars, true); err == nil || !strings.Contains(err.Error(), "needed") {
		t.Errorf("${U:?}: %v", err)
	}
	if w, _ := expandWord(`/a b/$A`, vars); w != "/a b/a b" {
		t.Errorf("expandWord: %q", w)
	}
}

func TestKeyValues(t *testing.T) {
	vars := lookupIn(map[string]string{"V": "1"})
	got, err := keyValues(`a=$V "b c"="d e" f=g\ h`, vars, true)
	want := [][2]string{{"a", "1"}, {"b c", "d e"}, {"f", "g h"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %q %v", got, err)
	}
	if got, _ := keyValues(`KEY some value $V`, vars, true); !reflect.DeepEqual(got, [][2]string{{"KEY", "some value 1"}}) {
		t.Errorf("legacy form: %q", got)
	}
}

func TestParseInstructionFlagsAndJSON(t *testing.T) {
	ins := parseInstruction(`COPY --from=build --chown=1:2 ["a b", "/c/"]`, 3)
	if ins.Command != "COPY" || ins.Flags["from"] != "build" || ins.Flags["chown"] != "1:2" {
		t.Errorf("flags: %+v", ins)
	}
	if !ins.IsJSON || !reflect.DeepEqual(ins.JSON, []string{"a b", "/c/"}) {
		t.Errorf("json: %+v", ins)
	}
	if ins := parseInstruction("run  [not json", 1); ins.IsJSON || ins.Rest != "[not json" || ins.Command != "RUN" {
		t.Errorf("shell form: %+v", ins)
	}
	df, err := parseDockerfile("ARG A=1\nARG B\nFROM --platform=$BUILDPLATFORM x:$A AS One\nRUN y\n")
	if err != nil || len(df.MetaArgs) != 2 || df.Stages[0].Platform != "$BUILDPLATFORM" || df.Stages[0].Name != "one" {
		t.Errorf("dockerfile: %+v %v", df, err)
	}
}

func TestDockerignore(t *testing.T) {
	d, err := newDockerignore([]string{"# comment", "*.log", "/build", "**/tmp", "docs/**/*.md", "!keep.log", "secret?"})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"a.log": true, "keep.log": false, "sub/a.log": false, "build/x": true, "src/build": false,
		"tmp": true, "a/b/tmp/c": true, "docs/x.md": true, "docs/a/b/x.md": true, "docs/x.txt": false,
		"secret1": true, "secret12": false, "main.go": false,
	} {
		if got := d.ignored(p); got != want {
			t.Errorf("%s: ignored %v, want %v", p, got, want)
		}
	}
	if d.prunable("build") {
		t.Error("a directory may not be pruned while exceptions exist")
	}
}

func TestPlatformMatching(t *testing.T) {
	arm64 := platform{OS: "linux", Architecture: "arm64"}
	for _, c := range []struct {
		have, want platform
		ok         bool
	}{
		{platform{"linux", "arm64", "v8"}, arm64, true},
		{arm64, platform{"linux", "arm64", "v8"}, true},
		{platform{"linux", "arm", "v6"}, platform{"linux", "arm", "v7"}, false},
		{platform{"linux", "arm", ""}, platform{"linux", "arm", "v7"}, true},
		{platform{"linux", "amd64", ""}, arm64, false},
		{platform{"windows", "amd64", ""}, platform{"linux", "amd64", ""}, false},
	} {
		if got := c.have.satisfies(c.want); got != c.ok {
			t.Errorf("%s satisfies %s: %v", c.have, c.want, got)
		}
	}
	entries := []descriptor{
		{Digest: "att", Platform: &ociPlatform{OS: "unknown", Architecture: "unknown"}},
		{Digest: "amd", Platform: &ociPlatform{OS: "linux", Architecture: "amd64"}},
		{Digest: "arm", Platform: &ociPlatform{OS: "linux", Architecture: "arm64", Variant: "v8"}},
	}
	if d, err := choosePlatform(entries, arm64); err != nil || d.Digest != "arm" {
		t.Errorf("chose %v %v", d, err)
	}
	if _, err := choosePlatform(entries, platform{OS: "linux", Architecture: "s390x"}); err == nil {
		t.Error("expected no child for s390x")
	}
	if p, _ := parsePlatform("Linux/x86_64"); p != (platform{OS: "linux", Architecture: "amd64"}) {
		t.Errorf("parsePlatform: %v", p)
	}
}

func TestRegistryMapsAndRemap(t *testing.T) {
	t.Setenv("KANIKO_REGISTRY_MAP", "")
	o := &Options{RegistryMapFlags: []string{"r.io=m1;r.io=m2/pre", "q.io=m3"}, RegistryMirrors: []string{"hub-mirror"}}
	if err := parseRegistryMaps(o); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"r.io": {"m1", "m2/pre"}, "q.io": {"m3"}, "index.docker.io": {"hub-mirror"}}
	if !reflect.DeepEqual(o.RegistryMaps, want) {
		t.Errorf("maps: %v", o.RegistryMaps)
	}
	if err := parseRegistryMaps(&Options{RegistryMapFlags: []string{"r.io=a;b"}}); err == nil {
		t.Error("expected `b` without `=` to be refused, as kaniko does")
	}
	ref, _ := parseReference("busybox@sha256:" + strings.Repeat("a", 64))
	if got := remap(ref, "m2/pre").String(); got != "m2/pre/library/busybox@sha256:"+strings.Repeat("a", 64) {
		t.Errorf("remap: %s", got)
	}
}
