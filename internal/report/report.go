// Package report renders a run's summary as report.html: one
// self-contained page (inline CSS and SVG, no scripts, fonts or images)
// with what an on-call engineer or an analyst looks at first.
package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/runstats"
)

// Render returns the report page of one run.
func Render(s runstats.Summary) []byte {
	var sb strings.Builder
	sb.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`)
	sb.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">`)
	fmt.Fprintf(&sb, `<title>reviewpipe run %s</title><style>%s</style></head><body>`, esc(s.RunID), css)
	sb.WriteString(header(s))
	sb.WriteString(`<div class="grid">`)
	for _, part := range []string{
		sitesChart(s), rejectsChart(s), statusChart(s), latencyChart(s),
		monthsChart(s), ratingsCharts(s), sourcesChart(s), stagesTable(s),
	} {
		sb.WriteString(part)
	}
	sb.WriteString(`</div></body></html>`)
	return []byte(sb.String())
}

const css = `body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;background:#fafafa}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:0 0 8px}
.meta{color:#555;margin-bottom:16px}.status{padding:2px 8px;border-radius:4px;color:#fff;font-weight:600}
.ok{background:#009E73}.finished_with_rejects{background:#E69F00}.failed,.no_input,.interrupted{background:#D55E00}
.tiles{display:flex;flex-wrap:wrap;gap:8px;margin-bottom:16px}.tile{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:110px}
.tile b{display:block;font-size:20px}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px}svg.chart{width:100%;height:auto;display:block}
.lbl{font-size:12px;fill:#333}.val{font-size:11px;fill:#555}.axis{font-size:10px;fill:#666}.none{color:#777}
table{border-collapse:collapse;width:100%}td,th{text-align:right;padding:2px 8px;border-bottom:1px solid #eee}td:first-child,th:first-child{text-align:left}
.small{display:inline-block;width:31%;min-width:160px;margin:0 1% 8px 0;vertical-align:top}.small h3{font-size:12px;margin:0;font-weight:500}`

func header(s runstats.Summary) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `<h1>reviewpipe run %s <span class="status %s">%s</span></h1>`, esc(s.RunID), esc(s.Status), esc(strings.ReplaceAll(s.Status, "_", " ")))
	fmt.Fprintf(&sb, `<div class="meta">%s → %s (%s) · config %s · outputs %s</div>`,
		s.StartedAt.Format(time.RFC3339), s.FinishedAt.Format(time.RFC3339),
		(time.Duration(s.Seconds * float64(time.Second))).Round(time.Millisecond), esc(s.Config), esc(strings.Join(s.Outputs, ", ")))
	if s.Error != "" {
		fmt.Fprintf(&sb, `<p class="meta">error: %s</p>`, esc(s.Error))
	}
	sb.WriteString(`<div class="tiles">`)
	for _, t := range []struct {
		name string
		v    int64
	}{
		{"pages read", s.Pages.Read}, {"extracted", s.Pages.Extracted}, {"rejected", s.Rejects.Total},
		{"written", s.Records.Written}, {"already present", s.Records.SkippedPresent}, {"marked duplicate", s.Records.Duplicates},
		{"fetches", s.Fetches.Total},
	} {
		fmt.Fprintf(&sb, `<div class="tile"><b>%d</b>%s</div>`, t.v, t.name)
	}
	fmt.Fprintf(&sb, `<div class="tile"><b>%s</b>read</div></div>`, bytesText(s.Pages.Bytes))
	return sb.String()
}

func sitesChart(s runstats.Summary) string {
	sites := map[string]bool{}
	for k := range s.Pages.BySite {
		sites[k] = true
	}
	for k := range s.Records.BySite {
		sites[k] = true
	}
	var bars []bar
	for site := range sites {
		bars = append(bars, bar{site, []float64{float64(s.Records.BySite[site]), float64(max(0, s.Pages.BySite[site]-s.Records.BySite[site]))}})
	}
	return hbars("Pages per site: records written and the rest", top(bars), []string{"records", "other pages"})
}

func rejectsChart(s runstats.Summary) string {
	return hbars("Rejects by stage and reason", top(counted(s.Rejects.ByReason)), nil)
}

func statusChart(s runstats.Summary) string {
	bars := counted(s.Fetches.ByStatus)
	slices.SortFunc(bars, func(a, b bar) int { return cmp.Compare(a.label, b.label) })
	return hbars("Fetch status codes", top(bars), nil)
}

func latencyChart(s runstats.Summary) string {
	var labels []string
	mean, peak := []float64{}, []float64{}
	for _, p := range s.Fetches.Series {
		labels = append(labels, p.At.UTC().Format("15:04"))
		mean = append(mean, float64(p.SumMS)/float64(max(p.Count, 1)))
		peak = append(peak, float64(p.MaxMS))
	}
	return lines("Fetch latency per minute (ms)", labels, [][]float64{mean, peak}, []string{"mean", "max"})
}

// maxMonths bounds the month axis: twenty years of monthly columns; older
// months are left out rather than squeezing the chart to hairlines.
const maxMonths = 240

func monthsChart(s runstats.Summary) string {
	months := monthRange(slices.Sorted(maps.Keys(s.Reviews.PublishedMonths)))
	values := make([]float64, len(months))
	for i, m := range months {
		values[i] = float64(s.Reviews.PublishedMonths[m])
	}
	return columns("Reviews per published month", months, values, chartWidth, 200)
}

// monthRange fills the months between the first and the last of sorted
// ("2024-01" … "2024-06"), so a month without reviews shows as a gap.
func monthRange(sorted []string) []string {
	if len(sorted) == 0 {
		return nil
	}
	first, err1 := time.Parse("2006-01", sorted[0])
	last, err2 := time.Parse("2006-01", sorted[len(sorted)-1])
	if err1 != nil || err2 != nil {
		return sorted
	}
	var out []string
	for m := last; !m.Before(first) && len(out) < maxMonths; m = m.AddDate(0, -1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	slices.Reverse(out)
	return out
}

// ratingsCharts draws one small histogram per site, the sites with the
// most rated reviews first.
func ratingsCharts(s runstats.Summary) string {
	if len(s.Reviews.RatingBins) == 0 {
		return empty("Rating distribution per site (0–1)")
	}
	sites := slices.Collect(maps.Keys(s.Reviews.RatingBins))
	total := func(site string) int64 {
		var n int64
		for _, v := range s.Reviews.RatingBins[site] {
			n += v
		}
		return n
	}
	slices.SortFunc(sites, func(a, b string) int { return cmp.Or(cmp.Compare(total(b), total(a)), cmp.Compare(a, b)) })
	labels := make([]string, 10)
	for i := range labels {
		labels[i] = strconv.FormatFloat(float64(i)/10, 'f', 1, 64)
	}
	var sb strings.Builder
	for _, site := range sites[:min(len(sites), maxBars)] {
		values := make([]float64, len(s.Reviews.RatingBins[site]))
		for i, v := range s.Reviews.RatingBins[site] {
			values[i] = float64(v)
		}
		chart := columns(fmt.Sprintf("%s (%d)", site, total(site)), labels, values, 220, 110)
		sb.WriteString(`<div class="small">` + strings.Replace(strings.Replace(chart, "<h2>", "<h3>", 1), "</h2>", "</h3>", 1) + `</div>`)
	}
	return section("Rating distribution per site (0–1)", sb.String())
}

func sourcesChart(s runstats.Summary) string {
	kinds := map[string]bool{}
	for _, m := range s.Reviews.FieldSources {
		for k := range m {
			kinds[k] = true
		}
	}
	legend := slices.Sorted(maps.Keys(kinds))
	var bars []bar
	for _, field := range slices.Sorted(maps.Keys(s.Reviews.FieldSources)) {
		b := bar{label: field}
		for _, k := range legend {
			b.values = append(b.values, float64(s.Reviews.FieldSources[field][k]))
		}
		bars = append(bars, b)
	}
	return hbars("Which source decided each field", bars, legend)
}

func stagesTable(s runstats.Summary) string {
	if len(s.Stages) == 0 {
		return empty("Time per stage")
	}
	var sb strings.Builder
	sb.WriteString(`<table><tr><th>stage</th><th>calls</th><th>total</th><th>mean</th></tr>`)
	order := []string{runstats.StageSource, runstats.StageExtract, runstats.StageTransform, runstats.StageWrite, runstats.StageCommit}
	for _, st := range order {
		h, ok := s.Stages[st]
		if !ok {
			continue
		}
		mean := 0.0
		if h.Count > 0 {
			mean = h.Sum / float64(h.Count)
		}
		fmt.Fprintf(&sb, `<tr><td>%s</td><td>%d</td><td>%s</td><td>%s</td></tr>`, st, h.Count, seconds(h.Sum), seconds(mean))
	}
	sb.WriteString(`</table>`)
	return section("Time per stage (summed over workers)", sb.String())
}

// counted turns a count map into bars, largest first.
func counted(m map[string]int64) []bar {
	bars := make([]bar, 0, len(m))
	for k, v := range m {
		bars = append(bars, bar{k, []float64{float64(v)}})
	}
	sort.SliceStable(bars, func(i, j int) bool {
		si, sj := sum(bars[i].values), sum(bars[j].values)
		return si > sj || si == sj && bars[i].label < bars[j].label
	})
	return bars
}

// top keeps the maxBars largest bars and sums the rest into "other".
func top(bars []bar) []bar {
	sort.SliceStable(bars, func(i, j int) bool {
		si, sj := sum(bars[i].values), sum(bars[j].values)
		return si > sj || si == sj && bars[i].label < bars[j].label
	})
	if len(bars) <= maxBars {
		return bars
	}
	rest := bar{label: fmt.Sprintf("%d others", len(bars)-maxBars+1), values: make([]float64, len(bars[0].values))}
	for _, b := range bars[maxBars-1:] {
		for i, v := range b.values {
			rest.values[i] += v
		}
	}
	return append(bars[:maxBars-1], rest)
}

func seconds(v float64) string {
	return (time.Duration(v * float64(time.Second))).Round(time.Microsecond).String()
}

func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
