package dates

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	fetched := time.Date(2024, 6, 13, 12, 0, 0, 0, time.UTC)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("loading zone: %v", err)
	}
	tests := []struct {
		raw  string
		loc  *time.Location
		want string // RFC 3339 in UTC; "" means no date
		prec Precision
	}{
		{"2021-03-16T18:24:51.602Z", nil, "2021-03-16T18:24:51.602Z", PrecisionSecond},
		{"2013-12-30T22:41:07+00:00", nil, "2013-12-30T22:41:07Z", PrecisionSecond},
		{"2014-02-27T21:14:37+0100", nil, "2014-02-27T20:14:37Z", PrecisionSecond},
		{"2019-03-06", nil, "2019-03-06T00:00:00Z", PrecisionDay},
		{"2019-03-06 10:00", berlin, "2019-03-06T09:00:00Z", PrecisionSecond},
		{"Published on 2019-03-06", nil, "2019-03-06T00:00:00Z", PrecisionDay},
		{"March 6, 2019", nil, "2019-03-06T00:00:00Z", PrecisionDay},
		{"Mar. 6th, 2019", nil, "2019-03-06T00:00:00Z", PrecisionDay},
		{"Wednesday, 6 March 2019", nil, "2019-03-06T00:00:00Z", PrecisionDay},
		{"December 30, 2013 at 10:41 pm", nil, "2013-12-30T22:41:00Z", PrecisionSecond},
		{"3. März 2024", nil, "2024-03-03T00:00:00Z", PrecisionDay},
		{"12 février 2023", nil, "2023-02-12T00:00:00Z", PrecisionDay},
		{"06.03.2019", nil, "2019-03-06T00:00:00Z", PrecisionDay},
		{"31.10.23", nil, "2023-10-31T00:00:00Z", PrecisionDay},
		{"Tue Jan 28 15:28:56 CET 2020", nil, "2020-01-28T14:28:56Z", PrecisionSecond},
		{"Mon Oct 11 14:57:21 CEST 2021", nil, "2021-10-11T12:57:21Z", PrecisionSecond},
		{"Fri Feb 18 10:27:24 2022", berlin, "2022-02-18T09:27:24Z", PrecisionSecond},
		{"2.11.22 19:30", berlin, "2022-11-02T18:30:00Z", PrecisionSecond},
		{"26 Okt 2018", nil, "2018-10-26T00:00:00Z", PrecisionDay},
		{"3. Dez. 2021", nil, "2021-12-03T00:00:00Z", PrecisionDay},
		{"14 févr. 2020", nil, "2020-02-14T00:00:00Z", PrecisionDay},
		{"1.2.99", nil, "", ""},
		{"2019/03/06", nil, "2019-03-06T00:00:00Z", PrecisionDay},
		{"June 2020", nil, "2020-06-01T00:00:00Z", PrecisionMonth},
		{"Published 3 years ago", nil, "2021-06-13T12:00:00Z", PrecisionRelative},
		{"an hour ago", nil, "2024-06-13T11:00:00Z", PrecisionRelative},
		{"2 days ago", nil, "2024-06-11T12:00:00Z", PrecisionRelative},
		{"yesterday", nil, "2024-06-12T12:00:00Z", PrecisionRelative},
		{"Wed, 04 May 2022 02:41:00 GMT", nil, "2022-05-04T02:41:00Z", PrecisionSecond},
		{"2022-11-06T23:00:00.000Z", nil, "2022-11-06T23:00:00Z", PrecisionSecond},
		{"Posted: 2021-03-16 18:24:51", nil, "2021-03-16T18:24:51Z", PrecisionSecond},
		{"Sept. 5, 2021", nil, "2021-09-05T00:00:00Z", PrecisionDay},
		{"5 Sep 2021", nil, "2021-09-05T00:00:00Z", PrecisionDay},
		{"March 2019", nil, "2019-03-01T00:00:00Z", PrecisionMonth},
		{"Published in 2019", nil, "2019-01-01T00:00:00Z", PrecisionYear},
		{"03/16/2021", nil, "2021-03-16T00:00:00Z", PrecisionDay},
		{"16/03/2021", nil, "2021-03-16T00:00:00Z", PrecisionDay},
		{"20. September 2023", nil, "2023-09-20T00:00:00Z", PrecisionDay},
		{"16.03.2021, 18:24 Uhr", berlin, "2021-03-16T17:24:00Z", PrecisionSecond},
		{"Mai 2021", nil, "2021-05-01T00:00:00Z", PrecisionMonth},
		{"18 février 2020", nil, "2020-02-18T00:00:00Z", PrecisionDay},
		{"13 juin 2019", nil, "2019-06-13T00:00:00Z", PrecisionDay},
		{"4 de mayo de 2022", nil, "2022-05-04T00:00:00Z", PrecisionDay},
		{"4 maggio 2022", nil, "2022-05-04T00:00:00Z", PrecisionDay},
		{"4 mei 2022", nil, "2022-05-04T00:00:00Z", PrecisionDay},
		{"4 maja 2022", nil, "2022-05-04T00:00:00Z", PrecisionDay},
		{"2021年3月16日", nil, "2021-03-16T00:00:00Z", PrecisionDay},
		{"3 hours ago", nil, "2024-06-13T09:00:00Z", PrecisionRelative},
		{"5 minutes ago", nil, "2024-06-13T11:55:00Z", PrecisionRelative},
		{"2 mins ago", nil, "2024-06-13T11:58:00Z", PrecisionRelative},
		{"a year ago", nil, "2023-06-13T12:00:00Z", PrecisionRelative},
		{"Updated 2 weeks ago", nil, "2024-05-30T12:00:00Z", PrecisionRelative},
		{"today", nil, "2024-06-13T12:00:00Z", PrecisionRelative},
		{"vor 3 Tagen", nil, "2024-06-10T12:00:00Z", PrecisionRelative},
		{"gestern", nil, "2024-06-12T12:00:00Z", PrecisionRelative},
		{"il y a 2 jours", nil, "2024-06-11T12:00:00Z", PrecisionRelative},
		{"hace 3 días", nil, "2024-06-10T12:00:00Z", PrecisionRelative},
		{"in 3 days", nil, "", ""}, // the future of the fetch time
		{"Hier finden Sie alles", nil, "", ""},
		{"© 2019 Example Media", nil, "", ""},
		{"February 30, 2020", nil, "", ""},
		{"2019-13-01", nil, "", ""},
		{"2031-01-01", nil, "", ""}, // after the fetch time
		{"1066-10-14", nil, "", ""},
		{"2014-02-27T21:14:37+14:00", nil, "2014-02-27T07:14:37Z", PrecisionSecond},
		{"2014-02-27T21:14:37-12:00", nil, "2014-02-28T09:14:37Z", PrecisionSecond},
		{"2014-02-27T21:14:37+99:99", nil, "", ""}, // no such offset
		{"2014-02-27T21:14:37+14:30", nil, "", ""}, // beyond ±14:00
		{"2014-02-27T21:14:37-0575", nil, "", ""},  // 75 minutes
		{"no date here", nil, "", ""},
		{"", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, prec, ok := Parse(tt.raw, fetched, tt.loc)
			if tt.want == "" {
				if ok {
					t.Errorf("Parse(%q) = %v, want no date", tt.raw, got)
				}
				return
			}
			if !ok {
				t.Fatalf("Parse(%q) found no date, want %s", tt.raw, tt.want)
			}
			if s := got.Format(time.RFC3339Nano); s != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.raw, s, tt.want)
			}
			if prec != tt.prec {
				t.Errorf("Parse(%q) precision = %s, want %s", tt.raw, prec, tt.prec)
			}
			if got.Location() != time.UTC {
				t.Errorf("Parse(%q) location = %v, want UTC", tt.raw, got.Location())
			}
		})
	}
}

func TestParseDateRelativeNeedsFetchTime(t *testing.T) {
	if got, _, ok := Parse("3 years ago", time.Time{}, nil); ok {
		t.Errorf("relative date without fetch time = %v, want none", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2021-03-16T18:24:51.602Z", "March 6, 2019", "3 years ago", "06.03.2019", "12 février 2023 at 10:41 pm", "2019-03-06T10:00+05"} {
		f.Add(s)
	}
	fetched := time.Date(2024, 6, 13, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, _, ok := Parse(s, fetched, time.UTC)
		if ok && (got.After(fetched.Add(maxFutureSkew)) || got.Location() != time.UTC) {
			t.Errorf("Parse(%q) = %v: future or not UTC", s, got)
		}
	})
}
