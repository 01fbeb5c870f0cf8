package main

import (
	"fmt"
	"net/url"
	"strings"
)

const (
	// dockerHubRegistry is where references without a registry host point, as in
	// go-containerregistry.
	dockerHubRegistry = "index.docker.io"
	// dockerHubAuthKey is the key of Docker Hub's entry in a docker config.json.
	dockerHubAuthKey = "https://index.docker.io/v1/"
	repositoryChars  = "abcdefghijklmnopqrstuvwxyz0123456789_-./"
	tagChars         = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-."
)

// reference is a parsed image reference: a tag (every `--destination` is one, as kaniko
// requires), or a digest for base images.
type reference struct {
	Registry   string // "index.docker.io", "127.0.0.1:5000", "ghcr.io"
	Repository string // "library/alpine", "org/app"
	Tag        string
	Digest     string // "sha256:…" when the reference names a digest
}

// Name is the repository with its registry, e.g. "127.0.0.1:5000/org/app".
func (r reference) Name() string { return r.Registry + "/" + r.Repository }

// String is the full reference, e.g. "127.0.0.1:5000/org/app:v1" or "…/app@sha256:…".
func (r reference) String() string {
	if r.Digest != "" {
		return r.Name() + "@" + r.Digest
	}
	return r.Name() + ":" + r.Tag
}

// Identifier is what goes after /manifests/ in the distribution API: the digest or the tag.
func (r reference) Identifier() string {
	if r.Digest != "" {
		return r.Digest
	}
	return r.Tag
}

// parseReference parses a tag or a digest reference (`name@sha256:…`, a tag before the
// digest being ignored), as go-containerregistry's name.ParseReference does.
func parseReference(s string) (reference, error) {
	base, digest, ok := strings.Cut(s, "@")
	if !ok {
		return parseTag(s)
	}
	hex := strings.TrimPrefix(digest, "sha256:")
	if len(hex) != 64 || strings.Trim(hex, "0123456789abcdef") != "" || !strings.HasPrefix(digest, "sha256:") {
		return reference{}, fmt.Errorf("unsupported digest %q in %s", digest, s)
	}
	ref, err := parseTag(base)
	if err != nil {
		return reference{}, err
	}
	ref.Tag, ref.Digest = "", digest
	return ref, nil
}

// parseTag parses an image reference the way go-containerregistry's name.NewTag does with weak
// validation: the last `:` that is not part of a host:port starts the tag (default "latest"),
// and the first path component is a registry only if it holds a `.` or a `:`.
func parseTag(s string) (reference, error) {
	base, tag := s, ""
	parts := strings.Split(s, ":")
	if last := parts[len(parts)-1]; len(parts) > 1 && !strings.Contains(last, "/") {
		base = strings.Join(parts[:len(parts)-1], ":")
		tag = last
	}
	if tag == "" {
		tag = "latest"
	} else if err := checkElement("tag", tag, tagChars, 1, 128); err != nil {
		return reference{}, err
	}
	if base == "" {
		return reference{}, fmt.Errorf("a repository name must be specified")
	}
	registry, repo := "", base
	if first, rest, ok := strings.Cut(base, "/"); ok && strings.ContainsAny(first, ".:") {
		registry, repo = first, rest
	}
	switch registry {
	case "", "docker.io":
		registry = dockerHubRegistry
	}
	if registry == dockerHubRegistry && !strings.Contains(repo, "/") {
		repo = "library/" + repo
	}
	if err := checkElement("repository", repo, repositoryChars, 2, 255); err != nil {
		return reference{}, err
	}
	if u, err := url.Parse("//" + registry); err != nil || u.Host != registry {
		return reference{}, fmt.Errorf("registries must be valid RFC 3986 URI authorities: %s", registry)
	}
	return reference{Registry: registry, Repository: repo, Tag: tag}, nil
}

func checkElement(kind, element, allowed string, minLen, maxLen int) error {
	if len(element) < minLen || len(element) > maxLen {
		return fmt.Errorf("%s must be between %d and %d characters in length: %s", kind, minLen, maxLen, element)
	}
	for _, c := range element {
		if !strings.ContainsRune(allowed, c) {
			return fmt.Errorf("%s can only contain the characters `%s`: %s", kind, allowed, element)
		}
	}
	return nil
}
