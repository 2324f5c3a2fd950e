package record

import (
	"runtime/debug"
	"sync"
)

// release is the reviewpipe release this tree is on the way to.
const release = "0.5.0-dev"

// Version returns the reviewpipe version written into the files' metadata:
// the release, and the VCS revision the binary was built from when the Go
// toolchain recorded one ("0.5.0-dev+3101ec1d2f4a", "+dirty" for
// uncommitted changes).
var Version = sync.OnceValue(func() string {
	v := release
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	var rev string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += "+" + rev
		if dirty {
			v += ".dirty"
		}
	}
	return v
})
