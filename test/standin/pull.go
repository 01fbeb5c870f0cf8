package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// manifestAccept lists every manifest and index type the stand-in can read.
var manifestAccept = strings.Join([]string{mediaTypeIndex, mediaTypeManifest, mediaTypeDockerList, mediaTypeDockerManifest}, ", ")

// pulledImage is a base image (or a COPY --from image) fetched from a registry.
type pulledImage struct {
	Name        string // the repository that served it, e.g. 127.0.0.1:5001/library/busybox
	Digest      string // the platform manifest's digest
	IndexDigest string // the index it was chosen from, if any
	Config      imageConfig
	Layers      []layer
}

// puller fetches images the way kaniko's RetrieveRemoteImage does, remembering each one.
type puller struct {
	log   *logger
	opts  *Options
	cache map[string]*pulledImage
}

func newPuller(log *logger, opts *Options) *puller {
	return &puller{log: log, opts: opts, cache: map[string]*pulledImage{}}
}

// parseRegistryMaps fills o.RegistryMaps as kaniko does: every --registry-map value (and
// $KANIKO_REGISTRY_MAP) is `orig=mirror[;orig2=mirror2…]`, then every --registry-mirror (and
// $KANIKO_REGISTRY_MIRROR) adds `index.docker.io=mirror`.
func parseRegistryMaps(o *Options) error {
	o.RegistryMaps = map[string][]string{}
	values := o.RegistryMapFlags
	if v, ok := os.LookupEnv("KANIKO_REGISTRY_MAP"); ok {
		values = append(values, v)
	}
	mirrors := o.RegistryMirrors
	if v, ok := os.LookupEnv("KANIKO_REGISTRY_MIRROR"); ok {
		mirrors = append(mirrors, v)
	}
	for _, m := range mirrors {
		values = append(values, dockerHubRegistry+"="+m)
	}
	for _, value := range values {
		if value == "" {
			continue
		}
		for _, kv := range strings.Split(value, ";") {
			key, mirror, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("invalid argument value. expect key=value, got %s", kv)
			}
			o.RegistryMaps[key] = append(o.RegistryMaps[key], mirror)
		}
	}
	return nil
}

// remap moves ref to a mirror given as `host[/prefix]`: the host replaces the registry and the
// prefix is put before the repository path, as kaniko's registry map does.
func remap(ref reference, mirror string) reference {
	host, prefix, _ := strings.Cut(mirror, "/")
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	ref.Registry, ref.Repository = host, prefix+ref.Repository
	return ref
}

// retrieve returns the image for one platform, from the mirrors of its registry first (unless
// none has it), then from the registry itself unless --skip-default-registry-fallback.
func (p *puller) retrieve(image string, want platform) (*pulledImage, error) {
	p.log.Infof("Retrieving image manifest %s", image)
	key := image + " " + want.String()
	if img, ok := p.cache[key]; ok {
		p.log.Infof("Returning cached image manifest")
		return img, nil
	}
	ref, err := parseReference(image)
	if err != nil {
		return nil, err
	}
	if mirrors, ok := p.opts.RegistryMaps[ref.Registry]; ok {
		for _, mirror := range mirrors {
			mapped := remap(ref, mirror)
			p.log.Infof("Retrieving image %s from mapped registry %s", mapped, mapped.Registry)
			img, err := p.fetchWithRetry(mapped, want)
			if err != nil {
				p.log.Warnf("Failed to retrieve image %s from remapped registry %s: %s. Will try with the next registry, or fallback to the original registry.", mapped, mapped.Registry, err)
				continue
			}
			p.cache[key] = img
			return img, nil
		}
		if len(mirrors) > 0 && p.opts.SkipDefaultFallback {
			return nil, fmt.Errorf("image not found on any configured mapped registries for %s", ref)
		}
	}
	p.log.Infof("Retrieving image %s from registry %s", ref, ref.Registry)
	img, err := p.fetchWithRetry(ref, want)
	if err != nil {
		return nil, fmt.Errorf("retrieving image %s: %w", image, err)
	}
	p.cache[key] = img
	return img, nil
}

// fetchWithRetry is kaniko's RetryWithResult around one registry: --image-download-retry
// more attempts, 1 s, 2 s, 4 s… apart.
func (p *puller) fetchWithRetry(ref reference, want platform) (*pulledImage, error) {
	var img *pulledImage
	err := retry(p.log, p.opts.ImageDownloadRetry, func() error {
		var err error
		img, err = p.fetch(ref, want)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("unable to complete operation after %d attempts, last error: %w", p.opts.ImageDownloadRetry, err)
	}
	return img, nil
}

// fetch downloads the manifest for the platform, the config and every layer, each checked
// against its digest and size.
func (p *puller) fetch(ref reference, want platform) (*pulledImage, error) {
	c, err := newRegistryClient(p.log, p.opts, ref, true)
	if err != nil {
		return nil, err
	}
	if err := c.authorize(); err != nil {
		return nil, err
	}
	body, mediaType, err := c.getManifest(ref.Identifier(), ref.Digest)
	if err != nil {
		return nil, fmt.Errorf("failed to get image manifest: %w", err)
	}
	img := &pulledImage{Name: ref.Name(), Digest: sha256Digest(body)}
	var m manifest
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("parsing manifest of %s: %w", ref, err)
	}
	if mediaType == "" {
		mediaType = m.MediaType
	}
	if mediaType == mediaTypeIndex || mediaType == mediaTypeDockerList || (m.Config == nil && len(m.Manifests) > 0) {
		child, err := choosePlatform(m.Manifests, want)
		if err != nil {
			return nil, fmt.Errorf("%w in index %s", err, ref)
		}
		img.IndexDigest = img.Digest
		if body, _, err = c.getManifest(child.Digest, child.Digest); err != nil {
			return nil, fmt.Errorf("failed to get image manifest: %w", err)
		}
		img.Digest = child.Digest
		m = manifest{}
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, fmt.Errorf("parsing manifest %s: %w", child.Digest, err)
		}
	}
	if m.Config == nil {
		return nil, fmt.Errorf("manifest %s of %s has no config", img.Digest, ref)
	}
	cfgData, err := c.getBlob(*m.Config)
	if err != nil {
		return nil, fmt.Errorf("fetching config of %s: %w", ref, err)
	}
	if err := json.Unmarshal(cfgData, &img.Config); err != nil {
		return nil, fmt.Errorf("parsing config of %s: %w", ref, err)
	}
	if len(img.Config.RootFS.DiffIDs) != len(m.Layers) {
		return nil, fmt.Errorf("config of %s lists %d diff_ids for %d layers", ref, len(img.Config.RootFS.DiffIDs), len(m.Layers))
	}
	for i, d := range m.Layers {
		mt, err := layerMediaType(d.MediaType)
		if err != nil {
			return nil, err
		}
		data, err := c.getBlob(d)
		if err != nil {
			return nil, fmt.Errorf("fetching layer %s of %s: %w", d.Digest, ref, err)
		}
		img.Layers = append(img.Layers, layer{blob: blob{MediaType: mt, Digest: d.Digest, Data: data}, DiffID: img.Config.RootFS.DiffIDs[i]})
	}
	return img, nil
}

// layerMediaType gives the OCI media type for a layer type the stand-in can unpack (Docker's
// types carry the same bytes).
func layerMediaType(mt string) (string, error) {
	switch mt {
	case mediaTypeLayer, mediaTypeDockerLayer:
		return mediaTypeLayer, nil
	case mediaTypeLayerTar, mediaTypeDockerLayerTar:
		return mediaTypeLayerTar, nil
	}
	return "", fmt.Errorf("layer media type %s is not supported by the stand-in", mt)
}

// choosePlatform picks the first manifest of an index that serves the platform, skipping
// attestation manifests (buildx's unknown/unknown entries).
func choosePlatform(entries []descriptor, want platform) (descriptor, error) {
	for _, d := range entries {
		if d.Platform == nil || d.Annotations["vnd.docker.reference.type"] == "attestation-manifest" {
			continue
		}
		have := platform{OS: d.Platform.OS, Architecture: d.Platform.Architecture, Variant: d.Platform.Variant}
		if have.satisfies(want) {
			return d, nil
		}
	}
	return descriptor{}, fmt.Errorf("no child with platform %s", want)
}

// getManifest GETs a manifest or index; when digest is set, the body must have that digest.
func (c *registryClient) getManifest(identifier, digest string) ([]byte, string, error) {
	u := c.url("/v2/" + c.repository + "/manifests/" + identifier)
	resp, err := c.do(http.MethodGet, u, nil, http.Header{"Accept": {manifestAccept}}, http.StatusOK)
	if err != nil {
		return nil, "", err
	}
	if digest != "" && sha256Digest(resp.body) != digest {
		return nil, "", fmt.Errorf("GET %s: manifest digest %s does not match %s", u, sha256Digest(resp.body), digest)
	}
	mt, _, _ := strings.Cut(resp.header.Get("Content-Type"), ";")
	return resp.body, strings.TrimSpace(mt), nil
}

// getBlob GETs a blob and checks its size and sha256 against the descriptor.
func (c *registryClient) getBlob(d descriptor) ([]byte, error) {
	u := c.url("/v2/" + c.repository + "/blobs/" + d.Digest)
	resp, err := c.do(http.MethodGet, u, nil, nil, http.StatusOK)
	if err != nil {
		return nil, err
	}
	if int64(len(resp.body)) != d.Size {
		return nil, fmt.Errorf("GET %s: got %d bytes, want %d", u, len(resp.body), d.Size)
	}
	if got := sha256Digest(resp.body); got != d.Digest {
		return nil, fmt.Errorf("error verifying sha256 checksum after reading %d bytes; got %q, want %q", len(resp.body), got, d.Digest)
	}
	return resp.body, nil
}
