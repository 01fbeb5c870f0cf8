package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"time"
)

// OCI media types of what the stand-in pushes.
const (
	mediaTypeManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaTypeConfig   = "application/vnd.oci.image.config.v1+json"
	mediaTypeLayer    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

// epoch is the creation time of everything the stand-in builds, so that the same input always
// gives the same digest.
var epoch = time.Unix(0, 0).UTC()

// blob is content addressed by its sha256 digest.
type blob struct {
	MediaType string
	Digest    string
	Data      []byte
}

func newBlob(mediaType string, data []byte) blob {
	return blob{MediaType: mediaType, Digest: sha256Digest(data), Data: data}
}

func sha256Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int    `json:"size"`
}

func (b blob) descriptor() descriptor {
	return descriptor{MediaType: b.MediaType, Digest: b.Digest, Size: len(b.Data)}
}

type manifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	Config        descriptor        `json:"config"`
	Layers        []descriptor      `json:"layers"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

type imageConfig struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
	Variant      string `json:"variant,omitempty"`
	Created      string `json:"created"`
	Config       struct {
		Env    []string          `json:"Env"`
		Labels map[string]string `json:"Labels,omitempty"`
	} `json:"config"`
	RootFS struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
	History []struct {
		Created   string `json:"created"`
		CreatedBy string `json:"created_by"`
	} `json:"history"`
}

// platform is an OS/architecture pair, with an optional variant.
type platform struct {
	OS, Architecture, Variant string
}

func (p platform) String() string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// parsePlatform reads --custom-platform (`os/arch[/variant]`); empty means the running one.
func parsePlatform(s string) (platform, error) {
	if s == "" {
		return platform{OS: runtime.GOOS, Architecture: runtime.GOARCH}, nil
	}
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return platform{}, fmt.Errorf("invalid platform %q: expected os/arch[/variant]", s)
	}
	p := platform{OS: parts[0], Architecture: parts[1]}
	if len(parts) == 3 {
		p.Variant = parts[2]
	}
	return p, nil
}

// buildInput is everything the built image depends on.
type buildInput struct {
	Dockerfile  string
	BuildArgs   []string
	Labels      map[string]string
	Annotations map[string]string
	Target      string
	Platform    platform
}

// builtImage is a single-platform OCI image ready to push.
type builtImage struct {
	Config   blob
	Layers   []blob
	Manifest blob
}

// buildImage makes a deterministic image: one gzip layer holding standin/build.txt, a text that
// describes the build, and a config whose Labels are the --label values.
func buildImage(in buildInput) (*builtImage, error) {
	tarData, err := tarFile("standin/build.txt", []byte(describeBuild(in)))
	if err != nil {
		return nil, fmt.Errorf("creating layer: %w", err)
	}
	gz, err := gzipBytes(tarData)
	if err != nil {
		return nil, fmt.Errorf("compressing layer: %w", err)
	}
	layer := newBlob(mediaTypeLayer, gz)

	var cfg imageConfig
	cfg.Architecture = in.Platform.Architecture
	cfg.OS = in.Platform.OS
	cfg.Variant = in.Platform.Variant
	cfg.Created = epoch.Format(time.RFC3339)
	cfg.Config.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	if len(in.Labels) > 0 {
		cfg.Config.Labels = in.Labels
	}
	cfg.RootFS.Type = "layers"
	cfg.RootFS.DiffIDs = []string{sha256Digest(tarData)}
	cfg.History = append(cfg.History, struct {
		Created   string `json:"created"`
		CreatedBy string `json:"created_by"`
	}{Created: cfg.Created, CreatedBy: "standin: build of target " + targetName(in.Target)})
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	config := newBlob(mediaTypeConfig, cfgJSON)

	m := manifest{
		SchemaVersion: 2,
		MediaType:     mediaTypeManifest,
		Config:        config.descriptor(),
		Layers:        []descriptor{layer.descriptor()},
	}
	if len(in.Annotations) > 0 {
		m.Annotations = in.Annotations
	}
	manifestJSON, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return &builtImage{Config: config, Layers: []blob{layer}, Manifest: newBlob(mediaTypeManifest, manifestJSON)}, nil
}

func targetName(target string) string {
	if target == "" {
		return "(last stage)"
	}
	return target
}

// describeBuild is the text stored in the layer; any change of input changes the digest.
func describeBuild(in buildInput) string {
	var b strings.Builder
	fmt.Fprintf(&b, "platform: %s\n", in.Platform)
	fmt.Fprintf(&b, "target: %s\n", targetName(in.Target))
	for _, arg := range in.BuildArgs {
		fmt.Fprintf(&b, "build-arg: %s\n", arg)
	}
	keys := make([]string, 0, len(in.Labels))
	for k := range in.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "label: %s=%s\n", k, in.Labels[k])
	}
	b.WriteString("--- Dockerfile ---\n")
	b.WriteString(in.Dockerfile)
	return b.String()
}

// tarFile makes a tar archive with the file's parent directory and the file, owned by root.
func tarFile(name string, content []byte) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	dir := name[:strings.LastIndex(name, "/")+1]
	headers := []*tar.Header{
		{Typeflag: tar.TypeDir, Name: dir, Mode: 0o755, ModTime: epoch},
		{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(content)), ModTime: epoch},
	}
	for _, h := range headers {
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
	}
	if _, err := tw.Write(content); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func gzipBytes(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
