//go:build gcs

package sinks

// Google Cloud Storage (gs://) is built in with -tags gcs: its SDK, with
// gRPC and OpenTelemetry, would more than double the binary and the first
// build for users who never write to it.
import _ "gocloud.dev/blob/gcsblob"

func init() { remoteSchemes = append(remoteSchemes, "gs") }
