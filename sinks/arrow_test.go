package sinks

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// arrowJSRead reads an Arrow IPC file or stream with apache-arrow and
// returns its rows as JSON values (timestamps as ISO strings, lists as
// arrays) and its schema as name → type.
func arrowJSRead(t *testing.T, pkg, path string) (rows []map[string]any, types map[string]string) {
	t.Helper()
	script := `
const {tableFromIPC} = require(process.argv[1] + '/node_modules/apache-arrow');
const t = tableFromIPC(require('fs').readFileSync(process.argv[2]));
const types = {};
for (const f of t.schema.fields) types[f.name] = String(f.type);
const rows = [];
for (let i = 0; i < t.numRows; i++) {
  const r = {};
  for (const f of t.schema.fields) {
    let v = t.getChild(f.name).get(i);
    if (v !== null && typeof v === 'object' && typeof v.toArray === 'function') v = Array.from(v.toArray ? v : v, x => (x && typeof x.toJSON === 'function') ? x.toJSON() : x);
    else if (v !== null && typeof v === 'object' && typeof v.toJSON === 'function') v = v.toJSON();
    if (typeof v === 'bigint') v = Number(v);
    if (String(f.type).startsWith('Timestamp') && v !== null) {
      // The raw int64 microseconds: get() converts to milliseconds.
      let off = i, us = null;
      for (const d of t.getChild(f.name).data) {
        if (off < d.length) { us = d.values[d.offset + off]; break; }
        off -= d.length;
      }
      const iso = new Date(Number(us / 1000n)).toISOString();
      v = iso.slice(0, 23) + String(us % 1000n).padStart(3, '0') + 'Z';
    }
    r[f.name] = v;
  }
  rows.push(r);
}
console.log(JSON.stringify({rows, types}));
`
	out, err := exec.Command("node", "-e", script, pkg, path).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("node reading %s: %v\n%s", path, err, stderr)
	}
	var got struct {
		Rows  []map[string]any  `json:"rows"`
		Types map[string]string `json:"types"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decoding node output: %v\n%s", err, out)
	}
	return got.Rows, got.Types
}

// TestArrowReadByApacheArrowJS writes the test reviews with the arrow sink
// and reads them back with the JavaScript Arrow implementation.
func TestArrowReadByApacheArrowJS(t *testing.T) {
	pkg := testshared.ApacheArrowJS(t)
	cfg := DefaultArrowConfig()
	cfg.Path = filepath.Join(t.TempDir(), "out", "reviews")
	cfg.SortBy = nil
	s, err := NewArrow(cfg, "run1", nil)
	if err != nil {
		t.Fatal(err)
	}
	reviews := parquetTestReviews()
	if err := s.Write(context.Background(), reviews); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(cfg.Path, "*.arrow"))
	if len(files) != 1 {
		t.Fatalf("arrow files %v, want 1", files)
	}
	rows, types := arrowJSRead(t, pkg, files[0])
	if len(rows) != len(reviews) {
		t.Fatalf("apache-arrow read %d rows, want %d", len(rows), len(reviews))
	}
	for col, want := range map[string]string{
		"published_at": "Timestamp<MICROSECOND, UTC>", "authors": "List<Utf8>", "word_count": "Int64",
		"item_year": "Int32", "rating": "Float64", "has_spoiler_warning": "Bool", "title": "Utf8",
	} {
		if types[col] != want {
			t.Errorf("column %s has Arrow type %q, want %q", col, types[col], want)
		}
	}
	for i, r := range reviews {
		got := rows[i]
		if got["review_id"] != r.ReviewID || got["word_count"] != float64(r.WordCount) {
			t.Errorf("row %d: review_id %v word_count %v, want %s %d", i, got["review_id"], got["word_count"], r.ReviewID, r.WordCount)
		}
		wantTitle := any(nil)
		if r.Title != nil {
			wantTitle = *r.Title
		}
		if got["title"] != wantTitle {
			t.Errorf("row %d: title %v, want %v", i, got["title"], wantTitle)
		}
		wantAt := any(nil)
		if r.PublishedAt != nil {
			wantAt = r.PublishedAt.UTC().Format("2006-01-02T15:04:05.000000Z")
		}
		if got["published_at"] != wantAt {
			t.Errorf("row %d: published_at %v, want %v", i, got["published_at"], wantAt)
		}
		authors, _ := json.Marshal(got["authors"])
		wantAuthors, _ := json.Marshal(r.Authors)
		if r.Authors == nil {
			wantAuthors = []byte("null")
		}
		if string(authors) != string(wantAuthors) {
			t.Errorf("row %d: authors %s, want %s", i, authors, wantAuthors)
		}
	}
}
