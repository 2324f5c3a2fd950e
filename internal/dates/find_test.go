package dates

import (
	"testing"
	"time"
)

// TestVisibleParses: every form the finder takes is one Parse reads, to
// the day it names.
func TestVisibleParses(t *testing.T) {
	for _, tt := range []struct{ text, day string }{
		{"Posted 2019-03-06T10:00:00+02:00 by", "2019-03-06"},
		{"on March 6th, 2019.", "2019-03-06"},
		{"Sept. 6, 2019", "2019-09-06"},
		{"6. März 2019", "2019-03-06"},
		{"am 6. Maerz 2019", "2019-03-06"},
		{"6th of March 2019", "2019-03-06"},
		{"6 de marzo de 2019", "2019-03-06"},
		{"1er août 2019", "2019-08-01"},
		{"6 października 2019", "2019-10-06"},
		{"6 de março de 2019", "2019-03-06"},
		{"6 maart 2019", "2019-03-06"},
		{"06.03.2019", "2019-03-06"},
		{"06.03.19", "2019-03-06"},
		{"16/03/2021", "2021-03-16"},
		{"2019/03/06", "2019-03-06"},
		{"15 августа 2016, 13:43", "2016-08-15"},
		{"3 березня 2022", "2022-03-03"},
		{"11/08/23", ""}, // day or month first: no telling, so no date
	} {
		found, _ := First(tt.text)
		if found == "" || tt.day == "" {
			if found != "" || tt.day != "" {
				t.Errorf("%q: found %q, want a date: %v", tt.text, found, tt.day != "")
			}
			continue
		}
		got, _, ok := Parse(found, time.Time{}, time.UTC)
		if !ok || got.Format(time.DateOnly) != tt.day {
			t.Errorf("%q: found %q, parsed %v %v, want %s", tt.text, found, got, ok, tt.day)
		}
	}
}

// FuzzVisibleParses: what the finder takes from any text either parses or
// names an impossible day (February 30), never a form Parse does not know.
func FuzzVisibleParses(f *testing.F) {
	for _, s := range []string{"March 6, 2019", "6. März 2019", "06.03.19", "2019/3/6", "31.02.2020", "6 de marzo de 2019"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, loc := range FindAll(s) {
			m := s[loc[0]:loc[1]]
			if _, _, ok := Parse(m, time.Time{}, time.UTC); !ok && possibleForm(m) {
				t.Errorf("finder took %q from %q, which Parse does not read", m, s)
			}
		}
	})
}

// possibleForm reports whether a found date names a day that exists in a
// year Parse accepts; the others are rightly refused.
func possibleForm(m string) bool {
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006", "02/01/2006", "2/1/2006", "01/02/2006", "2006/1/2", "02.01.06", "2.1.06", "02/01/06"} {
		if tm, err := time.Parse(layout, m); err == nil && tm.Year() >= 1900 {
			return true
		}
	}
	return false
}
