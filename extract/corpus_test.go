package extract

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// TestTrafilaturaEvalScore scores body extraction on the trafilatura
// evaluation corpus (960 real pages) as precision/recall/F over snippets:
// a "with" snippet found is a true positive, one missing a false negative,
// a "without" snippet found a false positive. Each page is a subtest, so one
// page can be run alone; the floor is checked only over the full corpus.
func TestTrafilaturaEvalScore(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	pagesDir, cases := testshared.TrafilaturaEval(t)

	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var tp, fn, fp, pages int
	rejects := map[record.Reason]int{}
	start := time.Now()
	for _, c := range cases {
		t.Run(c.File, func(t *testing.T) {
			raw, err := testshared.ReadGzip(filepath.Join(pagesDir, c.File+".gz"))
			if err != nil {
				t.Fatalf("reading page: %v", err)
			}
			pages++
			text := ""
			r, err := ex.Extract(context.Background(), &record.Page{URL: c.URL, Body: raw})
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
	if pages == len(cases) && f < 0.80 {
		t.Errorf("F = %.3f, want at least 0.80", f)
	}
}

func normEval(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
