// Package objstore reads objects from object storage (S3 and
// S3-compatible stores; GCS and Azure in builds that register them) for
// the sources: listing keys under a prefix and opening one object for
// streaming and ranged reads.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/s3blob" // s3://, with endpoint= for S3-compatible stores
)

// IsURL reports whether p names object storage rather than a local path.
func IsURL(p string) bool {
	for _, s := range []string{"s3://", "gs://", "azblob://"} {
		if strings.HasPrefix(p, s) {
			return true
		}
	}
	return false
}

// Split splits "s3://bucket/some/key?endpoint=…" into the bucket URL
// ("s3://bucket?endpoint=…") and the key ("some/key").
func Split(raw string) (bucketURL, key string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", fmt.Errorf("object URL %q: want scheme://bucket/key", raw)
	}
	key = strings.TrimPrefix(u.Path, "/")
	u.Path = ""
	return u.String(), key, nil
}

// List returns the keys under prefix in the bucket, in key order.
func List(ctx context.Context, bucketURL, prefix string) ([]string, error) {
	b, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", bucketURL, err)
	}
	defer b.Close()
	var keys []string
	it := b.List(&blob.ListOptions{Prefix: prefix})
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			return keys, nil
		}
		if err != nil {
			return nil, fmt.Errorf("listing %s/%s: %w", bucketURL, prefix, err)
		}
		keys = append(keys, obj.Key)
	}
}

// Object is one object open for reading: streamed front to back with
// Read, or in ranges with ReadAt.
type Object struct {
	ctx    context.Context
	bucket *blob.Bucket
	key    string
	r      *blob.Reader
}

// Open opens the object key of the bucket.
func Open(ctx context.Context, bucketURL, key string) (*Object, error) {
	b, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", bucketURL, err)
	}
	r, err := b.NewReader(ctx, key, nil)
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("reading %s from %s: %w", key, bucketURL, err)
	}
	return &Object{ctx: ctx, bucket: b, key: key, r: r}, nil
}

func (o *Object) Read(p []byte) (int, error) { return o.r.Read(p) }

// ReadAt reads a range with its own request.
func (o *Object) ReadAt(p []byte, off int64) (int, error) {
	r, err := o.bucket.NewRangeReader(o.ctx, o.key, off, int64(len(p)), nil)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n, err := io.ReadFull(r, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// Close releases the object and its bucket.
func (o *Object) Close() error {
	return errors.Join(o.r.Close(), o.bucket.Close())
}
