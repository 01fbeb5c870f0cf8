package main

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// checkPushPermissions opens (and cancels) an upload in every repository that will be pushed
// to: the destinations, or with --no-push the --cache-repo.
func checkPushPermissions(log *logger, o *Options) error {
	targets := o.Destinations
	switch {
	case o.SkipPushPermissionCheck, o.NoPush && o.NoPushCache:
		targets = nil
	case o.NoPush:
		targets = nil
		if o.CacheRepo != "" && !strings.HasPrefix(o.CacheRepo, "oci:") {
			targets = []string{o.CacheRepo}
		}
	}
	checked := map[string]bool{}
	for _, dest := range targets {
		ref, err := parseTag(dest)
		if err != nil {
			return fmt.Errorf("getting tag for destination: %w", err)
		}
		if checked[ref.Name()] {
			continue
		}
		client, err := newRegistryClient(log, o, ref, false)
		if err != nil {
			return fmt.Errorf("making transport for registry %q: %w", ref.Registry, err)
		}
		if err := client.checkPushPermission(); err != nil {
			return fmt.Errorf("checking push permission for %q: %w", ref.String(), err)
		}
		checked[ref.Name()] = true
	}
	return nil
}

// push writes the digest files and the OCI layout, then pushes the same manifest to every destination.
func push(log *logger, o *Options, img *builtImage) error {
	digest := img.Manifest.Digest
	if o.DigestFile != "" {
		if err := writeOutputFile(o.DigestFile, digest); err != nil {
			return fmt.Errorf("writing digest to file failed: %w", err)
		}
	}
	var refs []reference
	var names strings.Builder
	var namesWithTag strings.Builder
	for _, dest := range o.Destinations {
		ref, err := parseTag(dest)
		if err != nil {
			return fmt.Errorf("getting tag for destination: %w", err)
		}
		refs = append(refs, ref)
		fmt.Fprintf(&names, "%s@%s\n", ref.Name(), digest)
		fmt.Fprintf(&namesWithTag, "%s:%s@%s\n", ref.Name(), ref.Tag, digest)
	}
	if o.ImageNameDigestFile != "" {
		if err := writeOutputFile(o.ImageNameDigestFile, names.String()); err != nil {
			return fmt.Errorf("writing image name with digest to file failed: %w", err)
		}
	}
	if o.ImageNameTagDigestFile != "" {
		if err := writeOutputFile(o.ImageNameTagDigestFile, namesWithTag.String()); err != nil {
			return fmt.Errorf("writing image name with image tag and digest to file failed: %w", err)
		}
	}
	if o.OCILayoutPath != "" {
		if err := writeLayout(o.OCILayoutPath, img); err != nil {
			return fmt.Errorf("appending image: %w", err)
		}
		log.Infof("standin: image written to the OCI layout %s", o.OCILayoutPath)
	}
	if o.NoPush {
		log.Infof("Skipping push to container registry due to --no-push flag")
		return nil
	}
	for _, ref := range refs {
		client, err := newRegistryClient(log, o, ref, false)
		if err != nil {
			return fmt.Errorf("making transport for registry %q: %w", ref.Registry, err)
		}
		log.Infof("Pushing image to %s", ref.String())
		err = retry(log, o.PushRetry, func() error { return client.pushImage(img, ref.Tag) })
		if err != nil {
			return fmt.Errorf("failed to push to destination %s: %w", ref.String(), err)
		}
		log.Infof("Pushed %s@%s", ref.Name(), digest)
	}
	return nil
}

// retry runs op once plus up to retries more times, waiting 1 s, 2 s, 4 s... in between.
func retry(log *logger, retries int, op func() error) error {
	err := op()
	delay := time.Second
	for i := 0; err != nil && i < retries; i++ {
		log.Warnf("Retrying operation after %s due to %v", delay, err)
		time.Sleep(delay)
		delay *= 2
		err = op()
	}
	return err
}

// writeOutputFile writes one of the --*-file outputs, creating its directory if needed.
func writeOutputFile(path, content string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(content), 0o644)
}

// startUpload opens a blob upload session and returns its absolute location.
func (c *registryClient) startUpload() (string, error) {
	uploads := c.url("/v2/" + c.repository + "/blobs/uploads/")
	resp, err := c.do(http.MethodPost, uploads, nil, nil, http.StatusAccepted)
	if err != nil {
		return "", err
	}
	loc, err := url.Parse(resp.header.Get("Location"))
	if err != nil || resp.header.Get("Location") == "" {
		return "", fmt.Errorf("POST %s: no valid Location in the response", uploads)
	}
	base, _ := url.Parse(uploads)
	return base.ResolveReference(loc).String(), nil
}

// checkPushPermission does what go-containerregistry's CheckPushPermission does: authorize
// for push and open an upload, then cancel it.
func (c *registryClient) checkPushPermission() error {
	if err := c.authorize(); err != nil {
		return err
	}
	loc, err := c.startUpload()
	if err != nil {
		return err
	}
	if _, err := c.do(http.MethodDelete, loc, nil, nil, http.StatusNoContent, http.StatusOK, http.StatusAccepted); err != nil {
		c.log.Debugf("Cancelling the permission-check upload failed: %v", err)
	}
	return nil
}

// pushBlob uploads one blob unless the repository already has it: POST, then one PUT.
func (c *registryClient) pushBlob(b blob) error {
	head := c.url("/v2/" + c.repository + "/blobs/" + b.Digest)
	if _, err := c.do(http.MethodHead, head, nil, nil, http.StatusOK); err == nil {
		c.log.Debugf("Existing blob %s", b.Digest)
		return nil
	}
	loc, err := c.startUpload()
	if err != nil {
		return err
	}
	u, err := url.Parse(loc)
	if err != nil {
		return err
	}
	q := u.Query()
	q.Set("digest", b.Digest)
	u.RawQuery = q.Encode()
	header := http.Header{"Content-Type": {"application/octet-stream"}}
	if _, err := c.do(http.MethodPut, u.String(), b.Data, header, http.StatusCreated); err != nil {
		return err
	}
	c.log.Debugf("Pushed blob %s", b.Digest)
	return nil
}

// pushImage pushes the image's blobs, then its manifest under tag.
func (c *registryClient) pushImage(img *builtImage, tag string) error {
	if err := c.authorize(); err != nil {
		return err
	}
	for _, b := range append([]blob{img.Config}, img.Layers...) {
		if err := c.pushBlob(b); err != nil {
			return err
		}
	}
	header := http.Header{"Content-Type": {img.Manifest.MediaType}}
	put := c.url("/v2/" + c.repository + "/manifests/" + tag)
	resp, err := c.do(http.MethodPut, put, img.Manifest.Data, header, http.StatusCreated, http.StatusOK)
	if err != nil {
		return err
	}
	if got := resp.header.Get("Docker-Content-Digest"); got != "" && got != img.Manifest.Digest {
		return fmt.Errorf("PUT %s: registry stored digest %s, expected %s", put, got, img.Manifest.Digest)
	}
	return nil
}
