package testshared

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// EvalCase is one page of corpus/trafilatura-eval with its truth.
type EvalCase struct {
	URL     string
	File    string   `json:"file"`
	With    []string `json:"with"`
	Without []string `json:"without"`
	Title   string   `json:"title"`
	Date    string   `json:"date"`
	Authors []string `json:"authors"`
}

// TrafilaturaEval loads the trafilatura-eval truth, sorted by URL so runs
// are reproducible, and returns the folder of its pages.
func TrafilaturaEval(tb testing.TB) (pagesDir string, cases []EvalCase) {
	tb.Helper()
	dir := Path(tb, "corpus", "trafilatura-eval")
	data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		tb.Fatalf("reading truth: %v", err)
	}
	var truth map[string]EvalCase
	if err := json.Unmarshal(data, &truth); err != nil {
		tb.Fatalf("decoding truth: %v", err)
	}
	for u, c := range truth {
		c.URL = u
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].URL < cases[j].URL })
	return filepath.Join(dir, "pages"), cases
}

// ReadGzip returns the decompressed content of a .gz file.
func ReadGzip(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}
