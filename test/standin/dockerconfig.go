package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// defaultDockerConfigDir is where kaniko's image points DOCKER_CONFIG.
const defaultDockerConfigDir = "/kaniko/.docker"

// credentials for one registry. The zero value means anonymous.
type credentials struct {
	Username      string
	Password      string
	RegistryToken string // a bearer token to send as is
}

func (c credentials) anonymous() bool {
	return c.Username == "" && c.Password == "" && c.RegistryToken == ""
}

type authEntry struct {
	Auth          string `json:"auth"`
	Username      string `json:"username"`
	Password      string `json:"password"`
	IdentityToken string `json:"identitytoken"`
	RegistryToken string `json:"registrytoken"`
}

type dockerConfigFile struct {
	Auths map[string]authEntry `json:"auths"`
}

// dockerConfigPath is $DOCKER_CONFIG/config.json, or kaniko's default.
func dockerConfigPath() string {
	dir := os.Getenv("DOCKER_CONFIG")
	if dir == "" {
		dir = defaultDockerConfigDir
	}
	return filepath.Join(dir, "config.json")
}

// lookupCredentials finds the credentials for a registry host in the docker config, as the
// docker CLI's file store does: first the exact key ("https://index.docker.io/v1/" for Docker
// Hub, "host[:port]" otherwise), then any key that is the host once its scheme and path are
// removed. A missing file means anonymous access; a file that cannot be parsed is an error.
func lookupCredentials(log *logger, registry string) (credentials, error) {
	path := dockerConfigPath()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		log.Debugf("No docker config at %s; pushing anonymously", path)
		return credentials{}, nil
	}
	if err != nil {
		return credentials{}, fmt.Errorf("reading docker config: %w", err)
	}
	var cfg dockerConfigFile
	if err := json.Unmarshal(data, &cfg); err != nil {
		return credentials{}, fmt.Errorf("parsing docker config %s: %w", path, err)
	}
	key := registry
	if registry == dockerHubRegistry {
		key = dockerHubAuthKey
	}
	entry, ok := cfg.Auths[key]
	if !ok {
		for k, e := range cfg.Auths {
			if hostOfAuthKey(k) == key {
				entry, ok = e, true
				break
			}
		}
	}
	if !ok {
		log.Debugf("No credentials for %s in %s", key, path)
		return credentials{}, nil
	}
	return entry.credentials(key)
}

func (e authEntry) credentials(key string) (credentials, error) {
	c := credentials{Username: e.Username, Password: e.Password, RegistryToken: e.RegistryToken}
	if e.Auth != "" {
		decoded, err := base64.StdEncoding.DecodeString(e.Auth)
		if err != nil {
			return credentials{}, fmt.Errorf("decoding the auth of %s in docker config: %w", key, err)
		}
		user, pass, ok := strings.Cut(string(decoded), ":")
		if !ok {
			return credentials{}, fmt.Errorf("the auth of %s in docker config is not user:password", key)
		}
		c.Username, c.Password = user, pass
	}
	if e.IdentityToken != "" {
		return credentials{}, fmt.Errorf("the identitytoken of %s is not supported by the stand-in", key)
	}
	return c, nil
}

// hostOfAuthKey strips a scheme and a path from a config key, like docker's ConvertToHostname.
func hostOfAuthKey(key string) string {
	key = strings.TrimPrefix(strings.TrimPrefix(key, "https://"), "http://")
	host, _, _ := strings.Cut(key, "/")
	return host
}
