package main

/*
#include <stdlib.h>
#include <string.h>
*/
import "C"

import "unsafe"

// RawOk is the floor for Go c-shared handlers: one cgo callback, one malloc, no envelope work.
//
//export RawOk
func RawOk(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	buf := C.malloc(2)
	C.memcpy(buf, unsafe.Pointer(&emptyResult[0]), 2)
	*(*unsafe.Pointer)(out) = buf
	*(*C.size_t)(outLen) = 2
	return 0
}

var emptyResult = []byte("{}")
