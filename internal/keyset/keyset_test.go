package keyset

import (
	"fmt"
	"testing"
)

// TestSetAgainstMap runs the same operations on a Set and a map and
// compares them, across growth and removals with probe chains.
func TestSetAgainstMap(t *testing.T) {
	var s Set
	want := map[Key]bool{}
	key := func(i int) Key {
		k := Of(fmt.Sprint(i))
		if i%97 == 0 {
			k[0] &= 0xff // many keys on few home slots: long probe chains
		}
		if i == 13 {
			k = Key{} // the empty-slot marker is a key too
		}
		return k
	}
	for i := range 20000 {
		k := key(i)
		if got := s.Add(k); got != !want[k] {
			t.Fatalf("Add(%d) = %v, want %v", i, got, !want[k])
		}
		want[k] = true
		if i%3 == 0 {
			r := key(i / 2)
			if got := s.Remove(r); got != want[r] {
				t.Fatalf("Remove(%d) = %v, want %v", i/2, got, want[r])
			}
			delete(want, r)
		}
	}
	if s.Len() != len(want) {
		t.Errorf("Len = %d, want %d", s.Len(), len(want))
	}
	for i := range 21000 {
		if k := key(i); s.Has(k) != want[k] {
			t.Fatalf("Has(%d) = %v, want %v", i, s.Has(k), want[k])
		}
	}
}

func BenchmarkSetAdd(b *testing.B) {
	b.ReportAllocs()
	var s Set
	for i := range b.N {
		s.Add(Key{uint64(i) * 0x9E3779B97F4A7C15, uint64(i)})
	}
}
