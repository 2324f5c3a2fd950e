package extract

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// evalPage is one entry of the trafilatura evaluation truth: snippets that
// must and must not be in the extracted body.
type evalPage struct {
	File    string   `json:"file"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

// TestTrafilaturaEvalScore scores body extraction on the trafilatura
// evaluation corpus (960 real pages) as precision/recall/F over snippets:
// a "with" snippet found is a true positive, one missing a false negative,
// a "without" snippet found a false positive. Each page is a subtest, so one
// page can be run alone; the floor is checked only over the full corpus.
func TestTrafilaturaEvalScore(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	dir := testshared.Path(t, "corpus", "trafilatura-eval")
	data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatalf("reading truth: %v", err)
	}
	var truth map[string]evalPage
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatalf("decoding truth: %v", err)
	}
	urls := make([]string, 0, len(truth))
	for u := range truth {
		urls = append(urls, u)
	}
	sort.Strings(urls)

	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var tp, fn, fp, pages int
	rejects := map[record.Reason]int{}
	start := time.Now()
	for _, u := range urls {
		c := truth[u]
		t.Run(c.File, func(t *testing.T) {
			raw, err := readGz(filepath.Join(dir, "pages", c.File+".gz"))
			if err != nil {
				t.Fatalf("reading page: %v", err)
			}
			pages++
			text := ""
			r, err := ex.Extract(context.Background(), &record.Page{URL: u, Body: raw})
			switch re, ok := record.AsReject(err); {
			case err == nil:
				text = normEval(r.Body)
			case ok:
				rejects[re.Reason]++
				t.Logf("rejected: %v", err)
			default:
				t.Fatalf("Extract: %v", err)
			}
			for _, s := range c.With {
				if strings.Contains(text, normEval(s)) {
					tp++
				} else {
					fn++
					t.Logf("missing %q", s)
				}
			}
			for _, s := range c.Without {
				if strings.Contains(text, normEval(s)) {
					fp++
					t.Logf("boilerplate %q", s)
				}
			}
		})
	}
	p := float64(tp) / float64(max(tp+fp, 1))
	rc := float64(tp) / float64(max(tp+fn, 1))
	f := 0.0
	if p+rc > 0 {
		f = 2 * p * rc / (p + rc)
	}
	t.Logf("%d pages in %v: precision %.3f recall %.3f F %.3f (TP %d FN %d FP %d) rejects %v",
		pages, time.Since(start).Round(time.Millisecond), p, rc, f, tp, fn, fp, rejects)
	if pages == len(truth) && f < 0.80 {
		t.Errorf("F = %.3f, want at least 0.80", f)
	}
}

func normEval(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func readGz(path string) ([]byte, error) {
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
