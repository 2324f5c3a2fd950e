package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/reviewpipe/reviewpipe/crawl"
	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
)

// BenchmarkRunCorpus runs the whole pipeline (files source, extract,
// transform, Parquet sink) over the 960 pages of trafilatura-eval and
// reports pages/s and input MB/s (uncompressed HTML).
//
//	go test -run '^$' -bench RunCorpus -benchtime 3x ./internal/pipeline/
func BenchmarkRunCorpus(b *testing.B) {
	pages := testshared.Path(b, "corpus", "trafilatura-eval", "pages")
	for _, workers := range []int{1, 0} {
		name := fmt.Sprintf("workers=%d", workers)
		if workers == 0 {
			name = "workers=cpus"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var read, bytesIn int64
			for i := range b.N {
				out := b.TempDir()
				cfgText := fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\npipeline:\n  workers: %d\nlog:\n  level: error\n",
					pages, filepath.Join(out, fmt.Sprint(i), "reviews"), workers)
				cfgPath := filepath.Join(out, "pipeline.yaml")
				if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
					b.Fatal(err)
				}
				cfg, err := Load(cfgPath)
				if err != nil {
					b.Fatal(err)
				}
				r, err := Build(cfg, fmt.Sprintf("bench-%d", i), nil)
				if err != nil {
					b.Fatal(err)
				}
				counting := &countingSource{Source: r.sources[0].Source}
				r.sources[0].Source = counting
				sum, err := r.Run(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				read += sum.Read
				bytesIn += counting.bytes
			}
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(read)/secs, "pages/s")
			b.ReportMetric(float64(bytesIn)/secs/1e6, "MB/s")
		})
	}
}

// countingSource counts the bytes of the pages a source yields.
type countingSource struct {
	crawl.Source
	bytes int64
}

func (c *countingSource) Walk(ctx context.Context, emit func(*record.Page) error) error {
	return c.Source.Walk(ctx, func(p *record.Page) error {
		c.bytes += int64(len(p.Body))
		return emit(p)
	})
}

// BenchmarkShardedCorpus compares a single process with a sharded run of
// the same 960 pages on this machine: shards run side by side (as pods
// would), each with one worker, and the time includes the commit.
//
//	go test -run '^$' -bench ShardedCorpus -benchtime 3x ./internal/pipeline/
func BenchmarkShardedCorpus(b *testing.B) {
	pages := testshared.Path(b, "corpus", "trafilatura-eval", "pages")
	for _, v := range []struct{ shards, workers int }{{1, 1}, {1, 2}, {2, 1}, {4, 1}} {
		b.Run(fmt.Sprintf("shards=%d/workers=%d", v.shards, v.workers), func(b *testing.B) {
			var read int64
			for i := range b.N {
				out := b.TempDir()
				cfgPath := filepath.Join(out, "pipeline.yaml")
				text := fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\npipeline:\n  workers: %d\nlog:\n  level: error\n",
					pages, filepath.Join(out, "reviews"), v.workers)
				if err := os.WriteFile(cfgPath, []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
				runID := fmt.Sprintf("bench-%d", i)
				var wg sync.WaitGroup
				var mu sync.Mutex
				for k := range v.shards {
					wg.Add(1)
					go func() {
						defer wg.Done()
						cfg, err := Load(cfgPath)
						if err != nil {
							b.Error(err)
							return
						}
						if v.shards > 1 {
							cfg.Shard = &crawl.Shard{Index: k, Count: v.shards}
						}
						r, err := Build(cfg, runID, nil)
						if err != nil {
							b.Error(err)
							return
						}
						sum, err := r.Run(context.Background())
						if err != nil {
							b.Error(err)
						}
						mu.Lock()
						read += sum.Read
						mu.Unlock()
					}()
				}
				wg.Wait()
				if v.shards > 1 {
					cfg, _ := Load(cfgPath)
					if _, _, err := CommitShards(context.Background(), cfg, runID, nil); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(read)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
