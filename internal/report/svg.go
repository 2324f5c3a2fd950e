package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Chart geometry, in SVG user units (the charts scale to the page width).
const (
	chartWidth = 640
	barHeight  = 18
	barGap     = 6
	labelWidth = 200
	// maxBars keeps a bar chart readable: the largest entries are drawn and
	// the rest summed into one "other" bar.
	maxBars = 15
)

// palette is colour-blind safe (Okabe–Ito).
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"}

// bar is one labelled value; series holds stacked values when a chart has
// several.
type bar struct {
	label  string
	values []float64
}

// hbars draws horizontal bars, stacked when bars hold several values;
// legend names the series.
func hbars(title string, bars []bar, legend []string) string {
	if len(bars) == 0 {
		return empty(title)
	}
	peak := 0.0
	for _, b := range bars {
		peak = math.Max(peak, sum(b.values))
	}
	h := len(bars)*(barHeight+barGap) + 30
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d">`, esc(title), chartWidth, h)
	plot := float64(chartWidth - labelWidth - 70)
	for i, b := range bars {
		y := i*(barHeight+barGap) + 4
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" class="lbl">%s</text>`, labelWidth-6, y+barHeight-5, esc(clip(b.label, 32)))
		x := float64(labelWidth)
		for j, v := range b.values {
			w := 0.0
			if peak > 0 {
				w = v / peak * plot
			}
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s: %s</title></rect>`,
				x, y, w, barHeight, palette[j%len(palette)], esc(b.label), num(v))
			x += w
		}
		fmt.Fprintf(&sb, `<text x="%.1f" y="%d" class="val">%s</text>`, x+4, y+barHeight-5, num(sum(b.values)))
	}
	sb.WriteString(legendSVG(legend, h-12))
	sb.WriteString(`</svg>`)
	return section(title, sb.String())
}

// columns draws vertical bars over ordered labels (months, rating tenths).
func columns(title string, labels []string, values []float64, width, height int) string {
	if len(values) == 0 {
		return empty(title)
	}
	peak := 0.0
	for _, v := range values {
		peak = math.Max(peak, v)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d">`, esc(title), width, height)
	plotH := float64(height - 34)
	step := float64(width-20) / float64(len(values))
	every := max(1, len(labels)/12) // at most a dozen axis labels
	for i, v := range values {
		bh := 0.0
		if peak > 0 {
			bh = v / peak * plotH
		}
		x := 10 + float64(i)*step
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`,
			x+1, 8+plotH-bh, math.Max(step-2, 1), bh, palette[0], esc(labels[i]), num(v))
		if i%every == 0 {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%d" class="axis">%s</text>`, x, height-8, esc(labels[i]))
		}
	}
	fmt.Fprintf(&sb, `<text x="%d" y="12" class="axis" text-anchor="end">max %s</text></svg>`, width-4, num(peak))
	return section(title, sb.String())
}

// lines draws series over time-ordered points; labels are the x values.
func lines(title string, labels []string, series [][]float64, legend []string) string {
	if len(labels) == 0 {
		return empty(title)
	}
	const height = 220
	peak := 0.0
	for _, s := range series {
		for _, v := range s {
			peak = math.Max(peak, v)
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d">`, esc(title), chartWidth, height)
	plotH, plotW := float64(height-60), float64(chartWidth-60)
	x := func(i int) float64 {
		if len(labels) == 1 {
			return 40 + plotW/2
		}
		return 40 + float64(i)/float64(len(labels)-1)*plotW
	}
	for k, s := range series {
		var pts []string
		for i, v := range s {
			y := 10 + plotH
			if peak > 0 {
				y -= v / peak * plotH
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y))
			fmt.Fprintf(&sb, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"><title>%s %s: %s</title></circle>`,
				x(i), y, palette[k%len(palette)], esc(labels[i]), esc(legend[k]), num(v))
		}
		fmt.Fprintf(&sb, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, palette[k%len(palette)], strings.Join(pts, " "))
	}
	fmt.Fprintf(&sb, `<text x="36" y="16" class="axis" text-anchor="end">%s</text>`, num(peak))
	fmt.Fprintf(&sb, `<text x="40" y="%d" class="axis">%s</text>`, height-32, esc(labels[0]))
	fmt.Fprintf(&sb, `<text x="%d" y="%d" class="axis" text-anchor="end">%s</text>`, chartWidth-20, height-32, esc(labels[len(labels)-1]))
	sb.WriteString(legendSVG(legend, height-10))
	sb.WriteString(`</svg>`)
	return section(title, sb.String())
}

func legendSVG(legend []string, y int) string {
	if len(legend) < 2 {
		return ""
	}
	var sb strings.Builder
	x := labelWidth
	for i, l := range legend {
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d" class="lbl">%s</text>`,
			x, y-9, palette[i%len(palette)], x+14, y, esc(l))
		x += 24 + 7*len(l)
	}
	return sb.String()
}

func section(title, body string) string {
	return `<section><h2>` + esc(title) + `</h2>` + body + `</section>`
}

// empty says a chart has nothing to show, rather than drawing an empty box.
func empty(title string) string {
	return section(title, `<p class="none">Nothing in this run.</p>`)
}

func sum(vs []float64) float64 {
	t := 0.0
	for _, v := range vs {
		t += v
	}
	return t
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.3g", v)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func esc(s string) string { return html.EscapeString(s) }
