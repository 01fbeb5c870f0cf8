package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseArgsForms(t *testing.T) {
	o, pos, err := parseArgs([]string{
		"--context=dir:///ctx", "--dockerfile", "Dockerfile.x",
		"-d", "r.io/a:1", "--destination=r.io/a:latest", "-dr.io/b:2",
		"--build-arg", "A=1", "--build-arg=B", "--label", "k=v=w",
		"--no-push", "--cache=false", "--insecure-registry", "127.0.0.1:5000",
		"--registry-certificate", "r.io=/c.pem", "-v=debug", "--cleanup", "--",
		"positional",
	})
	if err != nil {
		t.Fatal(err)
	}
	if o.SrcContext != "dir:///ctx" || o.DockerfilePath != "Dockerfile.x" || o.Verbosity != "debug" {
		t.Errorf("strings: %+v", o)
	}
	if !reflect.DeepEqual(o.Destinations, []string{"r.io/a:1", "r.io/a:latest", "r.io/b:2"}) {
		t.Errorf("destinations: %v", o.Destinations)
	}
	if !reflect.DeepEqual(o.BuildArgs, []string{"A=1", "B"}) || !reflect.DeepEqual(o.Labels, []string{"k=v=w"}) {
		t.Errorf("multi: %v %v", o.BuildArgs, o.Labels)
	}
	if !o.NoPush || o.Cache || o.RegistryCertificates["r.io"] != "/c.pem" {
		t.Errorf("bools/maps: %+v", o)
	}
	if !reflect.DeepEqual(pos, []string{"positional"}) {
		t.Errorf("positional: %v", pos)
	}
}

func TestParseArgsErrors(t *testing.T) {
	for args, want := range map[string]string{
		"--bogus":                "unknown flag: --bogus",
		"--bogus=1":              "unknown flag: --bogus",
		"-z":                     "unknown shorthand flag: 'z' in -z",
		"--context":              "flag needs an argument: --context",
		"--cache=maybe":          `invalid argument "maybe" for "--cache" flag`,
		"--push-retry=x":         `invalid argument "x" for "--push-retry" flag`,
		"--registry-certificate": "flag needs an argument",
	} {
		_, _, err := parseArgs(strings.Fields(args))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", args, err, want)
		}
	}
}

func TestParseTag(t *testing.T) {
	for in, want := range map[string]string{
		"alpine":                      "index.docker.io/library/alpine:latest",
		"docker.io/me/app:v1.0.0":     "index.docker.io/me/app:v1.0.0",
		"127.0.0.1:5000/a/b":          "127.0.0.1:5000/a/b:latest",
		"127.0.0.1:5000/a/b:v1":       "127.0.0.1:5000/a/b:v1",
		"localhost/app:1":             "index.docker.io/localhost/app:1",
		"ghcr.io/org/team/image:beta": "ghcr.io/org/team/image:beta",
	} {
		ref, err := parseTag(in)
		if err != nil || ref.String() != want {
			t.Errorf("%s: got %v %v, want %s", in, ref, err, want)
		}
	}
	for _, bad := range []string{"", "Upper/case", "r.io/a:bad tag", "r.io/a@sha256:00"} {
		if _, err := parseTag(bad); err == nil {
			t.Errorf("%q: expected an error", bad)
		}
	}
}

func TestParseChallenge(t *testing.T) {
	scheme, params := parseChallenge(`Bearer realm="https://auth.example/token",service="reg \"x\"",scope=repository:a:pull`)
	if scheme != "Bearer" || params["realm"] != "https://auth.example/token" ||
		params["service"] != `reg "x"` || params["scope"] != "repository:a:pull" {
		t.Errorf("got %s %v", scheme, params)
	}
	scheme, params = parseChallenge(`Basic realm="basic-realm"`)
	if scheme != "Basic" || params["realm"] != "basic-realm" {
		t.Errorf("got %s %v", scheme, params)
	}
}

func TestParseDockerfile(t *testing.T) {
	df, err := parseDockerfile("# standin:sleep 0.5\nARG V=1\nFROM alpine AS base\nRUN echo a \\\n  b\n" +
		"FROM --platform=linux/amd64 base AS final\n# standin:fail 3\nCOPY . /x\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(df.Stages) != 2 || df.Stages[0].Name != "base" || df.Stages[1].BaseImage != "base" {
		t.Errorf("stages: %+v", df.Stages)
	}
	if got := df.Stages[0].Commands[0].Line; got != "RUN echo a  b" {
		t.Errorf("continuation: %q", got)
	}
	if i, err := df.targetStage("BASE"); err != nil || i != 0 {
		t.Errorf("target: %d %v", i, err)
	}
	if _, err := df.targetStage("nope"); err == nil {
		t.Error("expected an unknown target to fail")
	}
	if d, ok := df.directive("fail"); !ok || d.Arg != "3" {
		t.Errorf("directives: %+v", df.Directives)
	}
	for _, bad := range []string{"", "RUN x\n", "FROM a\n# standin:fail 0\n", "FROM a\n# standin:nope\n"} {
		if _, err := parseDockerfile(bad); err == nil {
			t.Errorf("%q: expected an error", bad)
		}
	}
}

func TestBuildTxtLayerDescribesTheBuildButNotTheLabels(t *testing.T) {
	in := buildInput{Dockerfile: "FROM scratch\n", BuildArgs: []string{"X=1"}, Platform: platform{OS: "linux", Architecture: "amd64"}}
	a, err := buildTxtLayer(in, epoch)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := buildTxtLayer(in, epoch)
	if a.Digest != b.Digest || a.DiffID != b.DiffID {
		t.Error("same input, different layers")
	}
	in.BuildArgs = []string{"X=2"}
	if c, _ := buildTxtLayer(in, epoch); c.Digest == a.Digest {
		t.Error("a build arg did not change the layer")
	}
	text := describeBuild(in)
	if !strings.Contains(text, "build-arg: X=2") || strings.Contains(text, "label") {
		t.Errorf("build.txt: %s", text)
	}
}

func TestFinishWritesDiffIDsAndLabels(t *testing.T) {
	l, _ := buildTxtLayer(buildInput{Dockerfile: "FROM scratch\n"}, epoch)
	img := &image{Layers: []layer{l}}
	img.Config.Config.Labels = map[string]string{"a": "1"}
	out, err := finish(img, map[string]string{"k": "v"}, platform{OS: "linux", Architecture: "amd64"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out.Config.Data), `"Labels":{"a":"1"}`) ||
		!strings.Contains(string(out.Config.Data), `"diff_ids":["`+l.DiffID+`"]`) {
		t.Errorf("config: %s", out.Config.Data)
	}
	if !strings.Contains(string(out.Manifest.Data), `"annotations":{"k":"v"}`) {
		t.Errorf("manifest: %s", out.Manifest.Data)
	}
}
