package sinks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"gocloud.dev/blob"
)

// Preflight checks, without writing anything, that a run could publish to
// the dataset cfg describes (paths already absolute): a local folder
// must be creatable and writable, an object store reachable with the
// credentials at hand and its prefix listable. It returns what it found
// in one line.
func Preflight(ctx context.Context, cfg ParquetConfig) (string, error) {
	if IsRemote(cfg.Path) {
		return preflightRemote(ctx, cfg.Path)
	}
	root := filepath.Dir(filepath.Clean(cfg.Path))
	for _, dir := range []string{root, cfg.Path, cfg.RejectsDir(), cfg.CommentsDir(), cfg.PagesDir()} {
		if err := writableDir(dir); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%s: writable", root), nil
}

// PreflightDir checks that a state file's folder is writable or creatable.
func PreflightDir(dir string) error { return writableDir(dir) }

// writableDir checks that dir exists as a writable folder, or that its
// nearest existing ancestor is one, where the run would create it.
func writableDir(dir string) error {
	for p := dir; ; p = filepath.Dir(p) {
		st, err := os.Stat(p)
		switch {
		case (errors.Is(err, fs.ErrNotExist) || notDir(err)) && filepath.Dir(p) != p:
			continue // created by the run; ENOTDIR: an ancestor is a file, found further up
		case err != nil:
			return fmt.Errorf("output %s: %w", dir, err)
		case !st.IsDir():
			return fmt.Errorf("output %s: %s is a file, not a folder", dir, p)
		}
		if err := writable(p); err != nil {
			return fmt.Errorf("output %s: %s is not writable: %w", dir, p, err)
		}
		return nil
	}
}

// preflightRemote opens the bucket, checks it answers with the current
// credentials, and lists one object of the dataset's prefix.
func preflightRemote(ctx context.Context, raw string) (string, error) {
	bucketURL, prefix, _, err := remoteRoot(raw)
	if err != nil {
		return "", err
	}
	b, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		return "", fmt.Errorf("output %s: opening %s: %w", raw, bucketURL, err)
	}
	defer b.Close()
	ok, err := b.IsAccessible(ctx)
	if err != nil {
		return "", fmt.Errorf("output %s: %w", raw, err)
	}
	if !ok {
		return "", fmt.Errorf("output %s: the bucket does not exist or these credentials cannot reach it", raw)
	}
	it := b.List(&blob.ListOptions{Prefix: prefix})
	if _, err := it.Next(ctx); err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("output %s: listing %q: %w", raw, prefix, err)
	}
	return fmt.Sprintf("%s: reachable, listable", raw), nil
}
