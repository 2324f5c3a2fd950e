// Package runstats counts what a run does while it runs — pages, fetches,
// rejects, records, stage times — and turns the counts into the run's
// summary (summary.json), from which the progress line, the final log
// line, the report and the metrics are all made, so they never disagree.
package runstats

import (
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// Stages whose time is measured, in the order a page meets them.
const (
	StageSource    = "source"
	StageExtract   = "extract"
	StageTransform = "transform"
	StageWrite     = "write"
	StageCommit    = "commit"
)

// latencyBucket is the width of one point of the fetch latency series: a
// night's crawl of a few hours gives a few hundred points, enough for a
// chart and small in summary.json.
const latencyBucket = time.Minute

// ratingBins splits the 0–1 rating into tenths for the per-site histogram.
const ratingBins = 10

// Stats is safe for concurrent use. The hot counters are atomics; the
// breakdowns take a mutex, once per page or record.
type Stats struct {
	start time.Time
	now   func() time.Time

	read, bytes, extracted, rejected, handed, dropped atomic.Int64
	fetches                                           atomic.Int64
	total                                             atomic.Int64 // -1 while unknown
	queue                                             atomic.Pointer[func() int]

	mu         sync.Mutex
	bySource   map[string]int64
	bySite     map[string]int64
	outcomes   map[string]int64
	statuses   map[string]int64
	latency    []LatencyPoint
	fetchHist  Histogram
	rejects    map[string]int64 // "stage/reason"
	rejectSite map[string]int64
	records    map[string]int64 // by site
	duplicates int64
	ratings    map[string][]int64 // site → ratingBins counts
	months     map[string]int64   // "2024-01"
	sources    map[string]map[string]int64
	stages     map[string]*Histogram
}

// New starts counting at now.
func New(now time.Time) *Stats {
	s := &Stats{start: now, now: time.Now,
		bySource: map[string]int64{}, bySite: map[string]int64{}, outcomes: map[string]int64{},
		statuses: map[string]int64{}, rejects: map[string]int64{}, rejectSite: map[string]int64{},
		records: map[string]int64{}, ratings: map[string][]int64{}, months: map[string]int64{},
		sources: map[string]map[string]int64{}, stages: map[string]*Histogram{},
		fetchHist: newHistogram(), latency: []LatencyPoint{},
	}
	s.total.Store(-1)
	return s
}

// SetTotal records how many pages the run will read, once known (the
// files source counts its matches ahead); the progress line shows an ETA.
func (s *Stats) SetTotal(n int64) { s.total.Store(n) }

// SetQueue gives the function the progress line asks for the queue depth.
func (s *Stats) SetQueue(f func() int) { s.queue.Store(&f) }

// Page counts a page a source yielded.
func (s *Stats) Page(source string, p *record.Page) {
	s.read.Add(1)
	s.bytes.Add(int64(len(p.Body)))
	s.mu.Lock()
	s.bySource[source]++
	s.mu.Unlock()
}

// PageSite counts a processed page under its site: the review's site, or
// the host of the page's address when it gave no review. Counted after
// extraction, so pages and records per site agree for local files too.
func (s *Stats) PageSite(site string) {
	s.mu.Lock()
	s.bySite[site]++
	s.mu.Unlock()
}

// Fetch counts one row of the crawl's fetch log.
func (s *Stats) Fetch(f record.Fetch) {
	s.fetches.Add(1)
	d := time.Duration(f.DurationMS) * time.Millisecond
	s.mu.Lock()
	defer s.mu.Unlock()
	s.outcomes[f.Outcome]++
	code := "none"
	if f.Status > 0 {
		code = strconv.Itoa(int(f.Status))
	}
	s.statuses[code]++
	if f.Status == 0 && f.Attempts == 0 {
		return // not requested (robots, filters): no latency
	}
	s.fetchHist.observe(d.Seconds())
	at := f.FetchedAt.Truncate(latencyBucket)
	if n := len(s.latency); n == 0 || !s.latency[n-1].At.Equal(at) {
		s.latency = append(s.latency, LatencyPoint{At: at})
	}
	p := &s.latency[len(s.latency)-1]
	p.Count++
	p.SumMS += f.DurationMS
	p.MaxMS = max(p.MaxMS, f.DurationMS)
}

// Stage adds the time one page (or one batch) spent in a stage.
func (s *Stats) Stage(stage string, d time.Duration) {
	s.mu.Lock()
	h := s.stages[stage]
	if h == nil {
		nh := newHistogram()
		h = &nh
		s.stages[stage] = h
	}
	h.observe(d.Seconds())
	s.mu.Unlock()
}

// Extracted counts a page the extractor turned into a review.
func (s *Stats) Extracted() { s.extracted.Add(1) }

// Dropped counts a review a transform filtered out on purpose.
func (s *Stats) Dropped() { s.dropped.Add(1) }

// Reject counts one reject.
func (s *Stats) Reject(rj *record.Reject) {
	s.rejected.Add(1)
	s.mu.Lock()
	s.rejects[rj.Stage+"/"+rj.Reason]++
	s.rejectSite[SiteOf(rj.URL)]++
	s.mu.Unlock()
}

// Record counts a review handed to the sinks, with its site, rating,
// month and field sources.
func (s *Stats) Record(r *record.Review) {
	s.handed.Add(1)
	site := ReviewSite(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records[site]++
	if r.DuplicateOf != nil {
		s.duplicates++
	}
	if r.Rating != nil {
		bins := s.ratings[site]
		if bins == nil {
			bins = make([]int64, ratingBins)
			s.ratings[site] = bins
		}
		bins[min(int(*r.Rating*ratingBins), ratingBins-1)]++
	}
	if r.PublishedAt != nil {
		s.months[r.PublishedAt.UTC().Format("2006-01")]++
	}
	for _, fs := range r.FieldSources {
		m := s.sources[fs.Field]
		if m == nil {
			m = map[string]int64{}
			s.sources[fs.Field] = m
		}
		m[fs.Source]++
	}
}

// Progress is a snapshot for the live status line and the periodic log.
type Progress struct {
	Elapsed                           time.Duration
	Read, Extracted, Rejected, Handed int64
	Fetches                           int64
	Total                             int64 // -1 while unknown
	Queue                             int
}

// Rate is pages read per second so far.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Read) / p.Elapsed.Seconds()
}

// ETA is the time left at the rate so far; ok is false while the total or
// the rate is unknown.
func (p Progress) ETA() (time.Duration, bool) {
	r := p.Rate()
	if p.Total < 0 || r <= 0 || p.Read > p.Total {
		return 0, false
	}
	return time.Duration(float64(p.Total-p.Read) / r * float64(time.Second)), true
}

// Progress returns the counts now.
func (s *Stats) Progress() Progress {
	p := Progress{
		Elapsed: s.now().Sub(s.start), Read: s.read.Load(), Extracted: s.extracted.Load(),
		Rejected: s.rejected.Load(), Handed: s.handed.Load(), Fetches: s.fetches.Load(), Total: s.total.Load(),
	}
	if q := s.queue.Load(); q != nil {
		p.Queue = (*q)()
	}
	return p
}

// ReviewSite is a review's site column, or its address's host.
func ReviewSite(r *record.Review) string {
	if site := record.Deref(r.Site); site != "" {
		return site
	}
	return SiteOf(r.URL)
}

// SiteOf is the host of a URL, or "local" for files without one.
func SiteOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "local"
	}
	return u.Hostname()
}
