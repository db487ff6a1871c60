package main

/*
#include <stdio.h>
#include <sys/ioctl.h>

static void flushCStdio(void) { fflush(NULL); }

// Bytes written to the pipe on fd and not yet read by the supervisor; -1 when fd is no pipe.
static int pendingBytes(int fd) {
	int n = 0;
	if (ioctl(fd, FIONREAD, &n) != 0) return -1;
	return n;
}
*/
import "C"

import "os"

type markers struct {
	Stdout bool `json:"stdout"`
	Stderr bool `json:"stderr"`
}

// endCall keeps output attribution exact: whatever the plugin (or C code it calls) buffered goes
// out before the marker, so the supervisor gives it to this call and not the next. A stream whose
// pipe is empty after the flush has been read to the end already and needs no marker, which saves
// the supervisor a read per stream on every quiet call (protocol.ts, `markers`).
func endCall(id int64) markers {
	C.flushCStdio()
	marker := "\x1ePLUGIN-STUDIO-END " + itoa(id) + "\x1e"
	m := markers{Stdout: C.pendingBytes(1) != 0, Stderr: C.pendingBytes(2) != 0}
	if m.Stdout {
		_, _ = os.Stdout.WriteString(marker)
	}
	if m.Stderr {
		_, _ = os.Stderr.WriteString(marker)
	}
	return m
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
