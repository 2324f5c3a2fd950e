package transform

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/record"
)

// TestKeepKinds: pages of kinds keep_kinds does not list become "kind"
// rejects naming their kind; listed kinds and the default pass; an
// unknown kind is a config error naming the entry.
func TestKeepKinds(t *testing.T) {
	tests := []struct {
		keep []string
		kind string
		want record.Reason // "" for kept
	}{
		{nil, "roundup", ""},
		{[]string{"review"}, "review", ""},
		{[]string{"review"}, "roundup", record.ReasonKind},
		{[]string{"review", "news"}, "news", ""},
		{[]string{"review", "news"}, "recipe", record.ReasonKind},
	}
	for _, tt := range tests {
		cfg := DefaultConfig()
		cfg.KeepKinds = tt.keep
		chain, err := Standard(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := &record.Review{URL: "https://example.org/a", Body: "Some words here.", PageKind: tt.kind, FetchedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
		err = chain.Apply(context.Background(), r)
		re, rejected := record.AsReject(err)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("keep %v, kind %s: %v, want kept", tt.keep, tt.kind, err)
		case tt.want != "" && (!rejected || re.Reason != tt.want || !strings.Contains(re.Detail, tt.kind)):
			t.Errorf("keep %v, kind %s: %v, want a %s reject naming the kind", tt.keep, tt.kind, err, tt.want)
		}
	}
	cfg := DefaultConfig()
	cfg.KeepKinds = []string{"review", "reviews"}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "keep_kinds[1]") {
		t.Errorf("Validate = %v, want an error naming keep_kinds[1]", err)
	}
}
