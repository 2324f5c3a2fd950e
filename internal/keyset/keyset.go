// Package keyset holds a set of 128-bit keys in 16 bytes a slot, for the
// sets a run keeps of every review it has seen (append mode's published
// reviews, near-duplicate fingerprints): a map of two hex strings costs
// about 250 bytes a key, which at ten million reviews does not fit.
package keyset

import (
	"crypto/sha256"
	"encoding/binary"
)

// Key is a 128-bit key; its bits must be uniformly spread (a hash), since
// the set uses them as its own hash.
type Key [2]uint64

// Of returns the key of a sequence of strings: the first 128 bits of the
// SHA-256 of the strings, each followed by a NUL byte.
func Of(parts ...string) Key {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return Key{binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16])}
}

// maxLoad is the share of slots in use before the table doubles: open
// addressing with linear probing stays fast up to about 3/4 full.
const (
	maxLoadNum, maxLoadDen = 3, 4
	minSlots               = 1024
)

// Set is an open-addressing hash set of keys. The zero value is empty and
// ready to use; it is not safe for concurrent use.
type Set struct {
	slots []Key
	n     int
	zero  bool // whether the all-zero key, which marks empty slots, is in the set
}

// Len returns the number of keys in s.
func (s *Set) Len() int {
	if s.zero {
		return s.n + 1
	}
	return s.n
}

// Add inserts k and reports whether it was new.
func (s *Set) Add(k Key) bool {
	if k == (Key{}) {
		was := s.zero
		s.zero = true
		return !was
	}
	if (s.n+1)*maxLoadDen > len(s.slots)*maxLoadNum {
		s.grow()
	}
	i, found := s.find(k)
	if found {
		return false
	}
	s.slots[i] = k
	s.n++
	return true
}

// Has reports whether k is in s.
func (s *Set) Has(k Key) bool {
	if k == (Key{}) {
		return s.zero
	}
	if len(s.slots) == 0 {
		return false
	}
	_, found := s.find(k)
	return found
}

// Remove deletes k, reporting whether it was there.
func (s *Set) Remove(k Key) bool {
	if k == (Key{}) {
		was := s.zero
		s.zero = false
		return was
	}
	if len(s.slots) == 0 {
		return false
	}
	i, found := s.find(k)
	if !found {
		return false
	}
	// Backward-shift deletion keeps every probe sequence unbroken without
	// tombstones.
	mask := len(s.slots) - 1
	for j := (i + 1) & mask; s.slots[j] != (Key{}); j = (j + 1) & mask {
		home := int(s.slots[j][0]) & mask
		if (j-home)&mask >= (j-i)&mask {
			s.slots[i] = s.slots[j]
			i = j
		}
	}
	s.slots[i] = Key{}
	s.n--
	return true
}

// find returns the slot of k, or the empty slot where it would go.
func (s *Set) find(k Key) (int, bool) {
	mask := len(s.slots) - 1
	for i := int(k[0]) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case k:
			return i, true
		case Key{}:
			return i, false
		}
	}
}

func (s *Set) grow() {
	old := s.slots
	s.slots = make([]Key, max(minSlots, 2*len(old)))
	s.n = 0
	for _, k := range old {
		if k != (Key{}) {
			i, _ := s.find(k)
			s.slots[i] = k
			s.n++
		}
	}
}
