package sinks

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// duckdbOpen returns an in-memory DuckDB, the reader analysts point at the
// datasets, so these tests check what they will see rather than what
// parquet-go reads back.
func duckdbOpen(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatalf("opening duckdb: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// duckdbGlob is the read_parquet argument for a dataset directory, quoted
// as a SQL string literal.
func duckdbGlob(dir string) string {
	return "'" + strings.ReplaceAll(filepath.ToSlash(dir)+"/**/*.parquet", "'", "''") + "'"
}

// duckdbWriteDataset commits reviews and rejects with small files so that
// DuckDB reads several of them through the glob.
func duckdbWriteDataset(t *testing.T, reviews []record.Review, rejects []record.Reject) ParquetConfig {
	t.Helper()
	cfg := parquetTestConfig(t)
	cfg.MaxFileRows = 2
	s := newParquetForTest(t, cfg, "duck")
	ctx := context.Background()
	if err := s.Write(ctx, reviews); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := s.WriteRejects(ctx, rejects); err != nil {
		t.Fatalf("WriteRejects: %v", err)
	}
	if err := s.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return cfg
}

func TestDuckDBColumnTypes(t *testing.T) {
	cfg := duckdbWriteDataset(t, parquetTestReviews(), parquetTestRejects())
	db := duckdbOpen(t)

	tests := []struct {
		glob string
		want map[string][]string // column → accepted DuckDB types
	}{
		{duckdbGlob(cfg.Path), map[string][]string{
			"review_id":           {"VARCHAR"},
			"title":               {"VARCHAR"},
			"authors":             {"VARCHAR[]"},
			"published_at":        {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP"},
			"fetched_at":          {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP"},
			"body":                {"VARCHAR"},
			"word_count":          {"BIGINT"},
			"item_year":           {"INTEGER"},
			"comment_count":       {"INTEGER"},
			"rating":              {"DOUBLE"},
			"rating_value":        {"DOUBLE"},
			"rating_best":         {"DOUBLE"},
			"rating_worst":        {"DOUBLE"},
			"has_spoiler_warning": {"BOOLEAN"},
			"field_sources":       {"STRUCT(field VARCHAR, \"source\" VARCHAR)[]", "STRUCT(\"field\" VARCHAR, \"source\" VARCHAR)[]", "STRUCT(field VARCHAR, source VARCHAR)[]"},
			"item_facts":          {"STRUCT(\"key\" VARCHAR, \"value\" VARCHAR)[]", "STRUCT(key VARCHAR, \"value\" VARCHAR)[]", "STRUCT(key VARCHAR, value VARCHAR)[]"},
		}},
		{duckdbGlob(cfg.RejectsDir()), map[string][]string{
			"url":    {"VARCHAR"},
			"detail": {"VARCHAR"},
			"at":     {"TIMESTAMP WITH TIME ZONE", "TIMESTAMP"},
		}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(strings.Split(tt.glob, "/**")[0]), func(t *testing.T) {
			rows, err := db.Query("DESCRIBE SELECT * FROM read_parquet(" + tt.glob + ")")
			if err != nil {
				t.Fatalf("describe: %v", err)
			}
			defer rows.Close()
			cols, err := rows.Columns()
			if err != nil {
				t.Fatalf("describe columns: %v", err)
			}
			got := map[string]string{}
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatalf("scanning describe: %v", err)
				}
				// DESCRIBE starts with column_name, column_type.
				got[vals[0].(string)] = vals[1].(string)
			}
			if err := rows.Err(); err != nil {
				t.Fatalf("describe rows: %v", err)
			}
			for col, accepted := range tt.want {
				typ, ok := got[col]
				if !ok {
					t.Errorf("column %s missing; columns: %v", col, got)
					continue
				}
				if !strings.Contains(strings.Join(accepted, "|")+"|", typ+"|") {
					t.Errorf("column %s is %s, want one of %v", col, typ, accepted)
				}
				if strings.HasPrefix(typ, "TIMESTAMP") {
					t.Logf("%s: %s", col, typ)
				}
			}
		})
	}
}

// duckdbCheck is one value read through DuckDB; got and want must have the
// same dynamic type, since they are compared with ==.
type duckdbCheck struct {
	what      string
	got, want any
}

func TestDuckDBValues(t *testing.T) {
	reviews := parquetTestReviews()
	cfg := duckdbWriteDataset(t, reviews, parquetTestRejects())
	db := duckdbOpen(t)

	query := `SELECT
		title IS NULL,
		coalesce(title, ''),
		authors IS NULL,
		coalesce(len(authors), -1),
		coalesce(array_to_string(authors, '|'), ''),
		published_at IS NULL,
		coalesce(epoch_us(published_at), 0),
		epoch_us(fetched_at),
		word_count,
		item_year IS NULL,
		coalesce(item_year, 0),
		comment_count,
		rating IS NULL,
		coalesce(rating_value, 0),
		length(body),
		coalesce(array_to_string(list_transform(item_facts, f -> f.key || '=' || f.value), '|'), ''),
		has_spoiler_warning,
		coalesce(map_from_entries(field_sources)['rating'], ''),
		filename LIKE '%/part-duck-0000_.parquet'
	FROM read_parquet(` + duckdbGlob(cfg.Path) + `, filename = true)
	WHERE review_id = ?`

	micros := func(t *time.Time) int64 {
		if t == nil {
			return 0
		}
		return t.UnixMicro()
	}
	for _, r := range reviews {
		t.Run(r.ReviewID, func(t *testing.T) {
			var (
				titleNull, authorsNull, pubNull, yearNull, ratingNull, nameOK, spoiler bool
				title, authorsJoined, facts, ratingSource                              string
				nAuthors                                                               int64
				pubUS, fetchedUS, words, bodyLen                                       int64
				year, comments                                                         int32
				ratingValue                                                            float64
			)
			err := db.QueryRow(query, r.ReviewID).Scan(
				&titleNull, &title, &authorsNull, &nAuthors, &authorsJoined,
				&pubNull, &pubUS, &fetchedUS, &words, &yearNull, &year, &comments,
				&ratingNull, &ratingValue, &bodyLen, &facts, &spoiler, &ratingSource, &nameOK)
			if err != nil {
				t.Fatalf("query: %v", err)
			}
			wantLen := int64(len(r.Authors))
			if r.Authors == nil {
				wantLen = -1
			}
			checks := []duckdbCheck{
				{"title IS NULL", titleNull, r.Title == nil},
				{"title", title, record.Deref(r.Title)},
				{"authors IS NULL", authorsNull, r.Authors == nil},
				{"len(authors)", nAuthors, wantLen},
				{"authors", authorsJoined, strings.Join(r.Authors, "|")},
				{"published_at IS NULL", pubNull, r.PublishedAt == nil},
				// UnixMicro truncates like the writer does, so this is the
				// written instant to the microsecond.
				{"epoch_us(published_at)", pubUS, micros(r.PublishedAt)},
				{"epoch_us(fetched_at)", fetchedUS, r.FetchedAt.UnixMicro()},
				{"word_count", words, r.WordCount},
				{"item_year IS NULL", yearNull, r.ItemYear == nil},
				{"comment_count", comments, r.CommentCount},
				{"rating IS NULL", ratingNull, r.Rating == nil},
				{"length(body)", bodyLen, int64(len([]rune(r.Body)))},
				{"item_facts", facts, duckdbFacts(r.ItemFacts)},
				{"has_spoiler_warning", spoiler, r.HasSpoilerWarning},
				// The README's way to read one field's source.
				{"map_from_entries(field_sources)['rating']", ratingSource, duckdbSource(r.FieldSources, "rating")},
				{"file name", nameOK, true},
			}
			if r.ItemYear != nil {
				checks = append(checks, duckdbCheck{"item_year", year, *r.ItemYear})
			}
			if r.RatingValue != nil {
				checks = append(checks, duckdbCheck{"rating_value", ratingValue, *r.RatingValue})
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}

	var n int64
	if err := db.QueryRow("SELECT count(*) FROM read_parquet(" + duckdbGlob(cfg.Path) + ")").Scan(&n); err != nil {
		t.Fatalf("count: %v", err)
	}
	if n != int64(len(reviews)) {
		t.Errorf("count(*) = %d, want %d", n, len(reviews))
	}
	var runID, version string
	err := db.QueryRow(`SELECT
		max(CASE WHEN decode(key) = 'reviewpipe.run_id' THEN decode(value) END),
		max(CASE WHEN decode(key) = 'reviewpipe.schema_version' THEN decode(value) END)
		FROM parquet_kv_metadata(`+duckdbGlob(cfg.Path)+`)`).Scan(&runID, &version)
	if err != nil {
		t.Fatalf("kv metadata: %v", err)
	}
	if runID != "duck" || version != ParquetSchemaVersion {
		t.Errorf("metadata run_id = %q, schema_version = %q; want %q, %q", runID, version, "duck", ParquetSchemaVersion)
	}
}

func TestDuckDBRejects(t *testing.T) {
	rejects := parquetTestRejects()
	cfg := duckdbWriteDataset(t, nil, rejects)
	db := duckdbOpen(t)
	rows, err := db.Query(`SELECT url, stage, reason, detail IS NULL, coalesce(detail, ''), epoch_us("at")
		FROM read_parquet(` + duckdbGlob(cfg.RejectsDir()) + `) ORDER BY url`)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var url, stage, reason, detail string
		var detailNull bool
		var at int64
		if err := rows.Scan(&url, &stage, &reason, &detailNull, &detail, &at); err != nil {
			t.Fatalf("scan: %v", err)
		}
		if i >= len(rejects) {
			continue
		}
		want := rejects[i]
		if url != want.URL || stage != want.Stage || reason != want.Reason || detailNull != (want.Detail == nil) || detail != record.Deref(want.Detail) || at != want.At.UnixMicro() {
			t.Errorf("reject %d = (%q %q %q null=%v %q %d), want %+v", i, url, stage, reason, detailNull, detail, at, want)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("rows: %v", err)
	}
	if i != len(rejects) {
		t.Errorf("read %d rejects, want %d", i, len(rejects))
	}
}

// duckdbFacts joins facts as the query does: key=value, "|" between.
func duckdbFacts(facts []record.Fact) string {
	parts := make([]string, len(facts))
	for i, f := range facts {
		parts[i] = f.Key + "=" + f.Value
	}
	return strings.Join(parts, "|")
}

// TestDuckDBReadsJSONL writes the test reviews with the jsonl sink and
// reads them back with DuckDB's JSON reader: same rows, same field names
// as the Parquet columns.
func TestDuckDBReadsJSONL(t *testing.T) {
	cfg := DefaultJSONLConfig()
	cfg.Path = filepath.Join(t.TempDir(), "out", "reviews")
	cfg.SortBy = nil
	cfg.MaxFileRows = 2
	s, err := NewJSONL(cfg, "run1", nil)
	if err != nil {
		t.Fatal(err)
	}
	reviews := parquetTestReviews()
	if err := s.Write(context.Background(), reviews); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(cfg.Path, "part-run1-*.jsonl.gz"))
	if len(files) != 2 {
		t.Fatalf("files %v, want 2 rolled .jsonl.gz files", files)
	}
	db := duckdbOpen(t)
	glob := "'" + filepath.ToSlash(cfg.Path) + "/*.jsonl.gz'"
	var n int
	var title sql.NullString
	var published sql.NullTime
	if err := db.QueryRow(`SELECT count(*), max(title) FILTER (WHERE review_id = 'r-full'), max(published_at::TIMESTAMPTZ) FILTER (WHERE review_id = 'r-full')
		FROM read_json(`+glob+`, format = 'newline_delimited')`).Scan(&n, &title, &published); err != nil {
		t.Fatal(err)
	}
	if n != len(reviews) || title.String != *reviews[0].Title || !published.Time.Equal(parquetTestTime.UTC().Truncate(time.Microsecond)) {
		t.Errorf("DuckDB read %d rows, title %q, published %v; want %d, %q, %v", n, title.String, published.Time, len(reviews), *reviews[0].Title, parquetTestTime.UTC())
	}
	// Same field names as the Parquet columns.
	rows, err := db.Query(`DESCRIBE SELECT * FROM read_json(` + glob + `, format = 'newline_delimited')`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var name, typ string
		var a, b, c, d sql.NullString
		rows.Scan(&name, &typ, &a, &b, &c, &d)
		names = append(names, name)
	}
	rows.Close()
	var want []string
	for _, c := range record.ReviewColumns {
		want = append(want, c.Name)
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("JSON fields %v, want the Parquet columns %v", names, want)
	}
	// A second append run over the same reviews adds nothing.
	s2, _ := NewJSONL(cfg, "run2", nil)
	s2.Write(context.Background(), reviews)
	if err := s2.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s2.Skipped() != int64(len(reviews)) {
		t.Errorf("second jsonl run skipped %d reviews, want all %d", s2.Skipped(), len(reviews))
	}
}

// duckdbSource is the source field_sources records for field, "" if none.
func duckdbSource(sources []record.FieldSource, field string) string {
	for _, s := range sources {
		if s.Field == field {
			return s.Source
		}
	}
	return ""
}
