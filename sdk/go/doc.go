// Package pluginstudio turns ordinary Go HTTP handlers into Plugin Studio native handlers
// (shared/ABI.md, version 1) in a library built with `go build -buildmode=c-shared`.
//
// A plugin registers each handler with Request or Response (Tyk's hook signatures) and exports it
// with a four-line cgo function:
//
//	package main
//
//	import "C"
//
//	import (
//		"net/http"
//		"unsafe"
//
//		ps "pluginstudio"
//	)
//
//	var addHeader = ps.Request("AddHeader", "adds X-Example", func(w http.ResponseWriter, r *http.Request) {
//		r.Header.Set("X-Example", "1")
//	})
//
//	//export AddHeader
//	func AddHeader(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
//		return addHeader.Call(in, inLen, out, outLen)
//	}
//
//	func main() {}
//
// Importing the package exports plugin_studio_abi_version, plugin_studio_free and
// plugin_studio_manifest (built from the registered handlers).
//
// What a handler does becomes the result envelope, and the host decides the outcome from it, as
// Tyk would: a request handler that writes nothing lets the (possibly modified) request continue;
// one that writes has answered it (status 400 and above: rejected). A response handler modifies
// *http.Response in place (or writes a replacement to w). Only what changed is sent back. A panic
// is recovered and reported with its stack; a panic in another goroutine, a fatal runtime error or
// os.Exit still ends the process, and the host reports that as a crash.
package pluginstudio
