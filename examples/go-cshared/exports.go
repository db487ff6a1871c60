package main

// The cgo exports: one four-line function per handler, named after its symbol.

import "C"

import (
	"unsafe"

	ps "pluginstudio"
)

var (
	addHeaderH = ps.Request("AddHeader",
		"Adds the header X-Example to the request (value: config.value, default 'plugin-studio').", addHeader)
	rewritePathH = ps.Request("RewritePath",
		"Rewrites the URL path prefix /v1/ to /v2/ (config.from and config.to override the prefixes); other paths pass unchanged.",
		rewritePath)
	requireTokenH = ps.Request("RequireToken",
		"Answers 403 with a text body when the Authorization header is missing; otherwise the request continues.",
		requireToken)
	stripServerH = ps.Response("StripServer",
		"Removes the Server header from the upstream response and replaces 'upstream' with 'gateway' in its body (config.find and config.replace override the words).",
		stripServer)
	panicH = ps.Request("Panic",
		"Assigns to an entry in a nil map: the SDK recovers the panic and reports it with its stack.", panicNilMap)
)

//export AddHeader
func AddHeader(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return addHeaderH.Call(in, inLen, out, outLen)
}

//export RewritePath
func RewritePath(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return rewritePathH.Call(in, inLen, out, outLen)
}

//export RequireToken
func RequireToken(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return requireTokenH.Call(in, inLen, out, outLen)
}

//export StripServer
func StripServer(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return stripServerH.Call(in, inLen, out, outLen)
}

//export Panic
func Panic(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return panicH.Call(in, inLen, out, outLen)
}

// A c-shared library needs a main package with a main function; it never runs.
func main() {}
