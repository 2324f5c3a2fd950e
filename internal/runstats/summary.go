package runstats

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Run statuses, as the exit codes say them.
const (
	StatusOK          = "ok"
	StatusRejects     = "finished_with_rejects"
	StatusFailed      = "failed"
	StatusNoInput     = "no_input"
	StatusInterrupted = "interrupted"
)

// SchemaVersion of summary.json; readers check it.
const SchemaVersion = "1"

// Summary is summary.json: what one run did. Every count is of this run.
type Summary struct {
	SchemaVersion string    `json:"schema_version"`
	RunID         string    `json:"run_id"`
	Status        string    `json:"status"`
	Error         string    `json:"error,omitempty"`
	StartedAt     time.Time `json:"started_at"`
	FinishedAt    time.Time `json:"finished_at"`
	Seconds       float64   `json:"duration_seconds"`
	Config        string    `json:"config,omitempty"`
	Outputs       []string  `json:"outputs"`

	Pages   PageCounts           `json:"pages"`
	Fetches FetchCounts          `json:"fetches"`
	Rejects RejectCounts         `json:"rejects"`
	Records RecordCounts         `json:"records"`
	Sinks   []SinkCounts         `json:"sinks"`
	Stages  map[string]Histogram `json:"stages"`
	Reviews ReviewFigures        `json:"reviews"`
	// RuleFallbacks counts, by "site/field", pages on which a per-site
	// rule matched nothing and the heuristics stood in.
	RuleFallbacks map[string]int64 `json:"rule_fallbacks,omitempty"`
}

// PageCounts are the pages the sources yielded.
type PageCounts struct {
	Read      int64            `json:"read"`
	Bytes     int64            `json:"bytes"`
	Extracted int64            `json:"extracted"`
	Dropped   int64            `json:"dropped"`
	BySource  map[string]int64 `json:"by_source"`
	BySite    map[string]int64 `json:"by_site"`
}

// FetchCounts summarize the crawl's fetch log; empty without a crawl.
type FetchCounts struct {
	Total     int64            `json:"total"`
	ByOutcome map[string]int64 `json:"by_outcome"`
	ByStatus  map[string]int64 `json:"by_status"` // "200", "404", "none" (no response)
	Latency   Histogram        `json:"latency_seconds"`
	Series    []LatencyPoint   `json:"latency_series"`
}

// LatencyPoint is one minute of fetches.
type LatencyPoint struct {
	At    time.Time `json:"at"`
	Count int64     `json:"count"`
	SumMS int64     `json:"sum_ms"`
	MaxMS int64     `json:"max_ms"`
}

// RejectCounts are the rejects of every stage.
type RejectCounts struct {
	Total    int64            `json:"total"`
	ByReason map[string]int64 `json:"by_reason"` // "stage/reason"
	ByStage  map[string]int64 `json:"by_stage"`
	BySite   map[string]int64 `json:"by_site"`
}

// RecordCounts are the reviews: handed to the sinks, of which written,
// skipped because the dataset had them, and marked as duplicates.
type RecordCounts struct {
	Handed         int64            `json:"handed"`
	Written        int64            `json:"written"`
	SkippedPresent int64            `json:"skipped_present"`
	Duplicates     int64            `json:"marked_duplicate"`
	BySite         map[string]int64 `json:"by_site"`
}

// SinkCounts is what one sink did with the records handed to it.
type SinkCounts struct {
	Name           string `json:"name"`
	SkippedPresent int64  `json:"skipped_present"`
}

// ReviewFigures feed the report: rating distribution per site (tenths of
// the 0–1 rating), reviews per published month, and which kind of source
// decided each field.
type ReviewFigures struct {
	RatingBins      map[string][]int64          `json:"rating_bins"`
	PublishedMonths map[string]int64            `json:"published_months"`
	FieldSources    map[string]map[string]int64 `json:"field_sources"`
}

// Summarize returns the counts as they stand; the caller fills status,
// outputs, sinks and the written count from the commit.
func (s *Stats) Summarize(runID string, end time.Time) Summary {
	s.mu.Lock()
	defer s.mu.Unlock()
	stages := map[string]Histogram{}
	for k, h := range s.stages {
		stages[k] = h.clone()
	}
	sources := map[string]map[string]int64{}
	for f, m := range s.sources {
		sources[f] = maps.Clone(m)
	}
	ratings := map[string][]int64{}
	for k, v := range s.ratings {
		ratings[k] = slices.Clone(v)
	}
	byStage := map[string]int64{}
	for k, v := range s.rejects {
		stage, _, _ := cut(k)
		byStage[stage] += v
	}
	return Summary{
		SchemaVersion: SchemaVersion, RunID: runID, StartedAt: s.start.UTC(), FinishedAt: end.UTC(),
		Seconds: end.Sub(s.start).Seconds(),
		Pages: PageCounts{Read: s.read.Load(), Bytes: s.bytes.Load(), Extracted: s.extracted.Load(), Dropped: s.dropped.Load(),
			BySource: maps.Clone(s.bySource), BySite: maps.Clone(s.bySite)},
		Fetches: FetchCounts{Total: s.fetches.Load(), ByOutcome: maps.Clone(s.outcomes), ByStatus: maps.Clone(s.statuses),
			Latency: s.fetchHist.clone(), Series: slices.Clone(s.latency)},
		Rejects: RejectCounts{Total: s.rejected.Load(), ByReason: maps.Clone(s.rejects), ByStage: byStage, BySite: maps.Clone(s.rejectSite)},
		Records: RecordCounts{Handed: s.handed.Load(), Written: s.handed.Load(), Duplicates: s.duplicates, BySite: positive(s.records)},
		Stages:  stages,
		Reviews: ReviewFigures{RatingBins: ratings, PublishedMonths: maps.Clone(s.months), FieldSources: sources},
	}
}

// SetSkipped records what append mode left out: the largest count of any
// sink, since each sink of a run sees the same records.
func (sum *Summary) SetSkipped(sinks []SinkCounts) {
	sum.Sinks = sinks
	for _, c := range sinks {
		sum.Records.SkippedPresent = max(sum.Records.SkippedPresent, c.SkippedPresent)
	}
	sum.Records.Written = sum.Records.Handed - sum.Records.SkippedPresent
}

// JSON is summary.json's bytes.
func (sum Summary) JSON() ([]byte, error) {
	data, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the run summary: %w", err)
	}
	return append(data, '\n'), nil
}

// Parse reads summary.json.
func Parse(data []byte) (Summary, error) {
	var sum Summary
	if err := json.Unmarshal(data, &sum); err != nil {
		return sum, fmt.Errorf("run summary: %w", err)
	}
	if sum.SchemaVersion != SchemaVersion {
		return sum, fmt.Errorf("run summary: schema version %q, this reviewpipe reads %q", sum.SchemaVersion, SchemaVersion)
	}
	return sum, nil
}

func cut(k string) (string, string, bool) {
	for i := range len(k) {
		if k[i] == '/' {
			return k[:i], k[i+1:], true
		}
	}
	return k, "", false
}

func positive(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v > 0 {
			out[k] = v
		}
	}
	return out
}
