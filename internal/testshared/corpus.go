package testshared

import (
	"path/filepath"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/evalscore"
)

// TrafilaturaEval loads the trafilatura-eval truth, sorted by URL so runs
// are reproducible, and returns the folder of its pages (<file>.gz).
func TrafilaturaEval(tb testing.TB) (pagesDir string, pages []evalscore.EvalPage) {
	tb.Helper()
	dir := Path(tb, "corpus", "trafilatura-eval")
	pages, err := evalscore.LoadEvalTruth(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(dir, "pages"), pages
}

// ReadGzip returns the decompressed content of a .gz file.
func ReadGzip(path string) ([]byte, error) { return evalscore.ReadGzip(path) }
