package jsonld

import (
	"testing"
)

func TestAdd(t *testing.T) {
	tests := []struct {
		name, raw string
		types     []string // the types of the listed nodes, in order
		depths    []int
	}{
		{"one object", `{"@type":"Review","itemReviewed":{"@type":"Movie","name":"Her"}}`, []string{"Review", "Movie"}, []int{0, 1}},
		{"graph members are top level", `{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},{"@type":"Article"}]}`, []string{"WebSite", "Article"}, []int{0, 0}},
		{"a list of objects", `[{"@type":"A"},{"@type":"B"}]`, []string{"A", "B"}, []int{0, 0}},
		{"a raw line break inside a string is repaired", "{\"@type\":\"Article\",\"headline\":\"two\nlines\"}", []string{"Article"}, []int{0}},
		{"wrapped in an HTML comment", `<!-- {"@type":"Article"} -->`, []string{"Article"}, []int{0}},
		{"broken JSON is skipped", `{"@type":"Review",,,`, nil, nil},
		{"untyped objects are walked, not listed", `{"mainEntity":{"@type":"Question"}}`, []string{"Question"}, []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Doc
			d.Add(tt.raw)
			if len(d.Nodes) != len(tt.types) {
				t.Fatalf("%d nodes, want %d", len(d.Nodes), len(tt.types))
			}
			for i, n := range d.Nodes {
				if got := Types(n.Obj); len(got) != 1 || got[0] != tt.types[i] || n.Depth != tt.depths[i] {
					t.Errorf("node %d: types %v depth %d, want %s depth %d", i, got, n.Depth, tt.types[i], tt.depths[i])
				}
			}
		})
	}
}

func TestResolve(t *testing.T) {
	var d Doc
	d.Add(`{"@graph":[{"@type":"Article","author":{"@id":"#p"}},{"@type":"Person","@id":"#p","name":" Ann  Critic "}]}`)
	author := d.Resolve(d.Nodes[0].Obj["author"]).(map[string]any)
	if got := String(author["name"]); got != "Ann Critic" {
		t.Errorf("resolved author name %q, want %q", got, "Ann Critic")
	}
	if got := d.Resolve(map[string]any{"@id": "#nobody"}); got.(map[string]any)["@id"] != "#nobody" {
		t.Errorf("an unknown reference resolves to %v, want itself", got)
	}
}

func TestHasType(t *testing.T) {
	obj := map[string]any{"@type": []any{"schema:NewsArticle", 7}}
	if !HasType(obj, Set("newsarticle")) || HasType(obj, Set("review")) {
		t.Errorf("HasType(%v) wrong", obj)
	}
}

// FuzzAdd: any script text is parsed or skipped, never a panic, and every
// listed node has a type.
func FuzzAdd(f *testing.F) {
	for _, s := range []string{`{"@type":"Review"}`, `[{"@graph":[{"@id":"#a","@type":"X","b":{"@id":"#a"}}]}]`, "{\"a\":\"\n\"}", `<![CDATA[{"@type":"A"}]]>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Doc
		d.Add(s)
		for _, n := range d.Nodes {
			if _, ok := n.Obj["@type"]; !ok {
				t.Errorf("listed node without @type: %v", n.Obj)
			}
			d.Resolve(n.Obj)
		}
	})
}
