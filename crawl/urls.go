package crawl

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"sort"
	"strings"
)

// DefaultStripParams are the query parameters that only track where a
// visitor came from; they never change the page.
var DefaultStripParams = []string{"utm_*", "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_hsenc", "_hsmi", "igshid"}

// NormalizeURL returns the form of raw under which the crawler files a
// page: lower-case scheme and host, no default port, no fragment, a path
// with dot segments resolved ("/" when empty), the query's tracking
// parameters (strip, with "prefix*" patterns) removed and the rest sorted.
// Only http and https URLs are accepted.
func NormalizeURL(raw string, strip []string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("bad URL %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("URL %q: only http and https are crawled", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("URL %q has no host", raw)
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimRight(host, ".")
	if host == "" {
		return "", fmt.Errorf("URL %q has no host", raw)
	}
	port := u.Port()
	if port == "80" && u.Scheme == "http" || port == "443" && u.Scheme == "https" {
		port = ""
	}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	} else {
		u.Host = host
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	} else {
		trailing := strings.HasSuffix(p, "/")
		p = path.Clean(p)
		if trailing && p != "/" {
			p += "/"
		}
	}
	query := u.Query()
	if err := u.UnmarshalBinary([]byte(u.Scheme + "://" + u.Host + p)); err != nil {
		return "", fmt.Errorf("URL %q: %w", raw, err)
	}
	if q := query; len(q) > 0 {
		u.RawQuery = ""
		keys := make([]string, 0, len(q))
		for k := range q {
			if !matchParam(k, strip) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			vals := q[k]
			sort.Strings(vals)
			for _, v := range vals {
				if b.Len() > 0 {
					b.WriteByte('&')
				}
				b.WriteString(url.QueryEscape(k))
				b.WriteByte('=')
				b.WriteString(url.QueryEscape(v))
			}
		}
		u.RawQuery = b.String()
	}
	u.ForceQuery = false
	return u.String(), nil
}

func matchParam(k string, patterns []string) bool {
	k = strings.ToLower(k)
	for _, p := range patterns {
		p = strings.ToLower(p)
		if prefix, ok := strings.CutSuffix(p, "*"); ok {
			if strings.HasPrefix(k, prefix) {
				return true
			}
		} else if k == p {
			return true
		}
	}
	return false
}

// hostKey is the politeness unit: host and port, as in the URL.
func hostKey(u *url.URL) string { return strings.ToLower(u.Host) }
