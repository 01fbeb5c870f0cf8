package main

import (
	"fmt"
	"runtime"
	"strings"
)

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

// hostPlatform is the platform the stand-in runs on (kaniko's BUILDPLATFORM).
func hostPlatform() platform {
	return platform{OS: runtime.GOOS, Architecture: runtime.GOARCH}
}

// parsePlatform reads --custom-platform or FROM --platform (`os/arch[/variant]`); empty means
// the running one. Architecture aliases are normalised as containerd does (x86_64 → amd64,
// aarch64 → arm64).
func parsePlatform(s string) (platform, error) {
	if s == "" {
		return hostPlatform(), nil
	}
	parts := strings.Split(strings.ToLower(s), "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return platform{}, fmt.Errorf("invalid platform %q: expected os/arch[/variant]", s)
	}
	p := platform{OS: parts[0], Architecture: normalizeArch(parts[1])}
	if len(parts) == 3 {
		p.Variant = parts[2]
	}
	return p, nil
}

func normalizeArch(arch string) string {
	switch arch {
	case "x86_64", "x86-64":
		return "amd64"
	case "aarch64":
		return "arm64"
	case "armhf":
		return "arm"
	}
	return arch
}

// normalizeVariant gives the implicit default variants a name, so that arm64 ≈ arm64/v8,
// arm ≈ arm/v7 and amd64 ≈ amd64/v1.
func normalizeVariant(arch, variant string) string {
	v := strings.TrimPrefix(variant, "v")
	switch {
	case arch == "arm64" && (v == "" || v == "8"):
		return "v8"
	case arch == "arm" && v == "":
		return "v7"
	case arch == "amd64" && (v == "" || v == "1"):
		return "v1"
	case v == "":
		return ""
	}
	return "v" + v
}

// satisfies tells whether an image of platform have can serve a build for want: same OS and
// architecture, and the variant (when want names one) equal once normalised.
func (have platform) satisfies(want platform) bool {
	if have.OS != want.OS || normalizeArch(have.Architecture) != normalizeArch(want.Architecture) {
		return false
	}
	if want.Variant == "" {
		return true
	}
	arch := normalizeArch(want.Architecture)
	return normalizeVariant(arch, have.Variant) == normalizeVariant(arch, want.Variant)
}

// automaticArgs are the platform build args kaniko (like BuildKit) defines for every build.
func automaticArgs(target, build platform) map[string]string {
	return map[string]string{
		"TARGETPLATFORM": target.String(),
		"TARGETOS":       target.OS,
		"TARGETARCH":     target.Architecture,
		"TARGETVARIANT":  target.Variant,
		"BUILDPLATFORM":  build.String(),
		"BUILDOS":        build.OS,
		"BUILDARCH":      build.Architecture,
		"BUILDVARIANT":   build.Variant,
	}
}
