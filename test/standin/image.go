package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Media types of images and layers.
const (
	mediaTypeManifest       = "application/vnd.oci.image.manifest.v1+json"
	mediaTypeIndex          = "application/vnd.oci.image.index.v1+json"
	mediaTypeConfig         = "application/vnd.oci.image.config.v1+json"
	mediaTypeLayer          = "application/vnd.oci.image.layer.v1.tar+gzip"
	mediaTypeLayerTar       = "application/vnd.oci.image.layer.v1.tar"
	mediaTypeLayerZstd      = "application/vnd.oci.image.layer.v1.tar+zstd"
	mediaTypeDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	mediaTypeDockerList     = "application/vnd.docker.distribution.manifest.list.v2+json"
	mediaTypeDockerConfig   = "application/vnd.docker.container.image.v1+json"
	mediaTypeDockerLayer    = "application/vnd.docker.image.rootfs.diff.tar.gzip"
	mediaTypeDockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar"
)

// zeroTime is what go-containerregistry's mutate.Canonical (kaniko's --reproducible) writes
// for the config's and the history's `created`: Go's zero time.
const zeroTime = "0001-01-01T00:00:00Z"

// epoch is the modification time of files in new layers with --reproducible (a zero tar
// mtime, read back as 1970-01-01).
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

type ociPlatform struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
	Variant      string `json:"variant,omitempty"`
}

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Platform    *ociPlatform      `json:"platform,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

func (b blob) descriptor() descriptor {
	return descriptor{MediaType: b.MediaType, Digest: b.Digest, Size: int64(len(b.Data))}
}

// manifest is an image manifest or an index (Manifests set), OCI or Docker.
type manifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType,omitempty"`
	Config        *descriptor       `json:"config,omitempty"`
	Layers        []descriptor      `json:"layers,omitempty"`
	Manifests     []descriptor      `json:"manifests,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// containerConfig is the `config` object of an image config (the fields kaniko can set).
type containerConfig struct {
	User         string              `json:"User,omitempty"`
	ExposedPorts map[string]struct{} `json:"ExposedPorts,omitempty"`
	Env          []string            `json:"Env,omitempty"`
	Entrypoint   []string            `json:"Entrypoint,omitempty"`
	Cmd          []string            `json:"Cmd,omitempty"`
	Healthcheck  *healthcheck        `json:"Healthcheck,omitempty"`
	ArgsEscaped  bool                `json:"ArgsEscaped,omitempty"`
	Volumes      map[string]struct{} `json:"Volumes,omitempty"`
	WorkingDir   string              `json:"WorkingDir,omitempty"`
	OnBuild      []string            `json:"OnBuild,omitempty"`
	Labels       map[string]string   `json:"Labels,omitempty"`
	StopSignal   string              `json:"StopSignal,omitempty"`
	Shell        []string            `json:"Shell,omitempty"`
}

type healthcheck struct {
	Test        []string      `json:"Test,omitempty"`
	Interval    time.Duration `json:"Interval,omitempty"`
	Timeout     time.Duration `json:"Timeout,omitempty"`
	StartPeriod time.Duration `json:"StartPeriod,omitempty"`
	Retries     int           `json:"Retries,omitempty"`
}

type historyEntry struct {
	Created    string `json:"created,omitempty"`
	CreatedBy  string `json:"created_by,omitempty"`
	Author     string `json:"author,omitempty"`
	Comment    string `json:"comment,omitempty"`
	EmptyLayer bool   `json:"empty_layer,omitempty"`
}

type rootFS struct {
	Type    string   `json:"type"`
	DiffIDs []string `json:"diff_ids"`
}

type imageConfig struct {
	Architecture string          `json:"architecture"`
	OS           string          `json:"os"`
	Variant      string          `json:"variant,omitempty"`
	Created      string          `json:"created,omitempty"`
	Author       string          `json:"author,omitempty"`
	Config       containerConfig `json:"config"`
	RootFS       rootFS          `json:"rootfs"`
	History      []historyEntry  `json:"history,omitempty"`
}

// layer is a compressed (or plain tar) layer blob and the digest of its uncompressed tar.
type layer struct {
	blob
	DiffID string
}

// image is an image being built: its config (without rootfs, filled in at the end) and its
// layers, base layers first.
type image struct {
	Config imageConfig
	Layers []layer
}

// builtImage is a single-platform OCI image ready to push or to write to a layout.
type builtImage struct {
	Config   blob
	Layers   []blob
	Manifest blob
	Platform platform
}

// finish serialises img: the config with its diff_ids, then an OCI manifest.
func finish(img *image, annotations map[string]string, p platform) (*builtImage, error) {
	cfg := img.Config
	cfg.RootFS = rootFS{Type: "layers", DiffIDs: []string{}}
	out := &builtImage{Platform: p}
	m := manifest{SchemaVersion: 2, MediaType: mediaTypeManifest, Layers: []descriptor{}}
	for _, l := range img.Layers {
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, l.DiffID)
		out.Layers = append(out.Layers, l.blob)
		m.Layers = append(m.Layers, l.descriptor())
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	out.Config = newBlob(mediaTypeConfig, cfgJSON)
	d := out.Config.descriptor()
	m.Config = &d
	if len(annotations) > 0 {
		m.Annotations = annotations
	}
	manifestJSON, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	out.Manifest = newBlob(mediaTypeManifest, manifestJSON)
	return out, nil
}

// newLayer compresses an uncompressed tar into an OCI gzip layer.
func newLayer(tarData []byte) (layer, error) {
	gz, err := gzipBytes(tarData)
	if err != nil {
		return layer{}, fmt.Errorf("compressing layer: %w", err)
	}
	return layer{blob: newBlob(mediaTypeLayer, gz), DiffID: sha256Digest(tarData)}, nil
}

// buildInput is what standin/build.txt describes.
type buildInput struct {
	Dockerfile string
	BuildArgs  []string
	Target     string
	Platform   platform
}

func targetName(target string) string {
	if target == "" {
		return "(last stage)"
	}
	return target
}

// describeBuild is the text of standin/build.txt, the last layer of every image.
func describeBuild(in buildInput) string {
	var b strings.Builder
	fmt.Fprintf(&b, "platform: %s\n", in.Platform)
	fmt.Fprintf(&b, "target: %s\n", targetName(in.Target))
	for _, arg := range in.BuildArgs {
		fmt.Fprintf(&b, "build-arg: %s\n", arg)
	}
	b.WriteString("--- Dockerfile ---\n")
	b.WriteString(in.Dockerfile)
	return b.String()
}

// buildTxtLayer is the layer holding standin/build.txt, owned by root, dated mtime.
func buildTxtLayer(in buildInput, mtime time.Time) (layer, error) {
	content := []byte(describeBuild(in))
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	headers := []*tar.Header{
		{Typeflag: tar.TypeDir, Name: "standin/", Mode: 0o755, ModTime: mtime},
		{Typeflag: tar.TypeReg, Name: "standin/build.txt", Mode: 0o644, Size: int64(len(content)), ModTime: mtime},
	}
	for _, h := range headers {
		if err := tw.WriteHeader(h); err != nil {
			return layer{}, err
		}
	}
	if _, err := tw.Write(content); err != nil {
		return layer{}, err
	}
	if err := tw.Close(); err != nil {
		return layer{}, err
	}
	return newLayer(buf.Bytes())
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
