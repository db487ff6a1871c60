// Command gobridge is Plugin Studio's host for Go plugins built with -buildmode=plugin.
//
// A Go plugin can only be loaded by a Go program built by the same toolchain with the same flags,
// so the studio builds this program on demand with the user's Go and runs it as the plugin host.
// It speaks the studio's host protocol (src/runner/protocol.ts): newline-delimited JSON on the
// Node IPC channel whose file descriptor is in NODE_CHANNEL_FD. fd 1 and fd 2 stay free for the
// plugin's own output, which the supervisor captures per call using end markers.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
)

const maxMessageBytes = 256 << 20

type inbound struct {
	T        string `json:"t"`
	ID       int64  `json:"id"`
	Path     string `json:"path"`
	Symbol   string `json:"symbol"`
	Phase    string `json:"phase"`
	Envelope string `json:"envelope"`
	N        int    `json:"n"`
	// Markers is "always" when the supervisor may already have sent the next call.
	Markers string `json:"markers"`
	// Calls holds the calls of a "calls" message, run in order as if each came on its own.
	Calls []inbound `json:"calls"`
	// MaxOutputBytes is the largest result the supervisor accepts (open message).
	MaxOutputBytes int64 `json:"maxOutputBytes"`
}

func main() {
	fdText := os.Getenv("NODE_CHANNEL_FD")
	fd, err := strconv.Atoi(fdText)
	if err != nil || fd < 0 {
		fmt.Fprintln(os.Stderr, "gobridge: start it through Plugin Studio (NODE_CHANNEL_FD is not set)")
		os.Exit(64)
	}
	channel := os.NewFile(uintptr(fd), "ipc")
	out := newSender(channel)
	host := &bridge{send: out}
	reader := bufio.NewReaderSize(channel, 1<<16)
	for {
		line, err := readLine(reader)
		if err != nil {
			// The supervisor closed the channel: it is done with this host.
			os.Exit(0)
		}
		var msg inbound
		if json.Unmarshal(line, &msg) != nil {
			continue
		}
		host.dispatch(&msg)
	}
}

func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		if err != nil {
			if err == io.EOF && len(buf) > 0 {
				return buf, nil
			}
			return nil, err
		}
		buf = append(buf, chunk...)
		if len(buf) > maxMessageBytes {
			return nil, fmt.Errorf("message over %d bytes", maxMessageBytes)
		}
		if !isPrefix {
			return buf, nil
		}
	}
}

type sender struct{ w io.Writer }

func newSender(w io.Writer) *sender { return &sender{w: w} }

func (s *sender) send(v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]interface{}{"t": "open_error", "message": "the Go bridge could not encode a message: " + err.Error()})
	}
	b = append(b, '\n')
	if _, err := s.w.Write(b); err != nil {
		os.Exit(0)
	}
}
