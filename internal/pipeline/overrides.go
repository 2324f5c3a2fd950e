package pipeline

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Options are the command line's changes to a config file, applied before
// it is decoded and validated, so an override is checked like the file.
type Options struct {
	// Set holds key.path=value assignments (--set): "pipeline.workers=4",
	// "sinks[0].path=/data/reviews", "transform.keep_kinds=[review]".
	// The value is read as YAML.
	Set []string
	// OutDir (-o) is where outputs go: ${REVIEWPIPE_OUT} reads it, and
	// relative output paths resolve against it.
	OutDir string
}

// outEnv is the variable the shipped config names its output folder by.
const outEnv = "REVIEWPIPE_OUT"

// env returns the variable lookup of a parse: -o's folder for
// REVIEWPIPE_OUT, the environment for the rest.
func (o Options) env(outDir string) func(string) string {
	return func(name string) string {
		if name == outEnv && outDir != "" {
			return outDir
		}
		return os.Getenv(name)
	}
}

// applySets applies every assignment to the document's top mapping and
// reports every one it cannot apply.
func applySets(top *yaml.Node, sets []string) Errors {
	var errs Errors
	for _, a := range sets {
		key, value, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(key) == "" {
			errs = append(errs, &Error{File: "--set", Msg: fmt.Sprintf("%q: want key.path=value", a)})
			continue
		}
		if err := setPath(top, strings.TrimSpace(key), value); err != nil {
			errs = append(errs, &Error{File: "--set", Path: key, Msg: err.Error()})
		}
	}
	return errs
}

// setPath puts value at path ("a.b[2].c") under n, creating mappings on
// the way and appending when an index is one past a sequence's end.
func setPath(n *yaml.Node, path, value string) error {
	segs, err := splitPath(path)
	if err != nil {
		return err
	}
	var v yaml.Node
	if err := yaml.Unmarshal([]byte(value), &v); err != nil {
		return fmt.Errorf("value %q is not YAML: %v", value, err)
	}
	leaf := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}
	if len(v.Content) > 0 {
		leaf = v.Content[0]
	}
	for i, seg := range segs {
		last := i == len(segs)-1
		next, err := child(n, seg, last)
		if err != nil {
			return fmt.Errorf("%s: %w", strings.Join(segs[:i+1], "."), err)
		}
		if last {
			*next = *leaf
			return nil
		}
		n = next
	}
	return nil
}

// child returns the node under n named by seg (a key, or "[i]"), making
// it when missing.
func child(n *yaml.Node, seg string, last bool) (*yaml.Node, error) {
	if idx, ok := strings.CutPrefix(seg, "["); ok {
		i, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
		if err != nil || i < 0 {
			return nil, fmt.Errorf("bad index %s", seg)
		}
		if n.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("not a list")
		}
		switch {
		case i < len(n.Content):
			return n.Content[i], nil
		case i == len(n.Content):
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			return n.Content[i], nil
		}
		return nil, fmt.Errorf("the list has %d entries", len(n.Content))
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not a mapping")
	}
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value == seg {
			return n.Content[j+1], nil
		}
	}
	val := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if last {
		val = &yaml.Node{Kind: yaml.ScalarNode}
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg}, val)
	return val, nil
}

// splitPath splits "sinks[0].path" into "sinks", "[0]", "path".
func splitPath(path string) ([]string, error) {
	var segs []string
	for _, part := range strings.Split(path, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			segs = append(segs, name)
		}
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			if !ok {
				return nil, fmt.Errorf("unclosed [ in %q", path)
			}
			segs = append(segs, "["+idx+"]")
			rest = strings.TrimPrefix(after, "[")
		}
		if name == "" && !strings.Contains(part, "[") {
			return nil, fmt.Errorf("empty key in %q", path)
		}
	}
	return segs, nil
}
