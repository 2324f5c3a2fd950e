package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// TestReportInChromium opens a crawl's report.html in headless Chromium
// (Debian's chromium, installed by the test when missing): no console
// error, every chart drawn, and a screenshot that is not blank. With
// REVIEWPIPE_REPORT_SCREENSHOT=FILE it also saves the screenshot (the
// README's docs/report.png is made so).
func TestReportInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	browser := testshared.DebianPackage(t, "chromium", "chromium")
	dir, _ := summaryJSON(t)
	page := "file://" + filepath.Join(dir, "report.html")

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1400, 1000))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	// Subscribe to the console before the page loads, then read it after.
	cctx, stopConsole := context.WithCancel(ctx)
	messages := chromedp.Console(cctx)
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	charts := evaluate[int](ctx, t, `document.querySelectorAll("svg.chart").length`)
	// A chart is drawn when it has a bar, a column or a line of size.
	drawn := evaluate[int](ctx, t, `[...document.querySelectorAll("svg.chart")].filter(s =>
		[...s.querySelectorAll("rect,polyline")].some(e => e.getBBox().width > 0 && (e.tagName == "polyline" || e.getBBox().height > 0))).length`)
	resources := evaluate[int](ctx, t, `performance.getEntriesByType("resource").length`)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	stopConsole()
	var problems []string
	for m, err := range messages {
		if err != nil {
			break
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			problems = append(problems, m.String())
		}
	}
	if len(problems) > 0 {
		t.Errorf("the report logged %d problems: %v", len(problems), problems)
	}
	// Sites, rejects, status codes, latency, months, rating bins per site
	// (several), field sources.
	if charts < 7 || drawn != charts {
		t.Errorf("%d charts, %d drawn; want at least 7, all drawn", charts, drawn)
	}
	if resources != 0 {
		t.Errorf("the report loaded %d resources; it must be self-contained", resources)
	}
	checkNotBlank(t, shot)
	if p := os.Getenv("REVIEWPIPE_REPORT_SCREENSHOT"); p != "" {
		if err := os.WriteFile(p, shot, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// evaluate runs a JavaScript expression in the page.
func evaluate[T any](ctx context.Context, t *testing.T, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// checkNotBlank fails when the screenshot is nearly one colour.
func checkNotBlank(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	bg := img.At(b.Min.X, b.Min.Y)
	differ, total := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			total++
			if img.At(x, y) != bg {
				differ++
			}
		}
	}
	if share := float64(differ) / float64(total); share < 0.2 {
		t.Errorf("the screenshot is %.0f %% background: the charts did not draw", 100*(1-share))
	}
}
