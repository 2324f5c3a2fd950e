package sinks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"gocloud.dev/blob"
)

// ReadRemoteRunFile reads one file of a run kept in object storage: raw
// is the output root ("s3://bucket/prefix?endpoint=…", the folder above
// the reviews dataset), whose latest run is taken, or a run's folder
// ("s3://bucket/prefix/_runs/<run-id>"). It returns the file and the URL
// it was read from.
func ReadRemoteRunFile(ctx context.Context, raw, name string) ([]byte, string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, "", fmt.Errorf("output URL %q: want scheme://bucket/[prefix]", raw)
	}
	if err := remoteBuilt(raw); err != nil {
		return nil, "", err
	}
	prefix := strings.Trim(u.Path, "/")
	u.Path = ""
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, "", fmt.Errorf("opening %s: %w", u.String(), err)
	}
	defer b.Close()
	run := ""
	if before, id, ok := strings.Cut(prefix, "_runs/"); ok && id != "" && !strings.Contains(id, "/") {
		prefix, run = strings.TrimSuffix(before, "/"), id
	}
	if prefix != "" {
		prefix += "/"
	}
	if run == "" {
		if run, err = latestRun(ctx, b, prefix+"_runs/"); err != nil {
			return nil, "", fmt.Errorf("%s: %w", raw, err)
		}
	}
	key := prefix + "_runs/" + run + "/" + name
	data, err := b.ReadAll(ctx, key)
	if err != nil {
		return nil, "", fmt.Errorf("reading %s from %s: %w", key, u.Host, err)
	}
	return data, u.Scheme + "://" + u.Host + "/" + key, nil
}

// latestRun returns the newest run folder under dir: run ids start with
// their UTC start time, so the last in name order.
func latestRun(ctx context.Context, b *blob.Bucket, dir string) (string, error) {
	var runs []string
	it := b.List(&blob.ListOptions{Prefix: dir, Delimiter: "/"})
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("listing %s: %w", dir, err)
		}
		if obj.IsDir {
			runs = append(runs, strings.TrimSuffix(strings.TrimPrefix(obj.Key, dir), "/"))
		}
	}
	if len(runs) == 0 {
		return "", fmt.Errorf("no run under %s", dir)
	}
	return slices.Max(runs), nil
}
