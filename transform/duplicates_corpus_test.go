package transform_test

import (
	"context"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/extract"
	"github.com/reviewpipe/reviewpipe/internal/evalscore"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
	"github.com/reviewpipe/reviewpipe/transform"
)

// TestNearDuplicatesCorpus measures the default near-duplicate rule on the
// bodies extracted from the trafilatura-eval pages (933 of them have the 50
// words detection needs): no two different pages may come within
// max_distance bits, and copies made from each body the ways syndication
// makes them (a credit line before, a newsletter plug after, words
// changed) are counted as found or missed.
func TestNearDuplicatesCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	dir := testshared.Path(t, "corpus", "trafilatura-eval")
	pages, err := evalscore.LoadEval(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := extract.New(extract.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := transform.DefaultConfig().Duplicates
	var bodies []string
	for _, p := range pages {
		r, err := ex.Extract(context.Background(), &record.Page{URL: p.URL, Body: p.Body, FetchedAt: time.Now()})
		if err == nil && len(strings.Fields(r.Body)) >= cfg.MinWords {
			bodies = append(bodies, r.Body)
		}
	}
	hashes := make([]uint64, len(bodies))
	for i, b := range bodies {
		hashes[i] = transform.SimHash(b)
	}
	closest := 64
	for i := range hashes {
		for j := i + 1; j < len(hashes); j++ {
			d := transform.Hamming(hashes[i], hashes[j])
			closest = min(closest, d)
			if d <= cfg.MaxDistance {
				t.Errorf("different pages %d bits apart (max_distance %d):\n  %.80q\n  %.80q", d, cfg.MaxDistance, bodies[i], bodies[j])
			}
		}
	}
	t.Logf("%d bodies, %d pairs: the closest two differ in %d bits", len(bodies), len(bodies)*(len(bodies)-1)/2, closest)

	rng := rand.New(rand.NewSource(1))
	edit := func(b string, frac float64) string {
		w := strings.Fields(b)
		for k := range w {
			if rng.Float64() < frac {
				w[k] = "edited"
			}
		}
		return strings.Join(w, " ")
	}
	for _, m := range []struct {
		name  string
		copy  func(string) string
		floor float64 // found/all below which the rule has collapsed
	}{
		{"credit line before", func(b string) string {
			return "This review first appeared on our partner site and is republished with permission. " + b
		}, 0.9},
		{"newsletter plug after", func(b string) string {
			return b + " Follow us on social media and subscribe to our newsletter for more reviews like this one, every week."
		}, 0.75},
		{"2% of words changed", func(b string) string { return edit(b, 0.02) }, 0.6},
		{"5% of words changed", func(b string) string { return edit(b, 0.05) }, 0},
	} {
		found := 0
		for i, b := range bodies {
			if transform.Hamming(hashes[i], transform.SimHash(m.copy(b))) <= cfg.MaxDistance {
				found++
			}
		}
		rate := float64(found) / float64(len(bodies))
		t.Logf("copies with %s: %d/%d found (%.2f)", m.name, found, len(bodies), rate)
		if rate < m.floor {
			t.Errorf("copies with %s: %.2f found, floor %.2f", m.name, rate, m.floor)
		}
	}
}
