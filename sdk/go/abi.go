package pluginstudio

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
*/
import "C"

import (
	"sync"
	"unsafe"
)

// ABIVersion is the version of the native handler ABI (shared/ABI.md) this package implements.
const ABIVersion = 1

// The ABI exports live in this package, so a plugin gets them by importing it: cgo exports every
// //export of every package linked into a -buildmode=c-shared library, and the library exports
// abi.c's functions too. plugin_studio_abi_version and plugin_studio_free are in abi.c (no cgo
// callback for them); plugin_studio_manifest needs the Go registry.

var (
	manifestOnce sync.Once
	manifestC    *C.char
)

// The manifest is built on first use, after every package-level Request/Response registration
// has run (the exports wait for package initialisation), and kept for the library's lifetime.
//
//export plugin_studio_manifest
func plugin_studio_manifest() *C.char {
	manifestOnce.Do(func() { manifestC = C.CString(string(Manifest())) })
	return manifestC
}

// giveToHost copies data into a malloc'd buffer and stores it in *out / *outLen, as the ABI
// requires (the host frees it with plugin_studio_free). Returns false when malloc fails.
func giveToHost(data []byte, out, outLen unsafe.Pointer) bool {
	n := len(data)
	size := n
	if size == 0 {
		size = 1
	}
	buf := C.malloc(C.size_t(size))
	if buf == nil {
		*(*unsafe.Pointer)(out) = nil
		*(*C.size_t)(outLen) = 0
		return false
	}
	if n > 0 {
		C.memcpy(buf, unsafe.Pointer(&data[0]), C.size_t(n))
	}
	*(*unsafe.Pointer)(out) = buf
	*(*C.size_t)(outLen) = C.size_t(n)
	return true
}
