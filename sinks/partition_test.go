package sinks

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

func TestPartitionValue(t *testing.T) {
	for in, want := range map[string]string{
		"example.com":  "example.com",
		"":             hiveNull,
		"..":           "%2E%2E",
		".":            "%2E",
		"a/b":          "a%2Fb",
		"k=v":          "k%3Dv",
		"Café Crème":   "Caf%C3%A9%20Cr%C3%A8me",
		"../../etc":    "..%2F..%2Fetc",
		"2024":         "2024",
		"x\x00y":       "x%00y",
		"under_score-": "under_score-",
		"a\xffb":       "a%EF%BF%BDb", // invalid UTF-8: readers would refuse the folder
		"x~y":          "x%7Ey",
	} {
		got := partitionValue(in)
		if got != want {
			t.Errorf("partitionValue(%q) = %q, want %q", in, got, want)
		}
		if strings.ContainsAny(got, "/\\=\x00") || got == "." || got == ".." {
			t.Errorf("partitionValue(%q) = %q is no safe path segment", in, got)
		}
	}
}

func TestPartitionPathFitsFileSystems(t *testing.T) {
	long := strings.Repeat("a", 63) + "." + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 61) // 253 bytes
	idn := strings.Repeat("ü", 60) + ".example"                                                                                     // 360 bytes escaped
	part := reviewPartition([]string{"site", "published_year"})
	seen := map[string]string{}
	for _, host := range []string{"example.com", long, long[:252] + "e", idn, idn + "x"} {
		r := &record.Review{Site: &host}
		got := part(r)
		for _, c := range strings.Split(got, "/") {
			if len(c) > maxPartitionComponent {
				t.Errorf("site %.20q…: component %d bytes > %d: %q", host, len(c), maxPartitionComponent, c)
			}
		}
		if prev, ok := seen[got]; ok {
			t.Errorf("sites %.30q… and %.30q… share the partition %q", prev, host, got)
		}
		seen[got] = host
		if host == "example.com" && got != "site=example.com/published_year="+hiveNull {
			t.Errorf("ordinary value changed: %q", got)
		}
		if len(partitionValue(host))+len("site=") > maxPartitionComponent && !strings.Contains(got, "~") {
			t.Errorf("long site %.20q… not marked shortened: %q", host, got)
		}
	}
	// Cut never splits an escape.
	for n := 230; n < 260; n++ {
		v := strings.Repeat("x", n%3) + strings.Repeat("é", n)
		got := shortenValue(v, 250)
		prefix, _, _ := strings.Cut(got, "~")
		if i := strings.LastIndexByte(prefix, '%'); i >= 0 && i+3 > len(prefix) {
			t.Errorf("shortened %d: escape split in %q", n, got[max(0, len(prefix)-8):])
		}
		if len(got) > 250 {
			t.Errorf("shortened %d: %d bytes > 250", n, len(got))
		}
		if dec, err := url.PathUnescape(prefix); err != nil || !utf8.ValidString(dec) {
			t.Errorf("shortened %d: prefix %q does not decode to valid UTF-8", n, prefix[max(0, len(prefix)-12):])
		}
	}
}

func FuzzPartitionValue(f *testing.F) {
	for _, s := range []string{"a", "..", "a/b", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := partitionValue(v)
		if strings.ContainsAny(got, "/\\=\x00 ") || got == "." || got == ".." || got == "" {
			t.Fatalf("partitionValue(%q) = %q", v, got)
		}
		if filepath.Base(filepath.Join("root", got)) != got {
			t.Fatalf("partitionValue(%q) = %q leaves its folder", v, got)
		}
		short := shortenValue(v, 200)
		prefix, _, _ := strings.Cut(short, "~")
		dec, err := url.PathUnescape(prefix)
		if len(short) > 200 || strings.ContainsAny(short, "/\\=\x00 ") || err != nil || !utf8.ValidString(dec) {
			t.Fatalf("shortenValue(%q) = %q: too long, unsafe or not valid UTF-8 once decoded", v, short)
		}
	})
}

// partitionedReviews are reviews over three sites and three years, one
// without a date.
func partitionedReviews() []record.Review {
	var out []record.Review
	for i := range 30 {
		site := []string{"a.example", "b.example", "c.example"}[i%3]
		r := record.Review{ReviewID: fmt.Sprintf("r%02d", i), URL: "https://" + site + "/" + fmt.Sprint(i), Site: &site,
			FetchedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Body: "text", ContentHash: fmt.Sprint(i), Extractor: "test", Source: "test"}
		if i != 29 {
			p := time.Date(2022+i%3+(i/3)%2, time.Month(1+i%12), 10, 12, 0, 0, 0, time.UTC)
			r.PublishedAt = &p
		}
		out = append(out, r)
	}
	return out
}

func TestDuckDBPartitionedDataset(t *testing.T) {
	cfg := parquetTestConfig(t)
	cfg.PartitionBy = []string{"published_year", "site"}
	cfg.SortBy = []string{"site", "published_at"}
	reviews := partitionedReviews()
	s := newParquetForTest(t, cfg, "run1")
	if err := s.Write(context.Background(), reviews); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Path, "published_year="+hiveNull, "site=c.example")); err != nil {
		t.Errorf("the undated review has no %s partition: %v", hiveNull, err)
	}
	db := duckdbOpen(t)
	src := "read_parquet(" + duckdbGlob(cfg.Path) + ", hive_partitioning = true)"
	var total, y2023, y2023b, undated int
	var yearType string
	if err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE published_year = 2023),
		count(*) FILTER (WHERE published_year = 2023 AND site = 'b.example'), count(*) FILTER (WHERE published_year IS NULL),
		any_value(typeof(published_year)) FROM `+src).Scan(&total, &y2023, &y2023b, &undated, &yearType); err != nil {
		t.Fatal(err)
	}
	want2023, want2023b := 0, 0
	for _, r := range reviews {
		if r.PublishedAt != nil && r.PublishedAt.Year() == 2023 {
			want2023++
			if *r.Site == "b.example" {
				want2023b++
			}
		}
	}
	if total != len(reviews) || y2023 != want2023 || y2023b != want2023b || undated != 1 {
		t.Errorf("DuckDB counts: total %d, 2023 %d, 2023 on b %d, undated %d; want %d, %d, %d, 1", total, y2023, y2023b, undated, len(reviews), want2023, want2023b)
	}
	if yearType != "BIGINT" {
		t.Errorf("published_year reads as %s, want BIGINT", yearType)
	}
	// Pruning: the filter on the partition keys reads only the files of
	// the matching folders.
	var files int
	if err := db.QueryRow(`SELECT count(DISTINCT filename) FROM read_parquet(` + duckdbGlob(cfg.Path) + `, hive_partitioning = true, filename = true)
		WHERE published_year = 2023 AND site = 'b.example'`).Scan(&files); err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	rows, err := db.Query(`EXPLAIN SELECT count(*) FROM ` + src + ` WHERE published_year = 2023 AND site = 'b.example'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k, v string
		rows.Scan(&k, &v)
		plan.WriteString(v)
	}
	rows.Close()
	if files != 1 || !strings.Contains(plan.String(), "File Filters") {
		t.Errorf("filter on published_year and site touched %d files (want 1) and the plan shows no file filter:\n%s", files, plan.String())
	}
}

// TestParquetFileSortedAcrossBatches writes batches in descending order
// and checks that the file holds the rows sorted by sort_by, with the
// sorting columns recorded for readers.
func TestParquetFileSortedAcrossBatches(t *testing.T) {
	cfg := parquetTestConfig(t)
	cfg.SortBy = []string{"site", "published_at"}
	reviews := partitionedReviews()
	s := newParquetForTest(t, cfg, "run1")
	for i := len(reviews); i > 0; i -= 7 {
		if err := s.Write(context.Background(), reviews[max(0, i-7):i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := parquetRead[record.Review](t, cfg.Path)
	if len(got) != len(reviews) {
		t.Fatalf("read %d rows, want %d", len(got), len(reviews))
	}
	order := reviewOrder(cfg.SortBy)
	for i := 1; i < len(got); i++ {
		if order(&got[i-1], &got[i]) > 0 {
			t.Fatalf("rows %d and %d out of order: %s %v / %s %v", i-1, i, *got[i-1].Site, got[i-1].PublishedAt, *got[i].Site, got[i].PublishedAt)
		}
	}
	f, _ := os.Open(parquetFiles(t, cfg.Path)[0])
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if sc := pf.Metadata().RowGroups[0].SortingColumns; len(sc) != 2 {
		t.Errorf("row group sorting_columns = %v, want site, published_at", sc)
	}
}

// TestPartitionFolderRefusedIsARowError puts the dataset so deep that one
// row's partition folders pass the file system's path limit (PATH_MAX,
// 4096 bytes on Linux): that row is left out with a RowsError naming it,
// the batch's other rows and the run are written and committed.
func TestPartitionFolderRefusedIsARowError(t *testing.T) {
	cfg := parquetTestConfig(t)
	deep := filepath.Dir(cfg.Path)
	for range 17 {
		deep = filepath.Join(deep, strings.Repeat("d", 200))
	}
	cfg.Path = filepath.Join(deep, "reviews")
	cfg.RejectsPath, cfg.PagesPath, cfg.CommentsPath = filepath.Join(deep, "rejects"), filepath.Join(deep, "pages"), filepath.Join(deep, "comments")
	cfg.PartitionBy = []string{"site", "item_type", "language"}
	reviews := partitionedReviews()
	long := strings.Repeat("é", 200)
	reviews[7].Site, reviews[7].ItemType, reviews[7].Language = &long, &long, &long
	s := newParquetForTest(t, cfg, "run1")
	err := s.Write(context.Background(), reviews)
	var rowsErr *RowsError
	if !errors.As(err, &rowsErr) || len(rowsErr.Rows) != 1 || rowsErr.Rows[0].Index != 7 {
		t.Fatalf("Write = %v, want row 7 alone left out", err)
	}
	if !errors.Is(rowsErr.Rows[0].Err, syscall.ENAMETOOLONG) {
		t.Errorf("row error %v, want ENAMETOOLONG", rowsErr.Rows[0].Err)
	}
	if err := s.Commit(context.Background()); err != nil {
		t.Fatalf("Commit after a row error: %v", err)
	}
	if got := parquetRead[record.Review](t, cfg.Path); len(got) != len(reviews)-1 {
		t.Errorf("%d rows published, want %d", len(got), len(reviews)-1)
	}
}
