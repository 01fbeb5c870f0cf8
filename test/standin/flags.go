package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Options holds the executor flags the stand-in acts on. Every other kaniko flag is accepted
// and type-checked, then ignored.
type Options struct {
	DockerfilePath          string
	SrcContext              string
	ContextSubPath          string
	Bucket                  string
	Destinations            []string
	DigestFile              string
	ImageNameDigestFile     string
	ImageNameTagDigestFile  string
	NoPush                  bool
	NoPushCache             bool
	BuildArgs               []string
	Labels                  []string
	Annotations             map[string]string
	Target                  string
	Cache                   bool
	CacheRepo               string
	Insecure                bool
	InsecureRegistries      []string
	SkipTLSVerify           bool
	SkipTLSVerifyRegistries []string
	RegistryCertificates    map[string]string
	PushRetry               int
	SkipPushPermissionCheck bool
	CustomPlatform          string
	KanikoDir               string
	Reproducible            bool
	OCILayoutPath           string
	RegistryMirrors         []string
	RegistryMapFlags        []string
	RegistryMaps            map[string][]string // from RegistryMapFlags and RegistryMirrors
	SkipDefaultFallback     bool
	InsecurePull            bool
	SkipTLSVerifyPull       bool
	ImageDownloadRetry      int
	IgnorePaths             []string
	Cleanup                 bool
	Force                   bool
	Verbosity               string
	LogFormat               string
	LogTimestamp            bool
	Help                    bool
}

// defaultOptions returns the options with kaniko's defaults.
func defaultOptions() *Options {
	return &Options{
		DockerfilePath:       "Dockerfile",
		KanikoDir:            kanikoDirDefault(),
		SrcContext:           "/workspace/",
		Annotations:          map[string]string{},
		RegistryCertificates: map[string]string{},
		Verbosity:            "info",
		LogFormat:            "color",
	}
}

// kanikoDirDefault is $KANIKO_DIR, else /kaniko; --kaniko-dir takes precedence over both.
func kanikoDirDefault() string {
	if dir := os.Getenv("KANIKO_DIR"); dir != "" {
		return dir
	}
	return "/kaniko"
}

// flagSpec describes one flag: its names, whether it takes a value, and how to store it.
type flagSpec struct {
	name      string
	shorthand string
	isBool    bool
	set       func(o *Options, value string) error
}

func stringFlag(name, short string, field func(*Options) *string) flagSpec {
	return flagSpec{name: name, shorthand: short, set: func(o *Options, v string) error {
		*field(o) = v
		return nil
	}}
}

func boolFlag(name, short string, field func(*Options) *bool) flagSpec {
	return flagSpec{name: name, shorthand: short, isBool: true, set: func(o *Options, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return err
		}
		*field(o) = b
		return nil
	}}
}

func intFlag(name string, field func(*Options) *int) flagSpec {
	return flagSpec{name: name, set: func(o *Options, v string) error {
		n, err := strconv.ParseInt(v, 0, 64)
		if err != nil {
			return err
		}
		*field(o) = int(n)
		return nil
	}}
}

// multiFlag is kaniko's multiArg: every occurrence appends one value.
func multiFlag(name, short string, field func(*Options) *[]string) flagSpec {
	return flagSpec{name: name, shorthand: short, set: func(o *Options, v string) error {
		*field(o) = append(*field(o), v)
		return nil
	}}
}

// keyValueFlag is kaniko's keyValueArg: every occurrence adds one key=value pair.
func keyValueFlag(name string, field func(*Options) map[string]string) flagSpec {
	return flagSpec{name: name, set: func(o *Options, v string) error {
		key, value, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("invalid argument value. expect key=value, got %s", v)
		}
		field(o)[key] = value
		return nil
	}}
}

// Flags that are accepted and checked for their type, but change nothing in the stand-in.
func ignoredString(name, short string) flagSpec {
	return flagSpec{name: name, shorthand: short, set: func(*Options, string) error { return nil }}
}

func ignoredBool(name string) flagSpec {
	return flagSpec{name: name, isBool: true, set: func(_ *Options, v string) error {
		_, err := strconv.ParseBool(v)
		return err
	}}
}

func ignoredInt(name string) flagSpec {
	return flagSpec{name: name, set: func(_ *Options, v string) error {
		_, err := strconv.ParseInt(v, 0, 64)
		return err
	}}
}

func ignoredDuration(name string) flagSpec {
	return flagSpec{name: name, set: func(_ *Options, v string) error {
		_, err := time.ParseDuration(v)
		return err
	}}
}

func ignoredKeyValue(name string) flagSpec {
	return keyValueFlag(name, func(*Options) map[string]string { return map[string]string{} })
}

func compressionFlag(name string) flagSpec {
	return flagSpec{name: name, set: func(_ *Options, v string) error {
		if v != "gzip" && v != "zstd" {
			return fmt.Errorf("must be either 'gzip' or 'zstd'")
		}
		return nil
	}}
}

// kanikoFlags lists every flag of kaniko's executor (GoogleContainerTools/kaniko and its
// maintained forks), plus cobra's --help.
var kanikoFlags = []flagSpec{
	stringFlag("dockerfile", "f", func(o *Options) *string { return &o.DockerfilePath }),
	stringFlag("context", "c", func(o *Options) *string { return &o.SrcContext }),
	stringFlag("context-sub-path", "", func(o *Options) *string { return &o.ContextSubPath }),
	stringFlag("bucket", "b", func(o *Options) *string { return &o.Bucket }),
	multiFlag("destination", "d", func(o *Options) *[]string { return &o.Destinations }),
	ignoredString("snapshot-mode", ""),
	stringFlag("custom-platform", "", func(o *Options) *string { return &o.CustomPlatform }),
	multiFlag("build-arg", "", func(o *Options) *[]string { return &o.BuildArgs }),
	boolFlag("insecure", "", func(o *Options) *bool { return &o.Insecure }),
	boolFlag("skip-tls-verify", "", func(o *Options) *bool { return &o.SkipTLSVerify }),
	boolFlag("insecure-pull", "", func(o *Options) *bool { return &o.InsecurePull }),
	boolFlag("skip-tls-verify-pull", "", func(o *Options) *bool { return &o.SkipTLSVerifyPull }),
	intFlag("push-retry", func(o *Options) *int { return &o.PushRetry }),
	ignoredBool("push-ignore-immutable-tag-errors"),
	ignoredInt("image-fs-extract-retry"),
	intFlag("image-download-retry", func(o *Options) *int { return &o.ImageDownloadRetry }),
	stringFlag("kaniko-dir", "", func(o *Options) *string { return &o.KanikoDir }),
	ignoredString("tar-path", ""),
	ignoredBool("single-snapshot"),
	boolFlag("reproducible", "", func(o *Options) *bool { return &o.Reproducible }),
	stringFlag("target", "", func(o *Options) *string { return &o.Target }),
	boolFlag("no-push", "", func(o *Options) *bool { return &o.NoPush }),
	boolFlag("no-push-cache", "", func(o *Options) *bool { return &o.NoPushCache }),
	stringFlag("cache-repo", "", func(o *Options) *string { return &o.CacheRepo }),
	ignoredString("cache-dir", ""),
	stringFlag("digest-file", "", func(o *Options) *string { return &o.DigestFile }),
	stringFlag("image-name-with-digest-file", "", func(o *Options) *string { return &o.ImageNameDigestFile }),
	stringFlag("image-name-tag-with-digest-file", "", func(o *Options) *string { return &o.ImageNameTagDigestFile }),
	stringFlag("oci-layout-path", "", func(o *Options) *string { return &o.OCILayoutPath }),
	compressionFlag("compression"),
	ignoredInt("compression-level"),
	boolFlag("cache", "", func(o *Options) *bool { return &o.Cache }),
	ignoredBool("compressed-caching"),
	boolFlag("cleanup", "", func(o *Options) *bool { return &o.Cleanup }),
	ignoredDuration("cache-ttl"),
	multiFlag("insecure-registry", "", func(o *Options) *[]string { return &o.InsecureRegistries }),
	multiFlag("skip-tls-verify-registry", "", func(o *Options) *[]string { return &o.SkipTLSVerifyRegistries }),
	keyValueFlag("registry-certificate", func(o *Options) map[string]string { return o.RegistryCertificates }),
	ignoredKeyValue("registry-client-cert"),
	multiFlag("registry-map", "", func(o *Options) *[]string { return &o.RegistryMapFlags }),
	multiFlag("registry-mirror", "", func(o *Options) *[]string { return &o.RegistryMirrors }),
	boolFlag("skip-default-registry-fallback", "", func(o *Options) *bool { return &o.SkipDefaultFallback }),
	ignoredBool("ignore-var-run"),
	ignoredBool("whitelist-var-run"),
	multiFlag("label", "", func(o *Options) *[]string { return &o.Labels }),
	ignoredBool("skip-unused-stages"),
	ignoredBool("use-new-run"),
	ignoredString("git", ""),
	ignoredBool("cache-copy-layers"),
	ignoredBool("cache-run-layers"),
	multiFlag("ignore-path", "", func(o *Options) *[]string { return &o.IgnorePaths }),
	boolFlag("skip-push-permission-check", "", func(o *Options) *bool { return &o.SkipPushPermissionCheck }),
	keyValueFlag("annotation", func(o *Options) map[string]string { return o.Annotations }),
	ignoredBool("preserve-context"),
	ignoredBool("materialize"),
	ignoredString("credential-helpers", ""),
	ignoredBool("force-build-metadata"),
	ignoredString("snapshotMode", ""),
	stringFlag("customPlatform", "", func(o *Options) *string { return &o.CustomPlatform }),
	ignoredString("tarPath", ""),
	stringFlag("verbosity", "v", func(o *Options) *string { return &o.Verbosity }),
	stringFlag("log-format", "", func(o *Options) *string { return &o.LogFormat }),
	boolFlag("log-timestamp", "", func(o *Options) *bool { return &o.LogTimestamp }),
	boolFlag("force", "", func(o *Options) *bool { return &o.Force }),
	boolFlag("help", "h", func(o *Options) *bool { return &o.Help }),
}

func lookupFlag(name string) (flagSpec, bool) {
	for _, f := range kanikoFlags {
		if f.name == name {
			return f, true
		}
	}
	return flagSpec{}, false
}

func lookupShorthand(c string) (flagSpec, bool) {
	for _, f := range kanikoFlags {
		if f.shorthand != "" && f.shorthand == c {
			return f, true
		}
	}
	return flagSpec{}, false
}

// flagLabel names a flag the way pflag does in its error messages.
func flagLabel(f flagSpec) string {
	if f.shorthand != "" {
		return fmt.Sprintf("-%s, --%s", f.shorthand, f.name)
	}
	return "--" + f.name
}

func setFlag(o *Options, f flagSpec, value string) error {
	if err := f.set(o, value); err != nil {
		return fmt.Errorf("invalid argument %q for %q flag: %v", value, flagLabel(f), err)
	}
	return nil
}

// parseArgs parses the command line as spf13/pflag does for kaniko: `--name=value`,
// `--name value`, bare `--bool`, shorthands (`-d value`, `-dvalue`, `-d=value`), and `--` to end
// the flags. It returns the options and the positional arguments.
func parseArgs(args []string) (*Options, []string, error) {
	o := defaultOptions()
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return o, append(positional, args[i+1:]...), nil
		case strings.HasPrefix(a, "--"):
			name, value, hasValue := strings.Cut(a[2:], "=")
			if name == "" || strings.HasPrefix(name, "-") {
				return nil, nil, fmt.Errorf("bad flag syntax: %s", a)
			}
			f, ok := lookupFlag(name)
			if !ok {
				return nil, nil, fmt.Errorf("unknown flag: --%s", name)
			}
			if !hasValue {
				if f.isBool {
					value = "true"
				} else if i+1 < len(args) {
					i++
					value = args[i]
				} else {
					return nil, nil, fmt.Errorf("flag needs an argument: --%s", name)
				}
			}
			if err := setFlag(o, f, value); err != nil {
				return nil, nil, err
			}
		case strings.HasPrefix(a, "-") && len(a) > 1:
			consumedNext, err := parseShorthands(o, a, args[i+1:])
			if err != nil {
				return nil, nil, err
			}
			if consumedNext {
				i++
			}
		default:
			positional = append(positional, a)
		}
	}
	return o, positional, nil
}

// parseShorthands handles one `-abc` argument; it reports whether it used the next argument as
// the value of the last shorthand.
func parseShorthands(o *Options, arg string, rest []string) (bool, error) {
	chars := arg[1:]
	for len(chars) > 0 {
		c := chars[:1]
		chars = chars[1:]
		f, ok := lookupShorthand(c)
		if !ok {
			return false, fmt.Errorf("unknown shorthand flag: '%s' in %s", c, arg)
		}
		switch {
		case strings.HasPrefix(chars, "="):
			return false, setFlag(o, f, chars[1:])
		case f.isBool:
			if err := setFlag(o, f, "true"); err != nil {
				return false, err
			}
		case chars != "":
			return false, setFlag(o, f, chars)
		case len(rest) > 0:
			return true, setFlag(o, f, rest[0])
		default:
			return false, fmt.Errorf("flag needs an argument: '%s' in %s", c, arg)
		}
	}
	return false, nil
}

// usage is the help text: the flag names, sorted, as `executor --help` lists them.
func usage() string {
	var names []string
	for _, f := range kanikoFlags {
		if f.shorthand != "" {
			names = append(names, fmt.Sprintf("  -%s, --%s", f.shorthand, f.name))
		} else {
			names = append(names, fmt.Sprintf("      --%s", f.name))
		}
	}
	sort.Slice(names, func(i, j int) bool {
		return strings.TrimLeft(names[i], " -") < strings.TrimLeft(names[j], " -")
	})
	return "Usage:\n  executor [flags]\n  executor [command]\n\nAvailable Commands:\n" +
		"  version     Print the version number of kaniko\n\nFlags:\n" +
		strings.Join(names, "\n") + "\n"
}
