package crawl

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFilesWalk(t *testing.T) {
	mtime := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"site/a.example/reviews/one.html":       {Data: []byte("<html>one</html>"), ModTime: mtime},
		"site/a.example/reviews/two.html.gz":    {Data: gz(t, "<html>two</html>"), ModTime: mtime},
		"site/b.example/deep/x/y/three.htm":     {Data: []byte("<html>three</html>"), ModTime: mtime},
		"site/b.example/notes.txt":              {Data: []byte("not a page")},
		"site/b.example/broken.html.gz":         {Data: []byte("not gzip")},
		"other/big.html":                        {Data: bytes.Repeat([]byte("x"), 2048)},
		"other/bomb.html.gz":                    {Data: gz(t, strings.Repeat("<p>x</p>", 1<<17))},
		"other/explicit.txt":                    {Data: []byte("named explicitly")},
		"site/a.example/reviews/.hidden/z.html": {Data: []byte("<html>z</html>")},
	}
	tests := []struct {
		name    string
		cfg     FilesConfig
		want    []string // source, then URL after "|", then body or error
		wantErr error    // what Walk returns, matched with errors.Is
	}{
		{
			name: "double star glob",
			cfg:  FilesConfig{Paths: []string{"site/**/*.html"}},
			want: []string{
				"site/a.example/reviews/.hidden/z.html|file:///site/a.example/reviews/.hidden/z.html|<html>z</html>",
				"site/a.example/reviews/one.html|file:///site/a.example/reviews/one.html|<html>one</html>",
			},
		},
		{
			name: "directory with base url",
			cfg:  FilesConfig{Paths: []string{"site/a.example"}, BaseURL: "https://a.example/"},
			want: []string{
				"site/a.example/reviews/.hidden/z.html|https://a.example/reviews/.hidden/z.html|<html>z</html>",
				"site/a.example/reviews/one.html|https://a.example/reviews/one.html|<html>one</html>",
				"site/a.example/reviews/two.html.gz|https://a.example/reviews/two.html|<html>two</html>",
			},
		},
		{
			name: "directory picks extensions, bad gzip is a reject",
			cfg:  FilesConfig{Paths: []string{"site/b.example"}},
			want: []string{
				"site/b.example/broken.html.gz|file:///site/b.example/broken.html.gz|error: unreadable: gzip: unexpected EOF",
				"site/b.example/deep/x/y/three.htm|file:///site/b.example/deep/x/y/three.htm|<html>three</html>",
			},
		},
		{
			name: "explicit file, missing file, overlap read once",
			cfg:  FilesConfig{Paths: []string{"other/explicit.txt", "missing.html", "other/explicit.txt"}},
			want: []string{
				"other/explicit.txt|file:///other/explicit.txt|named explicitly",
				"missing.html|file:///missing.html|error: unreadable: no such file",
			},
		},
		{
			name: "directory then overlapping glob",
			cfg:  FilesConfig{Paths: []string{"site/a.example/reviews/.hidden", "site/**/*.html"}},
			want: []string{
				"site/a.example/reviews/.hidden/z.html|file:///site/a.example/reviews/.hidden/z.html|<html>z</html>",
				"site/a.example/reviews/one.html|file:///site/a.example/reviews/one.html|<html>one</html>",
			},
		},
		{
			name: "size limit",
			cfg:  FilesConfig{Paths: []string{"other/big.html"}, MaxFileBytes: 1024},
			want: []string{"other/big.html|file:///other/big.html|error: too_large: 2048 bytes, more than the limit of 1KB"},
		},
		{
			name: "size limit after decompression",
			cfg:  FilesConfig{Paths: []string{"other/bomb.html.gz"}, MaxFileBytes: 1024},
			want: []string{"other/bomb.html.gz|file:///other/bomb.html.gz|error: too_large: more than the limit of 1KB after decompression"},
		},
		{
			name:    "glob without matches",
			cfg:     FilesConfig{Paths: []string{"nowhere/**/*.html"}},
			wantErr: ErrNoInput,
		},
		{
			name: "one glob without matches beside one with",
			cfg:  FilesConfig{Paths: []string{"nowhere/**/*.html", "other/explicit.txt"}},
			want: []string{"other/explicit.txt|file:///other/explicit.txt|named explicitly"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultFilesConfig()
			cfg.Paths, cfg.BaseURL = tt.cfg.Paths, tt.cfg.BaseURL
			if tt.cfg.MaxFileBytes != 0 {
				cfg.MaxFileBytes = tt.cfg.MaxFileBytes
			}
			src, err := NewFiles(cfg, fsys, nil, nil)
			if err != nil {
				t.Fatalf("NewFiles: %v", err)
			}
			var got []string
			err = src.Walk(context.Background(), func(p *record.Page) error {
				s := p.Source + "|" + p.URL + "|"
				if p.Err != nil {
					s += "error: " + p.Err.Error()
				} else {
					s += string(p.Body)
				}
				got = append(got, s)
				return nil
			})
			if !errors.Is(err, tt.wantErr) || (err != nil) != (tt.wantErr != nil) {
				t.Fatalf("Walk = %v, want %v", err, tt.wantErr)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestFilesWalkCancelled(t *testing.T) {
	fsys := fstest.MapFS{"a/1.html": {Data: []byte("x")}, "a/2.html": {Data: []byte("y")}}
	cfg := DefaultFilesConfig()
	cfg.Paths = []string{"a/*.html"}
	src, err := NewFiles(cfg, fsys, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = src.Walk(ctx, func(*record.Page) error { n++; cancel(); return nil })
	if err != context.Canceled || n != 1 {
		t.Errorf("Walk after cancel: err=%v pages=%d, want context.Canceled after 1 page", err, n)
	}
}

func TestFilesConfigValidate(t *testing.T) {
	cfg := FilesConfig{Paths: []string{"", "a/[.html"}, BaseURL: "ftp://x", MaxFileBytes: -1}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("Validate: want errors")
	}
	for _, want := range []string{"paths[0]", "paths[1]", "base_url", "extensions", "max_file_bytes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %q does not mention %s", err, want)
		}
	}
}

func TestMatchSegments(t *testing.T) {
	tests := []struct {
		pat, name string
		want      bool
	}{
		{"**/*.html", "a.html", true},
		{"**/*.html", "x/y/a.html", true},
		{"a/**/b/*.gz", "a/b/c.gz", true},
		{"a/**/b/*.gz", "a/x/y/b/c.gz", true},
		{"a/**/b/*.gz", "a/x/y/c.gz", false},
		{"a/*/c", "a/b/c", true},
		{"a/*/c", "a/b/x/c", false},
		{"a/**", "a/b/c", true},
	}
	for _, tt := range tests {
		if got := matchSegments(strings.Split(tt.pat, "/"), strings.Split(tt.name, "/")); got != tt.want {
			t.Errorf("match(%q, %q) = %v, want %v", tt.pat, tt.name, got, tt.want)
		}
	}
}
