//go:build tools

// The older kube-apiserver that build.sh builds (at least two minors before the newest); pin.sh moves it.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
