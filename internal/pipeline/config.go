// Package pipeline loads and validates pipeline.yaml, maps component types
// to their implementations, and runs the stages: sources → extract →
// transform → sinks.
package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"io/fs"

	"gopkg.in/yaml.v3"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/confval"
	"github.com/reviewpipe/reviewpipe/internal/metrics"
	"github.com/reviewpipe/reviewpipe/transform"
)

// Config is a parsed pipeline.yaml.
type Config struct {
	Sources   []Component      `yaml:"sources"`
	Extract   extract.Config   `yaml:"extract"`
	Transform transform.Config `yaml:"transform"`
	Sinks     []Component      `yaml:"sinks"`
	Pipeline  RunConfig        `yaml:"pipeline"`
	Log       LogConfig        `yaml:"log"`
	Metrics   metrics.Config   `yaml:"metrics"`

	// File names the config in messages.
	File string `yaml:"-"`
	// Shard, when set (run --shard K/N), makes the run one shard of a
	// sharded run: its sources read their share of the inputs, its sinks
	// stage the output for `reviewpipe commit` instead of publishing it.
	Shard *crawl.Shard `yaml:"-"`
	// Stdout is where an arrow sink with path "-" streams; nil is
	// os.Stdout.
	Stdout io.Writer `yaml:"-"`
	// Hash is the SHA-256 of the config file's bytes, hex, recorded in
	// every output file so a dataset can be traced to its config.
	Hash string `yaml:"-"`
	// dir is the folder relative paths resolve against.
	dir string
	// outDir, when set (-o), is the folder relative output paths resolve
	// against instead.
	outDir string
	// inputs, when set, is the file system that source paths refer to
	// (the embedded sample site); otherwise sources read the OS file system.
	inputs fs.FS
	// pos maps a YAML path ("sources[1].paths") to where it was written.
	pos map[string]position
}

// Component is one entry of sources or sinks: its type name and its typed
// config, a pointer to the struct the registry gives for that type.
type Component struct {
	Type string
	Spec any
}

// RunConfig sizes the stage runner.
type RunConfig struct {
	// Workers is the number of extract/transform workers; 0 means one per CPU.
	Workers int `yaml:"workers"`
	// QueueSize bounds each channel between stages, which bounds memory.
	QueueSize int `yaml:"queue_size"`
	// BatchSize is the number of reviews handed to a sink at once.
	BatchSize int `yaml:"batch_size"`
	// MemoryLimit is the Go heap size the collector works to stay under
	// (runtime/debug.SetMemoryLimit); 0 leaves the runtime's own (the
	// GOMEMLIMIT variable, else none).
	MemoryLimit confval.ByteSize `yaml:"memory_limit"`
}

// defaultMemoryLimit keeps a run's memory flat: without a limit the heap
// may grow to twice the live data between collections, and a long run
// meets its worst such peak sooner or later (a 100,000-page run peaked
// 17–22 % above a 10,000-page one without it, 17 % at 160MB, 6 % at this
// limit, within the day's speed noise). A run's live heap is 60–80 MB
// with 16 workers. The limit is soft: live data above it is not refused,
// the collector then runs more often, at most half the CPU, and the run
// logs a warning to raise it.
const defaultMemoryLimit = 128 << 20

// LogConfig selects the log level and format of the run.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn, error
	Format string `yaml:"format"` // text or json
	// ProgressInterval is the period of the one-line stats log when stderr
	// is not a terminal; 0 turns it off. On a terminal a live status line
	// shows instead.
	ProgressInterval confval.Duration `yaml:"progress_interval"`
}

// DefaultConfig returns a config with every optional value at its default
// and no sources or sinks.
func DefaultConfig() Config {
	return Config{
		Extract:   extract.DefaultConfig(),
		Transform: transform.DefaultConfig(),
		Pipeline:  RunConfig{Workers: 0, QueueSize: 64, BatchSize: 1000, MemoryLimit: defaultMemoryLimit},
		Log:       LogConfig{Level: "info", Format: "text", ProgressInterval: confval.Duration(30 * time.Second)},
		Metrics:   metrics.DefaultConfig(),
	}
}

// Validate reports every problem of the run and log settings.
func (c RunConfig) Validate() error {
	var errs []error
	if c.Workers < 0 {
		errs = append(errs, confval.Errorf("workers", "must be 0 (one per CPU) or more, got %d", c.Workers))
	}
	if c.QueueSize < 1 {
		errs = append(errs, confval.Errorf("queue_size", "must be at least 1, got %d", c.QueueSize))
	}
	if c.BatchSize < 1 {
		errs = append(errs, confval.Errorf("batch_size", "must be at least 1, got %d", c.BatchSize))
	}
	if c.MemoryLimit < 0 {
		errs = append(errs, confval.Errorf("memory_limit", "must not be negative, got %d", c.MemoryLimit))
	}
	return errors.Join(errs...)
}

// Validate reports an unknown level or format.
func (c LogConfig) Validate() error {
	var errs []error
	if _, ok := logLevels[strings.ToLower(c.Level)]; !ok {
		errs = append(errs, confval.Errorf("level", "must be one of debug, info, warn, error, got %q", c.Level))
	}
	if c.Format != "text" && c.Format != "json" {
		errs = append(errs, confval.Errorf("format", "must be text or json, got %q", c.Format))
	}
	if c.ProgressInterval < 0 {
		errs = append(errs, confval.Errorf("progress_interval", "must be 0 (off) or more, got %s", c.ProgressInterval))
	}
	return errors.Join(errs...)
}

var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "warning": slog.LevelWarn, "error": slog.LevelError}

// position is a line and column in the config file, 1-based.
type position struct{ line, col int }

// Error is one problem in a config file, located by line, column and YAML
// path.
type Error struct {
	File   string
	Line   int
	Column int
	Path   string
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a config file, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Load reads, decodes and validates the config file at path. Relative paths
// in it resolve against the file's folder.
func Load(path string) (*Config, error) { return LoadWith(path, Options{}) }

// LoadWith is Load with command-line overrides applied.
func LoadWith(path string, opts Options) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolving config path %q: %w", path, err)
	}
	return ParseWith(data, path, filepath.Dir(abs), nil, opts)
}

// Parse decodes and validates a config. name labels messages; dir is the
// folder relative output paths resolve against; inputs, if not nil, is the
// file system source paths refer to (used for the embedded default).
func Parse(data []byte, name, dir string, inputs fs.FS) (*Config, error) {
	return ParseWith(data, name, dir, inputs, Options{})
}

// ParseWith is Parse with command-line overrides applied.
func ParseWith(data []byte, name, dir string, inputs fs.FS, opts Options) (*Config, error) {
	cfg := DefaultConfig()
	cfg.File, cfg.dir, cfg.inputs = name, dir, inputs
	if opts.OutDir != "" {
		abs, err := filepath.Abs(expandHome(opts.OutDir))
		if err != nil {
			return nil, fmt.Errorf("resolving -o %q: %w", opts.OutDir, err)
		}
		cfg.outDir = abs
	}
	sum := sha256.Sum256(data)
	cfg.Hash = hex.EncodeToString(sum[:])
	cfg.pos = map[string]position{}
	d := &decoder{file: name, pos: cfg.pos, env: opts.env(cfg.outDir)}

	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, Errors{d.syntaxError(err)}
	}
	if len(doc.Content) == 0 {
		return nil, Errors{{File: name, Msg: "config is empty: it needs at least sources and sinks"}}
	}
	if errs := applySets(doc.Content[0], opts.Set); len(errs) > 0 {
		return nil, errs
	}
	d.decodeTop(doc.Content[0], &cfg)
	d.validate(&cfg)
	if len(d.errs) > 0 {
		sort.SliceStable(d.errs, func(i, j int) bool { return d.errs[i].Line < d.errs[j].Line })
		return nil, d.errs
	}
	return &cfg, nil
}

// decoder walks the YAML tree itself instead of relying on yaml.v3's
// KnownFields, which is silently lost under custom unmarshalers: every
// mapping key is checked against the target struct, positions are recorded
// for Validate messages, and all problems are collected, not just the first.
type decoder struct {
	env  func(string) string
	file string
	pos  map[string]position
	errs Errors
	// failed holds the paths that could not be decoded; Validate problems
	// at or below them would only repeat the decoding error.
	failed map[string]bool
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	if d.failed == nil {
		d.failed = map[string]bool{}
	}
	d.failed[path] = true
	e := &Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	d.errs = append(d.errs, e)
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func (d *decoder) syntaxError(err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	e := &Error{File: d.file, Msg: msg}
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = strings.TrimSpace(yamlLineRe.ReplaceAllString(msg, ""))
		e.Msg = strings.TrimPrefix(e.Msg, ": ")
	}
	return e
}

func (d *decoder) decodeTop(n *yaml.Node, cfg *Config) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "", "want a mapping of sections (sources, sinks, …), got %s", kindName(n))
		return
	}
	d.pos[""] = position{n.Line, n.Column}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "sources":
			cfg.Sources = d.decodeComponents(v, "sources", sourceKinds)
		case "sinks":
			cfg.Sinks = d.decodeComponents(v, "sinks", sinkKinds)
		default:
			d.decodeField(k, v, reflect.ValueOf(cfg).Elem(), "")
		}
	}
}

// decodeField decodes the value of key k into the field of struct sv whose
// yaml tag is k, or reports k as unknown.
func (d *decoder) decodeField(k, v *yaml.Node, sv reflect.Value, prefix string) {
	path := joinPath(prefix, k.Value)
	fields := yamlFields(sv.Type())
	idx, ok := fields[k.Value]
	if !ok {
		d.errorf(k, path, "unknown key %q%s", k.Value, hint(k.Value, fields))
		return
	}
	// Point value problems at the value ("workers: -2" → the -2), and
	// problems with a block at its key.
	if v.Kind == yaml.ScalarNode {
		d.pos[path] = position{v.Line, v.Column}
	} else {
		d.pos[path] = position{k.Line, k.Column}
	}
	d.decodeValue(v, sv.Field(idx), path)
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

func (d *decoder) decodeValue(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // an empty value keeps the default
	}
	if reflect.PointerTo(v.Type()).Implements(unmarshalerType) {
		d.decodeScalar(n, v, path)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, path, "want a mapping, got %s", kindName(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			d.decodeField(n.Content[i], n.Content[i+1], v, path)
		}
	case reflect.Slice:
		items := n.Content
		if n.Kind == yaml.ScalarNode {
			items = []*yaml.Node{n} // a single value where a list is expected
		} else if n.Kind != yaml.SequenceNode {
			d.errorf(n, path, "want a list, got %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		for i, item := range items {
			ip := fmt.Sprintf("%s[%d]", path, i)
			d.pos[ip] = position{item.Line, item.Column}
			d.decodeValue(item, s.Index(i), ip)
		}
		v.Set(s)
	default:
		d.decodeScalar(n, v, path)
	}
}

func (d *decoder) decodeScalar(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, path, "want a single value, got %s", kindName(n))
		return
	}
	val, err := interpolateWith(n.Value, d.env)
	if err != nil {
		d.errorf(n, path, "%v", err)
		return
	}
	c := *n
	if val != n.Value {
		c.Value = val
		if c.Style == 0 {
			c.Tag = "" // let YAML resolve "${N:4}" → 4 as an int
		}
	}
	if err := c.Decode(v.Addr().Interface()); err != nil {
		msg := err.Error()
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = te.Errors[0]
			if i := strings.Index(msg, ": "); strings.HasPrefix(msg, "line ") && i > 0 {
				msg = msg[i+2:]
			}
		}
		d.errorf(n, path, "%s", msg)
	}
}

// decodeComponents decodes a list of `type:`-tagged components, giving each
// the default config of its type before the file's values are applied.
func (d *decoder) decodeComponents(n *yaml.Node, path string, kinds map[string]kind) []Component {
	d.pos[path] = position{n.Line, n.Column}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, path, "want a list of components, each with a type, got %s", kindName(n))
		return nil
	}
	var out []Component
	for i, item := range n.Content {
		ip := fmt.Sprintf("%s[%d]", path, i)
		d.pos[ip] = position{item.Line, item.Column}
		if item.Kind != yaml.MappingNode {
			d.errorf(item, ip, "want a mapping with a type, got %s", kindName(item))
			continue
		}
		var typeNode *yaml.Node
		for j := 0; j+1 < len(item.Content); j += 2 {
			if item.Content[j].Value == "type" {
				typeNode = item.Content[j+1]
			}
		}
		if typeNode == nil {
			d.errorf(item, ip+".type", "missing; one of %s", kindNames(kinds))
			continue
		}
		typ, err := interpolateWith(typeNode.Value, d.env)
		if err != nil {
			d.errorf(typeNode, ip+".type", "%v", err)
			continue
		}
		k, ok := kinds[typ]
		if !ok {
			d.errorf(typeNode, ip+".type", "unknown type %q; one of %s", typ, kindNames(kinds))
			continue
		}
		spec := k.defaults()
		sv := reflect.ValueOf(spec).Elem()
		for j := 0; j+1 < len(item.Content); j += 2 {
			if item.Content[j].Value == "type" {
				continue
			}
			d.decodeField(item.Content[j], item.Content[j+1], sv, ip)
		}
		out = append(out, Component{Type: typ, Spec: spec})
	}
	return out
}

// validate runs every section's Validate and places each problem at the
// line of the key it concerns (or of its nearest written parent).
func (d *decoder) validate(cfg *Config) {
	if _, written := d.pos["sources"]; len(cfg.Sources) == 0 && !written {
		d.at("sources", "at least one source is required")
	}
	if _, written := d.pos["sinks"]; len(cfg.Sinks) == 0 && !written {
		d.at("sinks", "at least one sink is required")
	}
	type validator interface{ Validate() error }
	check := func(prefix string, v validator) {
		for _, fe := range confval.FieldErrors(v.Validate()) {
			d.at(joinPath(prefix, fe.Field), fe.Msg)
		}
	}
	for i, c := range cfg.Sources {
		check(fmt.Sprintf("sources[%d]", i), c.Spec.(validator))
	}
	for i, c := range cfg.Sinks {
		check(fmt.Sprintf("sinks[%d]", i), c.Spec.(validator))
	}
	check("extract", cfg.Extract)
	check("transform", cfg.Transform)
	check("pipeline", cfg.Pipeline)
	check("log", cfg.Log)
	check("metrics", cfg.Metrics)
}

func (d *decoder) at(path, msg string) {
	for f := range d.failed {
		if path == f || strings.HasPrefix(path, f+".") || strings.HasPrefix(path, f+"[") {
			return
		}
	}
	p := path
	for {
		if pos, ok := d.pos[p]; ok {
			d.errs = append(d.errs, &Error{File: d.file, Line: pos.line, Column: pos.col, Path: path, Msg: msg})
			return
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			if pos, ok := d.pos[""]; ok {
				d.errs = append(d.errs, &Error{File: d.file, Line: pos.line, Column: pos.col, Path: path, Msg: msg})
			} else {
				d.errs = append(d.errs, &Error{File: d.file, Path: path, Msg: msg})
			}
			return
		}
		p = p[:i]
	}
}

// envRe matches ${VAR} and ${VAR:default}; $${ is a literal ${.
var envRe = regexp.MustCompile(`\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}`)

// interpolate replaces ${VAR} with the environment variable VAR and
// ${VAR:default} with VAR or, when VAR is unset or empty, default.
func interpolate(s string) (string, error) { return interpolateWith(s, os.Getenv) }

// interpolateWith is interpolate reading variables with getenv.
func interpolateWith(s string, getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var missing []string
	out := envRe.ReplaceAllStringFunc(s, func(m string) string {
		if m == "$${" {
			return "${"
		}
		sub := envRe.FindStringSubmatch(m)
		if v := getenv(sub[1]); v != "" {
			return v
		}
		if strings.Contains(m, ":") {
			return sub[2]
		}
		missing = append(missing, sub[1])
		return m
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("environment variable %s is not set and has no default (write ${%s:default})", strings.Join(missing, ", "), missing[0])
	}
	return out, nil
}

func joinPath(prefix, key string) string {
	switch {
	case prefix == "":
		return key
	case key == "":
		return prefix
	case strings.HasPrefix(key, "["):
		return prefix + key
	}
	return prefix + "." + key
}

// yamlFields maps yaml tag names to field indexes.
func yamlFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		out[name] = i
	}
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func kindNames(kinds map[string]kind) string {
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// hint suggests the closest known key for a typo, and lists the keys when
// nothing is close.
func hint(key string, fields map[string]int) string {
	best, bestD := "", 1<<30
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
		if dd := editDistance(key, n); dd < bestD {
			best, bestD = n, dd
		}
	}
	if best != "" && bestD <= max(2, len(key)/3) {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	sort.Strings(names)
	return "; known keys: " + strings.Join(names, ", ")
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// LogLevel returns the slog level named by a validated level string.
func LogLevel(s string) slog.Level { return logLevels[strings.ToLower(s)] }
