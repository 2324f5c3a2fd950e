package crawl

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// ErrBlockedAddress is wrapped by dial errors for addresses the crawler
// refuses to connect to.
type BlockedAddressError struct {
	Host string
	IP   netip.Addr
}

func (e *BlockedAddressError) Error() string {
	return fmt.Sprintf("refusing to connect to %s (%s): loopback, private, link-local and metadata addresses are off limits unless allow_private_networks is true", e.Host, e.IP)
}

// blockedIP reports whether ip is an address a public crawler has no
// business with: loopback, private (RFC 1918, ULA), link-local (which
// holds the 169.254.169.254 cloud metadata service), CGNAT, unspecified,
// multicast and the documentation/benchmark ranges.
func blockedIP(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // CGNAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("255.255.255.255/32"),
	netip.MustParsePrefix("fd00:ec2::254/128"), // AWS metadata over IPv6
	netip.MustParsePrefix("64:ff9b::/96"),      // NAT64 can reach anything
}

// newDialer returns a dial function that checks the address actually
// dialled, after DNS resolution, so a name that resolves to 127.0.0.1 (or
// changes its answer between a check and the connect) cannot get through.
func newDialer(allowPrivate bool, timeout time.Duration) func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("dial %s: %w", address, err)
			}
			if blockedIP(ap.Addr()) {
				return &BlockedAddressError{Host: address, IP: ap.Addr()}
			}
			return nil
		}
	}
	return d.DialContext
}
