package runstats

import "slices"

// latencyBounds are the histogram's upper bounds in seconds: from a
// millisecond (a small page extracted) to half a minute (a slow fetch at
// the crawler's timeout), the spread Prometheus's default buckets cover.
var latencyBounds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// Histogram counts observations in cumulative-ready buckets: Counts[i] is
// the number of observations ≤ Bounds[i] and above Bounds[i-1]; Count
// includes those above the last bound.
type Histogram struct {
	Bounds []float64 `json:"bounds"`
	Counts []uint64  `json:"counts"`
	Count  uint64    `json:"count"`
	Sum    float64   `json:"sum"`
}

func newHistogram() Histogram {
	return Histogram{Bounds: latencyBounds, Counts: make([]uint64, len(latencyBounds))}
}

func (h *Histogram) observe(v float64) {
	h.Count++
	h.Sum += v
	if i, _ := slices.BinarySearch(h.Bounds, v); i < len(h.Bounds) {
		h.Counts[i]++
	}
}

func (h Histogram) clone() Histogram {
	h.Bounds, h.Counts = slices.Clone(h.Bounds), slices.Clone(h.Counts)
	return h
}

// Cumulative returns, per upper bound, the observations at or below it,
// as Prometheus histograms count them.
func (h Histogram) Cumulative() map[float64]uint64 {
	out := make(map[float64]uint64, len(h.Bounds))
	var run uint64
	for i, b := range h.Bounds {
		if i < len(h.Counts) {
			run += h.Counts[i]
		}
		out[b] = run
	}
	return out
}
