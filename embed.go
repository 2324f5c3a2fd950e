// Package reviewpipe bundles the default pipeline.yaml and the sample site
// it reads, so that the binary runs its own demo anywhere: `reviewpipe run`
// without a config file in the working directory uses them.
package reviewpipe

import "embed"

// DefaultConfig is the repository's pipeline.yaml.
//
//go:embed pipeline.yaml
var DefaultConfig []byte

// SampleSite holds examples/site, the pages DefaultConfig reads.
//
//go:embed examples/site
var SampleSite embed.FS
