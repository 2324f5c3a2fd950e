package crawl

import (
	"fmt"
	"hash/fnv"
	"path"
	"strings"
)

// Shard selects one deterministic share of a source's inputs: the inputs
// whose path hashes to Index modulo Count. The path is taken relative to
// its pattern's fixed folder, so the same archives mounted elsewhere, or
// listed again on a rerun, fall to the same shard.
type Shard struct {
	Index, Count int
}

// Sharder is the optional capability of a source that can take a share
// of its inputs (files and archives by hash; a crawl only with a shared
// frontier, whose workers divide the URLs as they go).
type Sharder interface {
	SetShard(Shard) error
}

// Validate reports a shard outside 0 ≤ Index < Count.
func (s Shard) Validate() error {
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d: want 0 ≤ K < N", s.Index, s.Count)
	}
	return nil
}

// String is "K/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// takes reports whether the input at name (below the pattern's fixed
// folder base) belongs to this shard; the zero Shard takes everything.
func (s Shard) takes(name, base string) bool {
	if s.Count <= 1 {
		return true
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(name, base), "/")
	if rel == "" {
		rel = path.Base(name)
	}
	h := fnv.New64a()
	h.Write([]byte(rel))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}
