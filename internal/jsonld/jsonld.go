// Package jsonld reads a page's JSON-LD once: every script parsed
// leniently, every typed object listed with its depth and the object it
// sits in (@graph members and nested objects included), and bare
// {"@id": …} references resolvable to the object they name.
package jsonld

import (
	"encoding/json"
	"golang.org/x/net/html"

	"github.com/reviewpipe/reviewpipe/internal/dom"
	"strings"
)

// Node is one typed object of the page's JSON-LD.
type Node struct {
	Obj    map[string]any
	Depth  int            // 0 for top-level and @graph members
	Parent map[string]any // the enclosing object, to find what a nested Review is about
}

// Doc holds a page's JSON-LD objects in page order.
type Doc struct {
	Nodes []Node
	ids   map[string]map[string]any
}

// wrapper is what CMSs wrap script contents in for old browsers.
var wrapper = strings.NewReplacer("<!--", "", "-->", "", "<![CDATA[", "", "]]>", "")

// Add parses one script's contents and lists its objects. Raw line
// breaks inside strings, the commonest hand-written mistake, are
// repaired; anything worse is skipped, never fatal.
func (d *Doc) Add(raw string) {
	raw = strings.TrimSpace(wrapper.Replace(raw))
	raw = strings.TrimPrefix(raw, "//")
	var v any
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		fixed := strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(raw)
		dec = json.NewDecoder(strings.NewReader(fixed))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			return
		}
	}
	d.walk(v, 0, nil)
}

func (d *Doc) walk(v any, depth int, parent map[string]any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			d.walk(e, depth, parent)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			d.walk(g, depth, parent)
		}
		if id := String(x["@id"]); id != "" && len(x) > 1 {
			if d.ids == nil {
				d.ids = map[string]map[string]any{}
			}
			if _, seen := d.ids[id]; !seen {
				d.ids[id] = x
			}
		}
		if _, ok := x["@type"]; ok {
			d.Nodes = append(d.Nodes, Node{Obj: x, Depth: depth, Parent: parent})
		}
		for k, e := range x {
			if k == "@graph" || k == "@context" {
				continue
			}
			switch e.(type) {
			case map[string]any, []any:
				d.walk(e, depth+1, x)
			}
		}
	}
}

// Resolve follows a bare {"@id": …} reference, the way @graph documents
// (Yoast and the like) link authors and publishers.
func (d *Doc) Resolve(v any) any {
	if m, ok := v.(map[string]any); ok {
		if id := String(m["@id"]); id != "" && len(m) == 1 {
			if full, ok := d.ids[id]; ok {
				return full
			}
		}
	}
	return v
}

// String returns a value as text: a string (entities decoded, white space
// collapsed), a number as written, or the first such value of a list.
func String(v any) string {
	switch x := v.(type) {
	case string:
		return dom.Space(html.UnescapeString(x))
	case json.Number:
		return x.String()
	case []any:
		for _, e := range x {
			if s := String(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// Types returns an object's @type values.
func Types(obj map[string]any) []string {
	switch t := obj["@type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// HasType reports whether one of obj's types, lower-cased and without a
// "schema:" prefix, is in set.
func HasType(obj map[string]any, set map[string]bool) bool {
	for _, t := range Types(obj) {
		if set[strings.ToLower(strings.TrimPrefix(t, "schema:"))] {
			return true
		}
	}
	return false
}

// Set makes a set of lower-case type names for HasType.
func Set(types ...string) map[string]bool {
	m := make(map[string]bool, len(types))
	for _, t := range types {
		m[t] = true
	}
	return m
}
