package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// writeLayout writes the image to an OCI image layout at dir, as kaniko's --oci-layout-path
// does with go-containerregistry's layout.Write and AppendImage: `oci-layout`, the blobs under
// blobs/sha256/, and an index.json that lists this one manifest. Like kaniko's, the index
// entry carries no platform: it is in the image config.
func writeLayout(dir string, img *builtImage) error {
	blobs := filepath.Join(dir, "blobs", "sha256")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		return err
	}
	for _, b := range append(append([]blob{img.Config}, img.Layers...), img.Manifest) {
		p := filepath.Join(blobs, strings.TrimPrefix(b.Digest, "sha256:"))
		if _, err := os.Stat(p); err == nil {
			continue
		}
		if err := writeAtomically(p, b.Data); err != nil {
			return err
		}
	}
	if err := writeAtomically(filepath.Join(dir, "oci-layout"), []byte(`{"imageLayoutVersion": "1.0.0"}`)); err != nil {
		return err
	}
	index, err := json.Marshal(manifest{SchemaVersion: 2, MediaType: mediaTypeIndex, Manifests: []descriptor{img.Manifest.descriptor()}})
	if err != nil {
		return err
	}
	return writeAtomically(filepath.Join(dir, "index.json"), index)
}

func writeAtomically(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
