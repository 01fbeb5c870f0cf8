// Command standin is a stand-in for kaniko's /kaniko/executor, for the tests of this
// repository. It takes kaniko's command line, pulls the base images, runs the Dockerfile's
// instructions in a chroot under --kaniko-dir, and pushes the image to every --destination or
// writes it to an OCI layout. See README.md.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// pushPermissionHint is how kaniko introduces a failed push-permission check.
const pushPermissionHint = "error checking push permissions -- make sure you entered the correct tag name, " +
	"and that you are authenticated correctly, and try again"

// exitError makes the process exit with a code other than 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	os.Exit(run(os.Args[1:]))
}

// run is the whole executor; it returns the exit code: 0 on success, 1 on any error (or the
// code a `standin:fail` directive asks for).
func run(args []string) int {
	opts, positional, err := parseArgs(args)
	if err != nil {
		return commandError(err)
	}
	if opts.Help {
		fmt.Print(usage())
		return 0
	}
	if len(positional) > 0 {
		if positional[0] == "version" {
			fmt.Println("Kaniko version :  standin")
			return 0
		}
		return commandError(fmt.Errorf("unknown command %q for %q", positional[0], "executor"))
	}
	log, err := newLogger(os.Stderr, opts.Verbosity, opts.LogFormat, opts.LogTimestamp)
	if err != nil {
		return commandError(err)
	}
	if err := prepare(opts); err != nil {
		return commandError(err)
	}
	if err := execute(log, opts, args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		var ee *exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	return 0
}

// commandError reports an error in the command line the way cobra does.
func commandError(err error) int {
	fmt.Fprintf(os.Stderr, "Error: %v\nRun 'executor --help' for usage.\n", err)
	return 1
}

// prepare validates and completes the options, as kaniko does before it starts a build.
func prepare(o *Options) error {
	if v, ok := os.LookupEnv("KANIKO_NO_PUSH"); ok {
		if b, err := strconv.ParseBool(v); err == nil {
			o.NoPush = b
		}
	}
	if _, err := parsePlatform(o.CustomPlatform); err != nil {
		return err
	}
	if err := parseRegistryMaps(o); err != nil {
		return err
	}
	// A build arg without a value takes it from the environment.
	for i, arg := range o.BuildArgs {
		if !strings.Contains(arg, "=") {
			o.BuildArgs[i] = arg + "=" + os.Getenv(arg)
		}
	}
	if !o.NoPush && len(o.Destinations) == 0 {
		return errors.New("you must provide --destination, or use --no-push")
	}
	if o.Cache && o.CacheRepo == "" && o.NoPush {
		return errors.New("cache flags invalid: if using cache with --no-push, specify cache repo with --cache-repo")
	}
	if err := resolveSourceContext(o); err != nil {
		return fmt.Errorf("error resolving source context: %w", err)
	}
	if err := resolveDockerfilePath(o); err != nil {
		return fmt.Errorf("error resolving dockerfile path: %w", err)
	}
	if len(o.Destinations) == 0 && o.ImageNameDigestFile != "" {
		return errors.New("you must provide --destination if setting ImageNameDigestFile")
	}
	if len(o.Destinations) == 0 && o.ImageNameTagDigestFile != "" {
		return errors.New("you must provide --destination if setting ImageNameTagDigestFile")
	}
	return nil
}

// resolveSourceContext accepts a directory, given as a path or as dir://path; the other kinds
// of kaniko context (buckets, git, tar over HTTP) are not supported by the stand-in.
func resolveSourceContext(o *Options) error {
	if o.SrcContext == "" && o.Bucket == "" {
		return errors.New("please specify a path to the build context with the --context flag or a bucket with the --bucket flag")
	}
	if o.Bucket != "" || strings.Contains(o.SrcContext, "://") {
		scheme, path, _ := strings.Cut(o.SrcContext, "://")
		if o.Bucket != "" || scheme != "dir" {
			return fmt.Errorf("the stand-in supports only directory contexts, not %q", o.SrcContext)
		}
		o.SrcContext = path
		if o.ContextSubPath != "" {
			o.SrcContext = filepath.Join(o.SrcContext, o.ContextSubPath)
		}
	}
	st, err := os.Stat(o.SrcContext)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", o.SrcContext)
	}
	return nil
}

// resolveDockerfilePath finds --dockerfile as kaniko does: as given (relative to the working
// directory), else relative to the context.
func resolveDockerfilePath(o *Options) error {
	if regexp.MustCompile(`^https?://`).MatchString(o.DockerfilePath) {
		return errors.New("the stand-in cannot fetch a Dockerfile from a URL")
	}
	for _, candidate := range []string{o.DockerfilePath, filepath.Join(o.SrcContext, o.DockerfilePath)} {
		if _, err := os.Lstat(candidate); err == nil {
			abs, err := filepath.Abs(candidate)
			if err != nil {
				return err
			}
			o.DockerfilePath = abs
			return nil
		}
	}
	return errors.New("please provide a valid path to a Dockerfile within the build context with --dockerfile")
}

// execute runs the build: container check, test directives, push-permission check, build,
// digest files, push.
func execute(log *logger, o *Options, args []string) error {
	if !runningInContainer() {
		if !o.Force {
			return errors.New("kaniko should only be run inside of a container, run with the --force flag if you are sure you want to continue")
		}
		log.Warnf("Kaniko is being run outside of a container. This can have dangerous effects on your system")
	}
	log.Infof("standin: a stand-in for the kaniko executor")
	text, err := os.ReadFile(o.DockerfilePath)
	if err != nil {
		return fmt.Errorf("error building image: %w", err)
	}
	df, err := parseDockerfile(string(text))
	if err != nil {
		return fmt.Errorf("error building image: parsing dockerfile %s: %w", o.DockerfilePath, err)
	}
	if err := runDirectives(log, o, df, args); err != nil {
		return err
	}
	if err := checkPushPermissions(log, o); err != nil {
		return fmt.Errorf("%s: %w", pushPermissionHint, err)
	}
	if err := resolveRelativePaths(o); err != nil {
		return fmt.Errorf("error resolving relative paths to absolute paths: %w", err)
	}
	if err := os.Chdir("/"); err != nil {
		return fmt.Errorf("error changing to root dir: %w", err)
	}
	img, err := build(log, o, df, string(text))
	if err != nil {
		return fmt.Errorf("error building image: %w", err)
	}
	if err := push(log, o, img); err != nil {
		return fmt.Errorf("error pushing image: %w", err)
	}
	return nil
}

// runDirectives applies the Dockerfile's `# standin:` comments: sleep, then probe, then fail.
func runDirectives(log *logger, o *Options, df *dockerfile, args []string) error {
	if d, ok := df.directive("sleep"); ok {
		seconds, _ := strconv.ParseFloat(d.Arg, 64)
		log.Infof("standin: sleeping %s seconds", d.Arg)
		time.Sleep(time.Duration(seconds * float64(time.Second)))
	}
	if _, ok := df.directive("probe"); ok {
		path, err := writeProbe(o, args)
		if err != nil {
			return fmt.Errorf("error building image: %w", err)
		}
		log.Infof("standin: probe report written to %s", path)
	}
	if d, ok := df.directive("fail"); ok {
		code, _ := strconv.Atoi(d.Arg)
		return &exitError{code: code, err: fmt.Errorf("error building image: standin:fail %d: failing as the Dockerfile asks", code)}
	}
	return nil
}

func resolveRelativePaths(o *Options) error {
	for _, p := range []*string{&o.DockerfilePath, &o.SrcContext, &o.DigestFile, &o.ImageNameDigestFile, &o.ImageNameTagDigestFile,
		&o.OCILayoutPath, &o.KanikoDir} {
		if *p == "" || filepath.IsAbs(*p) {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	return nil
}
