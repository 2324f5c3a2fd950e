package crawl

import "testing"

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://h:80/reviews?page=1&utm_medium=pager", "http://h/reviews?page=1"},
		{"HTTP://Example.COM:443/", "http://example.com:443/"},
		{"https://Example.COM:443/a", "https://example.com/a"},
		{"http://h/a/../b/?b=2&a=1#x", "http://h/b/?a=1&b=2"},
		{"http://h", "http://h/"},
		{"http://h/review/3?utm_source=sitemap&fbclid=x&gclid=y", "http://h/review/3"},
		{"http://user:pw@h/p", "http://h/p"},
		{"http://h/p?q=a%20b&q=a", "http://h/p?q=a&q=a+b"},
		{"http://h./p", "http://h/p"},
		{"http://[::1]:8080/p", "http://[::1]:8080/p"},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.in, DefaultStripParams)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"ftp://h/x", "mailto:a@b", "/relative", "http://%zz"} {
		if got, err := NormalizeURL(bad, nil); err == nil {
			t.Errorf("NormalizeURL(%q) = %q, want an error", bad, got)
		}
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"http://h/a?b=1#c", "https://x.y:443/../a/./b/?utm_x=1&z=2", "http://[::1]/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n, err := NormalizeURL(raw, DefaultStripParams)
		if err != nil {
			return
		}
		again, err := NormalizeURL(n, DefaultStripParams)
		if err != nil || again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q (%v)", raw, n, again, err)
		}
	})
}
