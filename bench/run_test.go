package bench

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/reviewpipe/reviewpipe/internal/evalscore"
)

// fakeExtractor echoes the page body, fails on "error" and panics on "panic".
type fakeExtractor struct{}

func (fakeExtractor) Name() string { return "fake" }

func (fakeExtractor) Extract(_ context.Context, p Page) (Output, error) {
	switch string(p.Body) {
	case "panic":
		panic("boom")
	case "error":
		return Output{}, errors.New("rejected")
	}
	return Output{Body: string(p.Body), Title: "T", Authors: []string{"By A. Writer"}, Days: []string{"2020-01-02"}}, nil
}

func TestRunnerRun(t *testing.T) {
	eval := []evalscore.EvalPage{
		{URL: "u1", Body: []byte("good text here"), With: []string{"good text"}, Without: []string{"nav"}, Title: "t", Date: "2020-01-02", Authors: []string{"a. writer"}},
		{URL: "u2", Body: []byte("panic"), With: []string{"x"}, Title: "t"},
		{URL: "u3", Body: []byte("error"), With: []string{"y"}, Without: []string{"z"}},
	}
	rd := []evalscore.ReadabilityPage{
		{Case: "same", Body: []byte("one two three four"), Expected: "one two three four"},
		{Case: "failed", Body: []byte("panic"), Expected: "one two three four"},
	}
	r := Runner{Log: slog.New(slog.DiscardHandler), Workers: 2, MinDuration: time.Millisecond, Rounds: 3, Quality: true, Speed: true}
	res, err := r.Run(context.Background(), fakeExtractor{}, eval, rd)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	ev := res.Eval
	if ev == nil {
		t.Fatalf("Eval is nil")
	}
	if ev.TP != 1 || ev.FN != 2 || ev.FP != 0 || ev.TN != 2 || ev.Empty != 2 || ev.Panics != 1 {
		t.Errorf("Eval = %+v, want TP 1 FN 2 FP 0 TN 2, 2 empty, 1 panic", *ev)
	}
	m := res.Meta
	if m.Title != (Accuracy{N: 2, Correct: 1, Rate: 0.5}) {
		t.Errorf("title accuracy = %+v, want 1 of 2", m.Title)
	}
	if m.Date != (Accuracy{N: 1, Correct: 1, Rate: 1}) || m.Author != (Accuracy{N: 1, Correct: 1, Rate: 1}) {
		t.Errorf("date, author accuracy = %+v, %+v, want 1 of 1 each", m.Date, m.Author)
	}

	rr := res.Readability
	if rr == nil {
		t.Fatalf("Readability is nil")
	}
	if rr.Precision != 0.5 || rr.Recall != 0.5 || rr.F1 != 0.5 || rr.Panics != 1 || rr.Empty != 1 {
		t.Errorf("Readability = %+v, want P 0.5 R 0.5 F1 0.5, 1 empty, 1 panic", *rr)
	}

	sp := res.Speed
	if sp == nil {
		t.Fatalf("Speed is nil")
	}
	if sp.SingleRuns < 3 || sp.ParallelRuns < 3 || sp.SinglePagesPerSec <= 0 || sp.ParallelPagesPerSec <= 0 || sp.Workers != 2 {
		t.Errorf("Speed = %+v, want at least one run of each kind per round and positive rates", *sp)
	}
	if sp.Rounds != 3 || len(sp.SingleRounds) != 3 || len(sp.ParallelRounds) != 3 {
		t.Errorf("Speed rounds = %d, %v, %v, want 3 rounds of each", sp.Rounds, sp.SingleRounds, sp.ParallelRounds)
	}
	if want := median(sp.SingleRounds); sp.SinglePagesPerSec != want {
		t.Errorf("SinglePagesPerSec = %v, want the median %v of %v", sp.SinglePagesPerSec, want, sp.SingleRounds)
	}
}

func TestRunnerRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := Runner{Log: slog.New(slog.DiscardHandler), Workers: 2, MinDuration: time.Hour, Quality: true, Speed: true}
	eval := []evalscore.EvalPage{{URL: "u", Body: []byte("text")}}
	if _, err := r.Run(ctx, fakeExtractor{}, eval, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Run on a canceled context: err = %v, want context.Canceled", err)
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{5}, 5},
		{[]float64{3, 1, 2}, 2},
		{[]float64{400, 100, 300, 200}, 250},
		{[]float64{1, 900, 2}, 2},
	}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
