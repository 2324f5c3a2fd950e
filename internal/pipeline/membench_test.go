package pipeline

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// benchChildEnv names the config a child process of BenchmarkRunGenerated
// runs; the child is this test binary, so the benchmark measures the peak
// RSS of a run alone, not of the benchmark that generated its input.
const benchChildEnv = "REVIEWPIPE_BENCH_CONFIG"

// TestBenchChild is the child process of BenchmarkRunGenerated.
func TestBenchChild(t *testing.T) {
	path := os.Getenv(benchChildEnv)
	if path == "" {
		t.Skip("child process of BenchmarkRunGenerated")
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(cfg, "bench", nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := r.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("written=%d rejected=%d\n", sum.Written, sum.Rejected)
}

// benchPagesPerDir spreads generated pages over folders as a crawl
// archive would be: a directory's listing is read whole when walked.
const benchPagesPerDir = 1000

// writeGeneratedPages writes n generated review pages (2–3 comments each)
// under dir.
func writeGeneratedPages(b *testing.B, dir string, n int) {
	b.Helper()
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("%04d", i/benchPagesPerDir))
		if i%benchPagesPerDir == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				b.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("%07d.html", i)), testshared.ReviewPage(i, 2+i%2), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunGenerated runs 10,000 and 100,000 generated pages through
// files → extract → transform → Parquet (16 workers, the default sink
// settings: zstd, files sorted by site and date, append mode) in a child
// process and reports pages/s and the child's peak RSS. Memory must not
// grow with the number of pages: RSS at 100,000 within 10 % of 10,000.
//
//	go test -run '^$' -bench RunGenerated -benchtime 1x ./internal/pipeline/
func BenchmarkRunGenerated(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			pages := b.TempDir()
			writeGeneratedPages(b, pages, n)
			var rss int64
			var elapsed time.Duration
			for range b.N {
				out := b.TempDir()
				cfg := filepath.Join(out, "pipeline.yaml")
				text := fmt.Sprintf("sources:\n  - {type: files, paths: [%q]}\nsinks:\n  - {type: parquet, path: %q}\npipeline: {workers: 16}\nlog: {level: error}\n",
					pages, filepath.Join(out, "reviews"))
				if err := os.WriteFile(cfg, []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
				cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChild$", "-test.count=1", "-test.v")
				cmd.Env = append(os.Environ(), benchChildEnv+"="+cfg)
				start := time.Now()
				outb, err := cmd.CombinedOutput()
				elapsed += time.Since(start)
				if err != nil {
					b.Fatalf("child run: %v\n%s", err, outb)
				}
				if want := fmt.Sprintf("written=%d rejected=0", n); !slices.Contains(strings.Split(string(outb), "\n"), want) {
					b.Fatalf("child run did not report %q:\n%s", want, outb)
				}
				rss = max(rss, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss) // KiB on Linux
			}
			rate := float64(n*b.N) / elapsed.Seconds()
			b.ReportMetric(rate, "pages/s")
			b.ReportMetric(float64(rss)/1024, "peak_rss_MiB")
			b.ReportMetric(0, "ns/op")
			fmt.Printf("files → Parquet, %d pages: %.0f pages/s, peak RSS %.0f MiB\n", n, rate, float64(rss)/1024)
		})
	}
}
