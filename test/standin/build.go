package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// scratchEnv is the Env kaniko gives an image whose config has none.
var scratchEnv = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}

// builder builds the stages of one Dockerfile up to the target.
type builder struct {
	log          *logger
	opts         *Options
	df           *dockerfile
	target       platform // --custom-platform
	now          time.Time
	puller       *puller
	contextDir   string
	ignore       *dockerignore
	ignored      []string          // paths never snapshotted, relative to a stage root
	buildArgs    map[string]string // --build-arg
	metaArgs     map[string]string // ARGs before the first FROM, with their values
	autoArgs     map[string]string // TARGETPLATFORM, BUILDARCH…
	stages       []*stageState
	images       map[string]string // COPY --from=<image> → its unpacked root
	stagesDir    string            // <kaniko-dir>/stages
	imagesDir    string            // <kaniko-dir>/images
	reproducible bool
}

// stageState is one stage being built: its image so far and, once a command needs files, its
// root directory under --kaniko-dir.
type stageState struct {
	b      *builder
	index  int
	plat   platform
	cfg    imageConfig
	layers []layer
	args   map[string]string // ARGs declared in this stage, with their values
	cmdSet bool              // CMD given in this stage (ENTRYPOINT then keeps it)
	root   string
	snap   snapshot
}

// build builds the stages up to the target and returns the target's image, with
// standin/build.txt as its last layer.
func build(log *logger, o *Options, df *dockerfile, text string) (*builtImage, error) {
	targetIdx, err := df.targetStage(o.Target)
	if err != nil {
		return nil, err
	}
	target, err := parsePlatform(o.CustomPlatform)
	if err != nil {
		return nil, err
	}
	b := &builder{
		log: log, opts: o, df: df, target: target, now: time.Now().UTC(), puller: newPuller(log, o),
		contextDir: o.SrcContext, buildArgs: map[string]string{}, metaArgs: map[string]string{},
		autoArgs: automaticArgs(target, hostPlatform()), images: map[string]string{},
		stagesDir: filepath.Join(o.KanikoDir, "stages"), imagesDir: filepath.Join(o.KanikoDir, "images"),
		reproducible: o.Reproducible,
	}
	b.ignored = append(append([]string{}, defaultIgnored...), o.IgnorePaths...)
	for i, p := range b.ignored {
		b.ignored[i] = strings.Trim(filepath.ToSlash(filepath.Clean("/"+p)), "/")
	}
	for _, arg := range o.BuildArgs {
		k, v, _ := strings.Cut(arg, "=")
		b.buildArgs[k] = v
	}
	var found bool
	if b.ignore, found, err = loadDockerignore(b.contextDir); err != nil {
		return nil, fmt.Errorf("parsing .dockerignore: %w", err)
	} else if found {
		log.Infof("Using dockerignore file: %s", filepath.Join(b.contextDir, ".dockerignore"))
	}
	for _, dir := range []string{b.stagesDir, b.imagesDir} {
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
	}
	if err := b.resolveMetaArgs(); err != nil {
		return nil, err
	}
	for i := 0; i <= targetIdx; i++ {
		s, err := b.startStage(i)
		if err != nil {
			return nil, err
		}
		b.stages = append(b.stages, s)
		if err := s.build(df.Stages[i].Commands); err != nil {
			return nil, fmt.Errorf("error building stage: %w", err)
		}
	}
	img, err := b.finalImage(b.stages[targetIdx], text)
	if o.Cleanup {
		_ = os.RemoveAll(b.stagesDir)
		_ = os.RemoveAll(b.imagesDir)
	}
	return img, err
}

// created is the time recorded in the config and the history.
func (b *builder) created() string {
	if b.reproducible {
		return zeroTime
	}
	return b.now.Format(time.RFC3339Nano)
}

func (b *builder) lookupMeta(name string) (string, bool) {
	if v, ok := b.metaArgs[name]; ok {
		return v, true
	}
	v, ok := b.autoArgs[name]
	return v, ok
}

// resolveMetaArgs gives the ARGs before the first FROM their values: --build-arg, else the
// default.
func (b *builder) resolveMetaArgs() error {
	for _, ins := range b.df.MetaArgs {
		decls, err := parseArgDecls(ins.Rest, b.lookupMeta)
		if err != nil {
			return fmt.Errorf("%s: %w", ins.Line, err)
		}
		for _, d := range decls {
			if v, ok := b.buildArgs[d.name]; ok {
				b.metaArgs[d.name] = v
			} else if d.hasDefault {
				b.metaArgs[d.name] = d.value
			}
		}
	}
	return nil
}

// stageIndex finds an earlier stage by name or index, or -1.
func (b *builder) stageIndex(name string, before int) int {
	for j := 0; j < before && j < len(b.df.Stages); j++ {
		if b.df.Stages[j].Name != "" && strings.EqualFold(b.df.Stages[j].Name, name) || strconv.Itoa(j) == name {
			return j
		}
	}
	return -1
}

// startStage resolves the FROM of stage i: scratch, an earlier stage, or an image pulled for
// the stage's platform.
func (b *builder) startStage(i int) (*stageState, error) {
	st := b.df.Stages[i]
	baseName, err := expandWord(st.BaseImage, b.lookupMeta)
	if err != nil {
		return nil, err
	}
	if baseName != st.BaseImage {
		b.log.Infof("Resolved base name %s to %s", st.BaseImage, baseName)
	}
	s := &stageState{b: b, index: i, plat: b.target, args: map[string]string{}}
	if st.Platform != "" {
		p, err := expandWord(st.Platform, b.lookupMeta)
		if err != nil {
			return nil, err
		}
		if s.plat, err = parsePlatform(p); err != nil {
			return nil, err
		}
	}
	baseIdx := -1
	switch {
	case strings.EqualFold(baseName, "scratch"):
		s.cfg = imageConfig{Architecture: s.plat.Architecture, OS: s.plat.OS, Variant: s.plat.Variant}
	case b.stageIndex(baseName, i) >= 0:
		baseIdx = b.stageIndex(baseName, i)
		prev := b.stages[baseIdx]
		s.cfg = copyConfig(prev.cfg)
		s.layers = append([]layer{}, prev.layers...)
	default:
		img, err := b.puller.retrieve(baseName, s.plat)
		if err != nil {
			return nil, err
		}
		b.logResolved("base image", baseName, img)
		s.cfg = copyConfig(img.Config)
		s.layers = append([]layer{}, img.Layers...)
	}
	if s.cfg.Config.Env == nil {
		s.cfg.Config.Env = append([]string{}, scratchEnv...)
	}
	for _, l := range b.opts.Labels {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return nil, fmt.Errorf("labels must be of the form key=value, got %s", l)
		}
		if s.cfg.Config.Labels == nil {
			s.cfg.Config.Labels = map[string]string{}
		}
		s.cfg.Config.Labels[k] = v
	}
	b.log.Infof("Building stage '%s' [idx: '%d', base-idx: '%d']", baseName, i, baseIdx)
	return s, nil
}

// logResolved names the manifest an image reference was resolved to (a stand-in line).
func (b *builder) logResolved(kind, ref string, img *pulledImage) {
	msg := fmt.Sprintf("standin: %s %s resolved to %s@%s", kind, ref, img.Name, img.Digest)
	if img.IndexDigest != "" {
		msg += " (from index " + img.IndexDigest + ")"
	}
	b.log.Infof("%s", msg)
}

// fromRoot is the root directory COPY --from reads: an earlier stage's, or an image's.
func (b *builder) fromRoot(from string, current int) (string, error) {
	if idx := b.stageIndex(from, current); idx >= 0 {
		st := b.stages[idx]
		if err := st.ensureRoot("COPY --from=" + from); err != nil {
			return "", err
		}
		return st.root, nil
	}
	if root, ok := b.images[from]; ok {
		return root, nil
	}
	img, err := b.puller.retrieve(from, b.target)
	if err != nil {
		return "", err
	}
	b.logResolved("image", from, img)
	root := filepath.Join(b.imagesDir, strconv.Itoa(len(b.images)), "rootfs")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	if err := unpackLayers(root, img.Layers, b.log); err != nil {
		return "", fmt.Errorf("failed to get filesystem from image %s: %w", from, err)
	}
	b.images[from] = root
	return root, nil
}

// finalImage completes the target stage: build platform, build.txt layer, times.
func (b *builder) finalImage(s *stageState, text string) (*builtImage, error) {
	img := &image{Config: copyConfig(s.cfg), Layers: append([]layer{}, s.layers...)}
	img.Config.Architecture, img.Config.OS, img.Config.Variant = b.target.Architecture, b.target.OS, b.target.Variant
	mtime := epoch
	if !b.reproducible {
		mtime = b.now.Truncate(time.Second)
	}
	txt, err := buildTxtLayer(buildInput{Dockerfile: text, BuildArgs: b.opts.BuildArgs, Target: b.opts.Target, Platform: b.target}, mtime)
	if err != nil {
		return nil, fmt.Errorf("creating layer: %w", err)
	}
	img.Layers = append(img.Layers, txt)
	img.Config.History = append(img.Config.History, historyEntry{CreatedBy: "standin: build of target " + targetName(b.opts.Target)})
	img.Config.Created = b.created()
	for i := range img.Config.History {
		if b.reproducible || img.Config.History[i].Created == "" {
			img.Config.History[i].Created = b.created()
		}
	}
	return finish(img, b.opts.Annotations, b.target)
}

// copyConfig deep-copies a config.
func copyConfig(c imageConfig) imageConfig {
	data, _ := json.Marshal(c)
	var out imageConfig
	_ = json.Unmarshal(data, &out)
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
