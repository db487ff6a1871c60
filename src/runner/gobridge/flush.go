package main

/*
#include <stdio.h>
static void flushCStdio(void) { fflush(NULL); }
*/
import "C"

import "os"

// endCall keeps output attribution exact: whatever the plugin (or C code it calls) buffered goes
// out before the marker, so the supervisor gives it to this call and not the next.
func endCall(id int64) {
	C.flushCStdio()
	marker := "\x1ePLUGIN-STUDIO-END " + itoa(id) + "\x1e"
	_, _ = os.Stdout.WriteString(marker)
	_, _ = os.Stderr.WriteString(marker)
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [24]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
