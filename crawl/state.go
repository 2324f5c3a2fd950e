package crawl

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The state file holds three buckets. urls keeps, per normalized URL, what
// the last committed run learned (validators, content hash); it changes
// only when a run's output is published, so a failed run cannot make the
// next one skip pages it never delivered. frontier and done belong to the
// run in progress: every URL queued, and every URL fetched with the page
// it yielded, so a killed run is resumed by the next one without
// refetching; both are emptied when a run commits.
var (
	bucketURLs     = []byte("urls")
	bucketFrontier = []byte("frontier")
	bucketDone     = []byte("done")
)

// urlState is what the crawler remembers of a URL between runs.
type urlState struct {
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Hash         string    `json:"hash,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"`
	// Links are the page's outlinks the follow rules kept, so a page that
	// answers 304 still leads the crawl to the pages below it.
	Links []string `json:"links,omitempty"`
}

// queued is a frontier entry.
type queued struct {
	URL   string `json:"url"`
	Depth int    `json:"depth"`
	Kind  string `json:"kind"` // page, sitemap, feed
}

// doneEntry is a URL fetched in the run in progress.
type doneEntry struct {
	// URL is the entry's URL; the key is only its bounded stateKey.
	URL   string   `json:"url,omitempty"`
	State urlState `json:"state"` // what urls gets on commit; zero for failures
	// Page is the gzip'd body of a page to emit, kept so a resumed run
	// re-emits it without a refetch; empty when the page was not emitted.
	Page        []byte    `json:"page,omitempty"`
	FinalURL    string    `json:"final_url,omitempty"`
	Canonical   string    `json:"canonical,omitempty"` // the page's canonical URL, for the emitted-once check
	ContentType string    `json:"content_type,omitempty"`
	FetchedAt   time.Time `json:"fetched_at"`
}

type stateStore struct {
	db   *bolt.DB
	path string
}

func openState(path string) (*stateStore, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("crawl state %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o644, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("crawl state %s: %w (is another run using it?)", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketURLs, bucketFrontier, bucketDone} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("crawl state %s: %w", path, err)
	}
	// Batch waits this long for other workers' writes to share a commit;
	// bbolt's 10ms default would cap one host's crawl at ~50 pages/s.
	db.MaxBatchDelay = time.Millisecond
	return &stateStore{db: db, path: path}, nil
}

func (s *stateStore) Close() error { return s.db.Close() }

// where names the store in messages.
func (s *stateStore) where() string { return s.path }

// crawlStore is where a crawl keeps its state: the local state file, or
// Redis for a crawl shared by several workers.
type crawlStore interface {
	known(url string) (urlState, bool, error)
	enqueue(qs []queued) error
	finish(url string, d doneEntry, links []queued) error
	resume() (frontier []queued, done map[string]doneEntry, err error)
	commit() error
	Close() error
	where() string
}

var _ crawlStore = (*stateStore)(nil)

// maxStateKeyBytes bounds the keys of the state file well below bbolt's
// limit of 32 KB: a URL longer than this is keyed by its first bytes and
// the SHA-256 of the whole, so no URL a config lets through can fail a
// write, and lookups stay exact.
const maxStateKeyBytes = 1024

// stateKey is the key of url in every bucket.
func stateKey(url string) string {
	if len(url) <= maxStateKeyBytes {
		return url
	}
	sum := sha256.Sum256([]byte(url))
	return url[:maxStateKeyBytes-1-2*len(sum)] + "\x00" + hex.EncodeToString(sum[:])
}

func getJSON[T any](b *bolt.Bucket, key string) (T, bool, error) {
	var v T
	raw := b.Get([]byte(stateKey(key)))
	if raw == nil {
		return v, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, false, fmt.Errorf("entry %q: %w", key, err)
	}
	return v, true, nil
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(stateKey(key)), raw)
}

// known returns the committed state of url.
func (s *stateStore) known(url string) (urlState, bool, error) {
	var st urlState
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		st, ok, err = getJSON[urlState](tx.Bucket(bucketURLs), url)
		return err
	})
	if err != nil {
		err = fmt.Errorf("crawl state %s: %w", s.path, err)
	}
	return st, ok, err
}

// enqueue records q in the frontier; db.Batch groups the writes of
// concurrent workers into one transaction.
func (s *stateStore) enqueue(qs []queued) error {
	if len(qs) == 0 {
		return nil
	}
	return s.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFrontier)
		for _, q := range qs {
			if err := putJSON(b, q.URL, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// finish moves url from the frontier to done and queues the links it led
// to, in one transaction: a crash leaves the URL either to do, or done
// with its links queued.
func (s *stateStore) finish(url string, d doneEntry, links []queued) error {
	return s.db.Batch(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketFrontier).Delete([]byte(stateKey(url))); err != nil {
			return err
		}
		f := tx.Bucket(bucketFrontier)
		for _, q := range links {
			if err := putJSON(f, q.URL, q); err != nil {
				return err
			}
		}
		d.URL = url
		return putJSON(tx.Bucket(bucketDone), url, d)
	})
}

// resume returns the run in progress: its frontier and what it fetched.
func (s *stateStore) resume() (frontier []queued, done map[string]doneEntry, err error) {
	done = map[string]doneEntry{}
	err = s.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketFrontier).ForEach(func(k, v []byte) error {
			var q queued
			if err := json.Unmarshal(v, &q); err != nil {
				return fmt.Errorf("frontier entry %q: %w", k, err)
			}
			frontier = append(frontier, q)
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketDone).ForEach(func(k, v []byte) error {
			var d doneEntry
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("done entry %q: %w", k, err)
			}
			done[cmp.Or(d.URL, string(k))] = d
			return nil
		})
	})
	if err != nil {
		err = fmt.Errorf("crawl state %s: %w", s.path, err)
	}
	return frontier, done, err
}

// commit publishes the run: done URLs' states go to urls, and the run's
// frontier and done are cleared.
func (s *stateStore) commit() error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		urls, done := tx.Bucket(bucketURLs), tx.Bucket(bucketDone)
		if err := done.ForEach(func(k, v []byte) error {
			var d doneEntry
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("done entry %q: %w", k, err)
			}
			if d.State.FetchedAt.IsZero() {
				return nil
			}
			return putJSON(urls, cmp.Or(d.URL, string(k)), d.State)
		}); err != nil {
			return err
		}
		for _, name := range [][]byte{bucketFrontier, bucketDone} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("crawl state %s: %w", s.path, err)
	}
	return nil
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func gunzipBytes(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
