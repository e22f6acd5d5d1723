//go:build tools

// Package engine pins the Pulumi CLI that Prichal runs. It is never compiled itself: the build
// script runs `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi` inside this module, so the
// versions of the CLI and of its ~280 dependencies are the ones go.mod and go.sum record.
package engine

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
