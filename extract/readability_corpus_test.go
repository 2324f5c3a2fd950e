package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/evalscore"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// readabilityPageURL is the URL Mozilla's test pages were saved under; their
// relative links and metadata assume it.
const readabilityPageURL = evalscore.ReadabilityURL

// TestReadabilityShingleF1 scores the body on Mozilla Readability's test
// pages against Readability's own output: per page, the precision and
// recall of our 4-gram word shingles against those of expected.html;
// precision and recall are averaged over pages and the score is the F1 of
// the two means. Each page is a subtest, so one can be run alone; the floor
// is checked only over the full corpus.
//
//	go test ./extract/ -run TestReadabilityShingleF1 -v | grep pages
func TestReadabilityShingleF1(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	dir := testshared.Path(t, "corpus", "readability")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading corpus: %v", err)
	}
	ex, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var sumP, sumR float64
	pages := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			src, err := testshared.ReadGzip(filepath.Join(dir, e.Name(), "source.html.gz"))
			if err != nil {
				t.Fatalf("reading source: %v", err)
			}
			exp, err := testshared.ReadGzip(filepath.Join(dir, e.Name(), "expected.html.gz"))
			if err != nil {
				t.Fatalf("reading expected: %v", err)
			}
			want, err := evalscore.HTMLText(string(exp))
			if err != nil {
				t.Fatalf("parsing expected: %v", err)
			}
			got := ""
			r, err := ex.Extract(context.Background(), &record.Page{URL: readabilityPageURL, Body: src})
			switch _, rejected := record.AsReject(err); {
			case err == nil:
				got = r.Body
			case rejected:
				t.Logf("rejected: %v", err)
			default:
				t.Fatalf("Extract: %v", err)
			}
			p, rc := evalscore.ShingleScore(got, want)
			sumP += p
			sumR += rc
			pages++
			if p < 0.9 || rc < 0.9 {
				t.Logf("precision %.3f recall %.3f", p, rc)
			}
		})
	}
	if pages == 0 {
		t.Skip("readability corpus is empty")
	}
	p, rc := sumP/float64(pages), sumR/float64(pages)
	f := evalscore.Harmonic(p, rc)
	t.Logf("%d pages: precision %.3f recall %.3f F1 %.3f", pages, p, rc, f)
	// The acceptance floor; the scoring is deterministic.
	if pages == len(entries) && f < 0.95 {
		t.Errorf("shingle F1 = %.4f, want at least 0.95", f)
	}
}
