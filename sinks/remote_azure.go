//go:build azure

package sinks

// Azure Blob Storage (azblob://) is built in with -tags azure, for the
// same reason as gs://.
import _ "gocloud.dev/blob/azureblob"

func init() { remoteSchemes = append(remoteSchemes, "azblob") }
