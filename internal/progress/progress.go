// Package progress shows how a run is going while it runs: a live status
// line on a terminal, a periodic one-line stats log elsewhere (a
// scheduler's log file, a container's stdout), as Scrapy's LogStats does.
package progress

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/reviewpipe/reviewpipe/internal/runstats"
)

// refresh is how often the terminal line is redrawn: fast enough to look
// live, slow enough to cost nothing.
const refresh = 250 * time.Millisecond

// DefaultInterval is the periodic log's default period (log.progress_interval).
const DefaultInterval = 30 * time.Second

// Options choose the display.
type Options struct {
	// Out is where the live line goes (stderr).
	Out io.Writer
	// Terminal draws the live line; otherwise Log gets a line every Interval.
	Terminal bool
	Interval time.Duration
	Log      *slog.Logger
	Quiet    bool
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Start shows the progress of s until the returned stop is called; stop
// clears the live line so the run's final log line follows on a clean one.
func Start(s *runstats.Stats, o Options) (stop func()) {
	if o.Quiet || (!o.Terminal && o.Interval <= 0) {
		return func() {}
	}
	period := o.Interval
	if o.Terminal {
		period = refresh
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p := s.Progress()
				if o.Terminal {
					fmt.Fprint(o.Out, "\r\x1b[K"+Line(p))
				} else {
					o.Log.Info("progress", Attrs(p)...)
				}
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
			if o.Terminal {
				fmt.Fprint(o.Out, "\r\x1b[K")
			}
		})
	}
}

// Line is the terminal status line.
func Line(p runstats.Progress) string {
	var sb strings.Builder
	read := fmt.Sprint(p.Read)
	if p.Total >= 0 {
		read += "/" + fmt.Sprint(p.Total)
	}
	fmt.Fprintf(&sb, "read %s · extracted %d · rejected %d · written %d · %.1f pages/s · queue %d · %s",
		read, p.Extracted, p.Rejected, p.Handed, p.Rate(), p.Queue, p.Elapsed.Round(time.Second))
	if p.Fetches > 0 {
		fmt.Fprintf(&sb, " · fetches %d", p.Fetches)
	}
	if eta, ok := p.ETA(); ok {
		fmt.Fprintf(&sb, " · ETA %s", eta.Round(time.Second))
	}
	return sb.String()
}

// Attrs are the periodic log line's fields.
func Attrs(p runstats.Progress) []any {
	attrs := []any{"read", p.Read, "extracted", p.Extracted, "rejected", p.Rejected, "written", p.Handed,
		"pages_per_s", fmt.Sprintf("%.1f", p.Rate()), "queue", p.Queue, "elapsed", p.Elapsed.Round(time.Second).String()}
	if p.Fetches > 0 {
		attrs = append(attrs, "fetches", p.Fetches)
	}
	if p.Total >= 0 {
		attrs = append(attrs, "total", p.Total)
	}
	if eta, ok := p.ETA(); ok {
		attrs = append(attrs, "eta", eta.Round(time.Second).String())
	}
	return attrs
}
