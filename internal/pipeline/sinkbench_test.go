package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/parquet-go/parquet-go"

	"github.com/reviewpipe/reviewpipe/internal/record"
	"github.com/reviewpipe/reviewpipe/internal/testshared"
	"github.com/reviewpipe/reviewpipe/sinks"
)

// corpusReviews runs the pipeline over trafilatura-eval once and returns
// the reviews it wrote: real bodies, titles and metadata.
func corpusReviews(b *testing.B) []record.Review {
	b.Helper()
	pages := testshared.Path(b, "corpus", "trafilatura-eval", "pages")
	out := b.TempDir()
	cfgPath := filepath.Join(out, "pipeline.yaml")
	cfgText := fmt.Sprintf("sources:\n  - type: files\n    paths: [%q]\nsinks:\n  - type: parquet\n    path: %q\n    sort_by: []\nlog:\n  level: error\n", pages, filepath.Join(out, "reviews"))
	if err := os.WriteFile(cfgPath, []byte(cfgText), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg, err := Load(cfgPath)
	if err != nil {
		b.Fatal(err)
	}
	r, err := Build(cfg, "corpus", nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.Run(context.Background()); err != nil {
		b.Fatal(err)
	}
	var reviews []record.Review
	filepath.WalkDir(filepath.Join(out, "reviews"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".parquet" {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		rd := parquet.NewGenericReader[record.Review](f)
		buf := make([]record.Review, 256)
		for {
			n, err := rd.Read(buf)
			reviews = append(reviews, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		return nil
	})
	return reviews
}

// syntheticReviews makes n reviews from the corpus ones: every body and
// title real, spread over 50 sites and the years 2015-2025.
func syntheticReviews(corpus []record.Review, n int) []record.Review {
	out := make([]record.Review, n)
	for i := range out {
		r := corpus[i%len(corpus)]
		r.ReviewID = fmt.Sprintf("%032x", i)
		site := fmt.Sprintf("site%02d.example", i%50)
		r.Site = &site
		at := time.Date(2015+i%11, time.Month(1+i%12), 1+i%28, 12, 0, 0, 0, time.UTC)
		r.PublishedAt = &at
		r.ContentHash = fmt.Sprintf("%064x", i)
		out[i] = r
	}
	return out
}

func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) != ".lock" && filepath.Base(filepath.Dir(p)) != "_manifests" && d.Name() != "_SUCCESS" {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// BenchmarkSinks writes 100,000 reviews made from the corpus with each
// sink and reports rows/s, output MB/s and output size; then DuckDB runs
// one filter on site and year over the partitioned and the unpartitioned
// Parquet dataset.
//
//	go test -run '^$' -bench BenchmarkSinks -benchtime 1x ./internal/pipeline/
func BenchmarkSinks(b *testing.B) {
	reviews := syntheticReviews(corpusReviews(b), 100_000)
	var bodyBytes int64
	for _, r := range reviews {
		bodyBytes += int64(len(r.Body))
	}
	b.Logf("%d reviews, %.0f MB of body text", len(reviews), float64(bodyBytes)/1e6)
	dirs := map[string]string{}
	root := b.TempDir() // outlives the sub-benchmarks, for the queries
	for _, bc := range []struct {
		name      string
		cfg       sinks.ParquetConfig
		partition []string
		make      func(sinks.ParquetConfig, string) (*sinks.ParquetSink, error)
	}{
		{"parquet", sinks.DefaultParquetConfig(), nil, func(c sinks.ParquetConfig, id string) (*sinks.ParquetSink, error) {
			return sinks.NewParquet(c, id, nil)
		}},
		{"parquet-partitioned", sinks.DefaultParquetConfig(), []string{"published_year", "site"}, func(c sinks.ParquetConfig, id string) (*sinks.ParquetSink, error) {
			return sinks.NewParquet(c, id, nil)
		}},
		{"arrow", sinks.DefaultArrowConfig(), nil, func(c sinks.ParquetConfig, id string) (*sinks.ParquetSink, error) { return sinks.NewArrow(c, id, nil) }},
		{"jsonl.gz", sinks.DefaultJSONLConfig(), nil, func(c sinks.ParquetConfig, id string) (*sinks.ParquetSink, error) { return sinks.NewJSONL(c, id, nil) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var elapsed time.Duration
			var size int64
			for i := range b.N {
				cfg := bc.cfg
				cfg.Path = filepath.Join(root, fmt.Sprintf("%s-%d", bc.name, i), "reviews")
				cfg.PartitionBy = bc.partition
				s, err := bc.make(cfg, fmt.Sprintf("bench-%d", i))
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				for batch := range slices.Chunk(reviews, 1000) {
					if err := s.Write(context.Background(), batch); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.Commit(context.Background()); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				size = dirBytes(cfg.Path)
				dirs[bc.name] = cfg.Path
			}
			b.ReportMetric(float64(len(reviews)*b.N)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(float64(size*int64(b.N))/elapsed.Seconds()/1e6, "outMB/s")
			b.ReportMetric(float64(size)/1e6, "MB")
			b.ReportMetric(0, "ns/op")
		})
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	query := func(name, q string) {
		b.Run("duckdb/"+name, func(b *testing.B) {
			var n int
			if err := db.QueryRow(q).Scan(&n); err != nil { // warm the OS cache
				b.Fatal(err)
			}
			times := make([]time.Duration, 0, 5)
			for range 5 {
				start := time.Now()
				db.QueryRow(q).Scan(&n)
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[2].Microseconds())/1000, "ms/query")
			b.ReportMetric(float64(n), "rows")
			b.ReportMetric(0, "ns/op")
		})
	}
	if dirs["parquet"] == "" || dirs["parquet-partitioned"] == "" {
		return
	}
	query("unpartitioned", fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s/**/*.parquet') WHERE site = 'site07.example' AND year(published_at) = 2020`, dirs["parquet"]))
	query("partitioned-not-pruned", fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s/**/*.parquet') WHERE site = 'site07.example' AND year(published_at) = 2020`, dirs["parquet-partitioned"]))
	query("partition-pruned", fmt.Sprintf(`SELECT count(*) FROM read_parquet('%s/**/*.parquet', hive_partitioning = true) WHERE site = 'site07.example' AND published_year = 2020`, dirs["parquet-partitioned"]))
}
