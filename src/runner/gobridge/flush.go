package main

/*
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

static void flushCStdio(void) { fflush(NULL); }

// Bytes written to fd that the supervisor has not read yet; -1 when that cannot be known. A pipe
// says so with FIONREAD. Node usually hands a child a socket: on Linux, TIOCOUTQ (SIOCOUTQ) on a
// Unix socket counts what was sent and not yet taken by the other end.
static int pendingBytes(int fd) {
	struct stat st;
	int n = 0;
	if (fstat(fd, &st) != 0) return -1;
	if (S_ISFIFO(st.st_mode)) return ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
#if defined(__linux__) && defined(TIOCOUTQ)
	if (S_ISSOCK(st.st_mode)) return ioctl(fd, TIOCOUTQ, &n) == 0 ? n : -1;
#endif
	return -1;
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
// the supervisor a read per stream on every quiet call (protocol.ts, `markers`), unless the
// supervisor has sent the next call already (always): its output could be read before this result.
func endCall(id int64, always bool) markers {
	C.flushCStdio()
	marker := "\x1ePLUGIN-STUDIO-END " + itoa(id) + "\x1e"
	m := markers{Stdout: always || C.pendingBytes(1) != 0, Stderr: always || C.pendingBytes(2) != 0}
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
