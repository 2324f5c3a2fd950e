package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/pipeline"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/sinks"
	"github.com/reviewpipe/reviewpipe/transform"
)

func readme(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatalf("reading README: %v", err)
	}
	return string(data)
}

// TestReadmeSchema keeps the README's schema tables identical to the
// documented columns that `reviewpipe schema` prints.
func TestReadmeSchema(t *testing.T) {
	doc := readme(t)
	for name, cols := range map[string][]record.Column{"reviews": record.ReviewColumns, "rejects": record.RejectColumns, "pages": record.FetchColumns, "comments": record.CommentColumns} {
		start, end := "<!-- schema:"+name+" -->\n", "<!-- /schema:"+name+" -->"
		i, j := strings.Index(doc, start), strings.Index(doc, end)
		if i < 0 || j < i {
			t.Fatalf("README lacks the %s schema block", name)
		}
		var want strings.Builder
		for _, c := range cols {
			fmt.Fprintf(&want, "| `%s` | %s | %s |\n", c.Name, c.Type, c.Meaning)
		}
		if got := doc[i+len(start) : j]; got != want.String() {
			t.Errorf("README %s schema is out of date; want:\n%s", name, want.String())
		}
	}
}

// TestReadmeConfigReference checks that every config key of every section
// and component appears in the README's reference table with its default.
func TestReadmeConfigReference(t *testing.T) {
	doc := readme(t)
	sections := []struct {
		prefix string
		value  any
	}{
		{"sources[]", crawl.DefaultFilesConfig()},
		{"sources[]", crawl.DefaultWebConfig()},
		{"sources[]", crawl.DefaultWARCConfig()},
		{"extract", extract.DefaultConfig()},
		{"transform", transform.DefaultConfig()},
		{"sinks[]", sinks.DefaultParquetConfig()},
		{"pipeline", pipeline.DefaultConfig().Pipeline},
		{"log", pipeline.DefaultConfig().Log},
		{"metrics", pipeline.DefaultConfig().Metrics},
	}
	var check func(prefix string, v reflect.Value)
	check = func(prefix string, v reflect.Value) {
		for i := range v.NumField() {
			key, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
			if key == "" || key == "-" {
				continue
			}
			if f := v.Field(i); f.Kind() == reflect.Struct {
				check(prefix+"."+key, f) // a nested section: its keys have rows
				continue
			}
			row := "| `" + prefix + "." + key + "` |"
			at := strings.Index(doc, row)
			if at < 0 && v.Field(i).Kind() == reflect.Slice {
				row = "| `" + prefix + "." + key + "[]` |"
				at = strings.Index(doc, row)
			}
			if at < 0 {
				t.Errorf("README reference lacks %s", row)
				continue
			}
			line := doc[at : at+strings.Index(doc[at:], "\n")]
			def := fmt.Sprint(v.Field(i).Interface())
			if f := v.Field(i); f.Kind() == reflect.Slice || f.Kind() == reflect.String && def == "" || def == "0" {
				continue // lists, empty and zero defaults are described in words
			}
			if !strings.Contains(line, def) {
				t.Errorf("README row for %s.%s does not give the default %q: %s", prefix, key, def, line)
			}
		}
	}
	for _, s := range sections {
		check(s.prefix, reflect.ValueOf(s.value))
	}
}
