package runstats

import (
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

func TestSummaryCounts(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := New(t0)
	s.Page("files", &record.Page{URL: "https://a.example/1", Body: []byte("12345")})
	s.Page("files", &record.Page{URL: "https://a.example/2", Body: []byte("123")})
	s.Extracted()
	rating, pub := 0.85, t0.AddDate(0, -2, 0)
	site := "a.example"
	s.Record(&record.Review{URL: "https://a.example/1", Site: &site, Rating: &rating, PublishedAt: &pub,
		FieldSources: []record.FieldSource{{Field: "rating", Source: "jsonld"}}})
	s.Reject(&record.Reject{URL: "https://b.example/2", Stage: "extract", Reason: "empty"})
	s.Fetch(record.Fetch{Status: 200, Attempts: 1, DurationMS: 120, Outcome: "emitted", FetchedAt: t0})
	s.Fetch(record.Fetch{Status: 0, Attempts: 0, Outcome: "disallowed", FetchedAt: t0})
	s.Stage(StageExtract, 3*time.Millisecond)

	sum := s.Summarize("run", t0.Add(time.Minute))
	sum.SetSkipped([]SinkCounts{{Name: "a", SkippedPresent: 0}, {Name: "b", SkippedPresent: 1}})
	if sum.Pages.Read != 2 || sum.Pages.Bytes != 8 || sum.Pages.BySource["files"] != 2 {
		t.Errorf("pages %+v", sum.Pages)
	}
	if sum.Records.Handed != 1 || sum.Records.SkippedPresent != 1 || sum.Records.Written != 0 {
		t.Errorf("records %+v: one handed, skipped by one sink, so none written", sum.Records)
	}
	if sum.Rejects.ByReason["extract/empty"] != 1 || sum.Rejects.ByStage["extract"] != 1 || sum.Rejects.BySite["b.example"] != 1 {
		t.Errorf("rejects %+v", sum.Rejects)
	}
	if sum.Fetches.ByStatus["200"] != 1 || sum.Fetches.ByStatus["none"] != 1 || sum.Fetches.Latency.Count != 1 || len(sum.Fetches.Series) != 1 {
		t.Errorf("fetches %+v: a disallowed URL has no latency", sum.Fetches)
	}
	if sum.Reviews.RatingBins[site][8] != 1 || sum.Reviews.PublishedMonths["2025-11"] != 1 || sum.Reviews.FieldSources["rating"]["jsonld"] != 1 {
		t.Errorf("review figures %+v", sum.Reviews)
	}
	data, err := sum.JSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil || back.Records.Written != sum.Records.Written || back.RunID != "run" || back.Fetches.Latency.Count != 1 {
		t.Errorf("summary.json does not read back: %v", err)
	}
}

func TestHistogramCumulative(t *testing.T) {
	h := newHistogram()
	for _, v := range []float64{0.0005, 0.003, 0.003, 40} {
		h.observe(v)
	}
	c := h.Cumulative()
	if c[0.001] != 1 || c[0.005] != 3 || c[30] != 3 || h.Count != 4 {
		t.Errorf("cumulative %v, count %d: want 1 ≤1ms, 3 ≤5ms and ≤30s, 4 in all", c, h.Count)
	}
}

func TestETA(t *testing.T) {
	tests := []struct {
		p    Progress
		want time.Duration
		ok   bool
	}{
		{Progress{Elapsed: 10 * time.Second, Read: 100, Total: 300}, 20 * time.Second, true},
		{Progress{Elapsed: 10 * time.Second, Read: 100, Total: -1}, 0, false},
		{Progress{Elapsed: 10 * time.Second, Read: 0, Total: 300}, 0, false},
	}
	for _, tt := range tests {
		if got, ok := tt.p.ETA(); got != tt.want || ok != tt.ok {
			t.Errorf("%+v.ETA() = %v, %v; want %v, %v", tt.p, got, ok, tt.want, tt.ok)
		}
	}
}
