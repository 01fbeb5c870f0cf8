package main

import (
	"os"
	"regexp"
	"strings"
)

// containerRuntimes are the names kaniko looks for in cgroup paths and similar files.
var containerRuntimes = []string{
	"docker", "rkt", "systemd-nspawn", "lxc", "lxc-libvirt", "openvz", "kube", "garden",
	"podman", "gvisor", "firejail", "wsl",
}

// runningInContainer mirrors kaniko's check (pkg/util/proc) that refuses to build on a host
// unless --force is given. A plain chroot with new namespaces does not count as a container.
func runningInContainer() bool {
	for _, marker := range []string{
		"/run/.containerenv",
		"/.dockerenv",
		"/var/run/secrets/kubernetes.io/serviceaccount",
	} {
		if pathExists(marker) {
			return true
		}
	}
	if namesRuntime(readTrimmed("/proc/self/cgroup")) {
		return true
	}
	if pathExists("/proc/vz") && !pathExists("/proc/bc") {
		return true
	}
	if pathExists("/__runsc_containers__") {
		return true
	}
	if namesRuntime(readTrimmed("/proc/1/cmdline")) {
		return true
	}
	if strings.HasPrefix(readTrimmed("/proc/version_signature"), "Microsoft") {
		return true
	}
	if namesRuntime(os.Getenv("container")) || namesRuntime(readTrimmed("/run/systemd/container")) {
		return true
	}
	// An overlay file system on / (first line of the mount table) hints at containerd.
	overlayRoot := regexp.MustCompile(`^[^ ]+ / overlay`)
	return overlayRoot.MatchString(readTrimmed("/proc/mounts"))
}

func namesRuntime(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	for _, name := range containerRuntimes {
		if strings.Contains(s, name) {
			return true
		}
	}
	return false
}

func pathExists(path string) bool {
	_, err := os.Stat(path)
	return !os.IsNotExist(err)
}

func readTrimmed(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
