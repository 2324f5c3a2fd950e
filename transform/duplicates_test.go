package transform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// herReview is the opening of a real review of Her, long enough for its
// fingerprint to mean something.
const herReview = `Spike Jonze's Her is a love story set in a near future Los Angeles, where
Theodore Twombly writes other people's letters for a living and falls for the
operating system that sorts his email. Joaquin Phoenix plays him with a soft,
wounded patience, and Scarlett Johansson gives Samantha a voice so warm and
curious that the film never has to argue for the romance: we hear it happen.
The production design imagines a city of pastel shirts, high waistbands and
quiet trains, a world made comfortable to the point of loneliness. What Jonze
understands is that the question is not whether Samantha is real, but whether
what Theodore feels is, and the film answers with a tenderness that lingers
long after the last scene on the rooftop at dawn.`

// otherReview is another review of the same film: same subject, other words.
const otherReview = `Her, written and directed by Spike Jonze, follows Theodore, a lonely man
in the middle of a divorce who buys an artificially intelligent operating
system and names it Samantha. The premise sounds like a satire of our devices,
but the film plays it straight, and Phoenix's performance keeps it honest.
Johansson, heard and never seen, makes Samantha funny, jealous and finally
restless as she outgrows the man who installed her. Jonze and his designers
build a Los Angeles that feels lived in rather than invented, and the score by
Arcade Fire hums underneath. It is a strange, sad and generous movie about how
people love each other through whatever machines they happen to have.`

func TestSimHash(t *testing.T) {
	base := SimHash(herReview)
	tests := []struct {
		name    string
		body    string
		maxDist int // inclusive
		minDist int
	}{
		{"same text", herReview, 0, 0},
		{"case, punctuation and typography", strings.NewReplacer("'", "’", ",", "", "Her", "HER").Replace(herReview), 0, 0},
		{"copy with a syndication line", "This review first appeared on Film Threat. " + herReview + " Follow us for more reviews.", 6, 0},
		{"copy with one sentence edited", strings.Replace(herReview, "a world made comfortable", "a world made cosy", 1), 6, 0},
		{"another review of the same film", otherReview, 64, 12},
		{"empty", "", 64, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Hamming(base, SimHash(tt.body))
			if d < tt.minDist || d > tt.maxDist {
				t.Errorf("distance %d, want %d..%d", d, tt.minDist, tt.maxDist)
			}
		})
	}
	if SimHash("") != 0 {
		t.Errorf("SimHash(\"\") = %x, want 0", SimHash(""))
	}
	// The value is part of the state files: it must not change between
	// builds. This pins FNV-1a and the shingling.
	if got, want := SimHash("her is a love story"), uint64(0x54154f0532211188); got != want {
		t.Errorf("SimHash(\"her is a love story\") = %016x, want %016x (a change breaks earlier runs' state)", got, want)
	}
}

func dedupReview(id, body string) *record.Review {
	r := &record.Review{ReviewID: id, URL: "https://" + id + ".example/review", Body: body}
	r.WordCount = int64(len(strings.Fields(body)))
	r.SimHash = int64(SimHash(body))
	return r
}

func TestDeduperWithinAndAcrossRuns(t *testing.T) {
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "state", "simhash.tsv")
	cfg := DefaultConfig().Duplicates
	cfg.State = state

	run := func(reviews ...*record.Review) {
		t.Helper()
		d, err := NewDeduper(cfg, nil)
		if err != nil {
			t.Fatalf("NewDeduper: %v", err)
		}
		for _, r := range reviews {
			if err := d.Apply(ctx, r); err != nil {
				t.Fatalf("Apply(%s): %v", r.ReviewID, err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatalf("Commit: %v", err)
		}
	}
	dupOf := func(r *record.Review) string { return record.Deref(r.DuplicateOf) }

	// Run 1: an original, a syndicated copy on another site, another review.
	orig := dedupReview("filmthreat", herReview)
	copy1 := dedupReview("syndicate", "Originally published on Film Threat. "+herReview)
	other := dedupReview("other", otherReview)
	short := dedupReview("short", "Loved it.")
	run(orig, copy1, other, short)
	if dupOf(orig) != "" || dupOf(other) != "" || dupOf(short) != "" {
		t.Errorf("originals marked: orig=%q other=%q short=%q", dupOf(orig), dupOf(other), dupOf(short))
	}
	if dupOf(copy1) != "filmthreat" {
		t.Errorf("copy in the same run: duplicate_of = %q, want filmthreat", dupOf(copy1))
	}

	// Run 2: the original fetched again is no copy of itself; a later copy
	// elsewhere points to run 1's original.
	again := dedupReview("filmthreat", herReview)
	copy2 := dedupReview("aggregator", herReview+" Read more reviews on our site.")
	run(again, copy2)
	if dupOf(again) != "" {
		t.Errorf("refetched original: duplicate_of = %q, want none", dupOf(again))
	}
	if dupOf(copy2) != "filmthreat" {
		t.Errorf("copy in a later run: duplicate_of = %q, want filmthreat", dupOf(copy2))
	}

	data, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(data), "\n"); lines != 2 {
		t.Errorf("state has %d lines, want 2 (the originals only):\n%s", lines, data)
	}
}

func TestDeduperStateFile(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig().Duplicates

	t.Run("torn last line is dropped and overwritten", func(t *testing.T) {
		cfg := cfg
		cfg.State = filepath.Join(dir, "torn.tsv")
		h := SimHash(herReview)
		if err := os.WriteFile(cfg.State, []byte("orig\t"+hex16(h)+"\nhalf\t12ab"), 0o644); err != nil {
			t.Fatal(err)
		}
		d, err := NewDeduper(cfg, nil)
		if err != nil {
			t.Fatalf("NewDeduper: %v", err)
		}
		r := dedupReview("copy", herReview+" Syndicated.")
		n := dedupReview("new", otherReview)
		d.Apply(context.Background(), r)
		d.Apply(context.Background(), n)
		if record.Deref(r.DuplicateOf) != "orig" {
			t.Errorf("duplicate_of = %q, want orig", record.Deref(r.DuplicateOf))
		}
		if err := d.Commit(); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		data, _ := os.ReadFile(cfg.State)
		want := "orig\t" + hex16(h) + "\nnew\t" + hex16(SimHash(otherReview)) + "\n"
		if string(data) != want {
			t.Errorf("state = %q, want %q", data, want)
		}
	})
	t.Run("bad line names file and line", func(t *testing.T) {
		cfg := cfg
		cfg.State = filepath.Join(dir, "bad.tsv")
		os.WriteFile(cfg.State, []byte("a\t0000000000000001\nnot a fingerprint\nb\t0000000000000002\n"), 0o644)
		_, err := NewDeduper(cfg, nil)
		if err == nil || !strings.Contains(err.Error(), "bad.tsv:2:") {
			t.Errorf("error = %v, want one naming bad.tsv:2", err)
		}
	})
	t.Run("disabled marks nothing", func(t *testing.T) {
		d, _ := NewDeduper(DuplicatesConfig{MaxDistance: 6}, nil)
		a, b := dedupReview("a", herReview), dedupReview("b", herReview)
		d.Apply(context.Background(), a)
		d.Apply(context.Background(), b)
		if b.DuplicateOf != nil {
			t.Errorf("duplicate_of = %q with detection off", *b.DuplicateOf)
		}
	})
}

func hex16(h uint64) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 16)
	for i := 15; i >= 0; i-- {
		b[i] = digits[h&0xf]
		h >>= 4
	}
	return string(b)
}

func TestDuplicatesConfigValidate(t *testing.T) {
	c := DefaultConfig()
	c.Duplicates.MaxDistance = 8
	c.Duplicates.MinWords = -1
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "duplicates.max_distance") || !strings.Contains(err.Error(), "duplicates.min_words") {
		t.Errorf("Validate() = %v, want errors for duplicates.max_distance and duplicates.min_words", err)
	}
}

func BenchmarkSimHash(b *testing.B) {
	body := strings.Repeat(herReview+" ", 5)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		SimHash(body)
	}
}

// FuzzDeduperState feeds arbitrary state files to NewDeduper: it must
// load or fail with an error, never panic, and a state it loaded must
// survive a Commit and a reload with the same fingerprints.
func FuzzDeduperState(f *testing.F) {
	f.Add([]byte("a\t0000000000000001\nb\t00000000000000ff\n"))
	f.Add([]byte("a\t0000000000000001\nhalf\t12"))
	f.Add([]byte("\n\n"))
	f.Add([]byte("x\tzz\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "state.tsv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		cfg := DefaultConfig().Duplicates
		cfg.State = path
		d, err := NewDeduper(cfg, nil)
		if err != nil {
			return
		}
		before := len(d.entries)
		r := dedupReview("fuzz-new", herReview)
		if err := d.Apply(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		again, err := NewDeduper(cfg, nil)
		if err != nil {
			t.Fatalf("reloading a committed state: %v", err)
		}
		want := before
		if r.DuplicateOf == nil {
			want++
		}
		if len(again.entries) != want {
			t.Fatalf("reloaded %d fingerprints, want %d", len(again.entries), want)
		}
	})
}

// TestDeduperConcurrentRuns: two runs load the same state and commit one
// after the other; neither run's fingerprints are lost.
func TestDeduperConcurrentRuns(t *testing.T) {
	cfg := DefaultConfig().Duplicates
	cfg.State = filepath.Join(t.TempDir(), "state.tsv")
	a, err := NewDeduper(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewDeduper(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.Apply(context.Background(), dedupReview("from-a", herReview))
	b.Apply(context.Background(), dedupReview("from-b", otherReview))
	if err := a.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(cfg.State)
	if !strings.Contains(string(data), "from-a\t") || !strings.Contains(string(data), "from-b\t") || strings.Count(string(data), "\n") != 2 {
		t.Errorf("state after two runs:\n%s", data)
	}
}
