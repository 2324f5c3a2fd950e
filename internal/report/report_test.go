package report

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/runstats"
)

func TestMonthRange(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{nil, nil},
		{[]string{"2024-11"}, []string{"2024-11"}},
		{[]string{"2024-11", "2025-02"}, []string{"2024-11", "2024-12", "2025-01", "2025-02"}},
		{[]string{"bad", "2025-02"}, []string{"bad", "2025-02"}},
	}
	for _, tt := range tests {
		if got := monthRange(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("monthRange(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := len(monthRange([]string{"1900-01", "2026-01"})); got != maxMonths {
		t.Errorf("a century of months gives %d columns, want %d", got, maxMonths)
	}
}

func TestTopSumsTheRest(t *testing.T) {
	var bars []bar
	for i := range maxBars + 5 {
		bars = append(bars, bar{label: strings.Repeat("x", i+1), values: []float64{float64(i + 1)}})
	}
	got := top(bars)
	if len(got) != maxBars || got[0].values[0] != maxBars+5 {
		t.Fatalf("top kept %d bars, first %v", len(got), got[0])
	}
	var sum float64
	for _, b := range got {
		sum += b.values[0]
	}
	if want := float64((maxBars + 5) * (maxBars + 6) / 2); sum != want {
		t.Errorf("bars sum to %v after folding, want %v: the rest was lost", sum, want)
	}
}

func TestRenderIsSelfContained(t *testing.T) {
	st := runstats.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	sum := st.Summarize("20260102T030405Z-abcdef", time.Date(2026, 1, 2, 3, 5, 0, 0, time.UTC))
	sum.Status = runstats.StatusOK
	sum.Error = `<script>alert(1)</script>`
	page := string(Render(sum))
	for _, bad := range []string{"<script", "http://", "https://", "<img", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q: it must be self-contained and escape what it shows", bad)
		}
	}
	if !strings.Contains(page, "Nothing in this run.") || !strings.Contains(page, "20260102T030405Z-abcdef") {
		t.Errorf("an empty run's page lacks its id or the empty-chart note")
	}
}
