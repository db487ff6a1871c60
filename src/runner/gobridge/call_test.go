package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// fuzzBridge has handlers that touch everything a plugin may change, so a fuzzed envelope goes
// through request and response building, the handler, and the result encoding.
func fuzzBridge() *bridge {
	b := &bridge{exports: map[string]*export{}}
	add := func(name string, v interface{}) {
		b.exports[name] = &export{name: name, value: v, role: roleOf(v)}
	}
	add("Touch", requestHandler(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Header.Set("X-Len", string(rune('0'+len(body)%10)))
		r.URL.Path += "/x"
		if len(body) > 3 {
			w.WriteHeader(400 + len(body)%200)
		}
	}))
	add("Answer", requestHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("A", r.Method)
		_, _ = w.Write([]byte(r.URL.String()))
	}))
	add("Resp", responseHandler(func(w http.ResponseWriter, res *http.Response, r *http.Request) {
		b, _ := io.ReadAll(res.Body)
		res.Body = io.NopCloser(strings.NewReader(strings.ToUpper(string(b))))
		res.Header.Del("Server")
		res.StatusCode = 200 + len(b)%400
	}))
	add("Boom", requestHandler(func(w http.ResponseWriter, r *http.Request) {
		panic(r.Method)
	}))
	return b
}

func checkResult(t *testing.T, res resultMessage) {
	switch res.Outcome {
	case "continue", "respond", "reject", "panic":
	case "error":
		if res.Error == nil || *res.Error == "" {
			t.Fatalf("error outcome without a message")
		}
	default:
		t.Fatalf("unexpected outcome %q", res.Outcome)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatalf("result does not encode: %v", err)
	}
}

func FuzzCall(f *testing.F) {
	f.Add(`{"abi":1,"phase":"request","request":{"method":"POST","url":"http://a.example/p?q=1","headers":[["X-A","1"],["x-a","2"],["Host","h"]],"body":"abcd"},"config":{}}`, "Touch")
	f.Add(`{"abi":1,"phase":"request","request":{"method":"GET","url":"https://a.example/","proto":"HTTP/2.0","headers":[],"body":"/w==","body_encoding":"base64"}}`, "Answer")
	f.Add(`{"abi":1,"phase":"response","request":{"method":"GET","url":"http://a.example/","headers":[],"body":""},"response":{"status":500,"headers":[["Server","x"]],"body":"secret"}}`, "Resp")
	f.Add(`{"request":{"method":"","url":"http://[::1]:80/%zz","headers":[["",""]],"body":"x","body_encoding":"nope"}}`, "Boom")
	f.Add(`{"request":null}`, "Touch")
	f.Fuzz(func(t *testing.T, envelope, symbol string) {
		b := fuzzBridge()
		for _, phase := range []string{"request", "response", ""} {
			checkResult(t, b.call(1, symbol, phase, envelope))
		}
	})
}

func TestOrderedHeadersKeepsOrderAndSpelling(t *testing.T) {
	before := [][2]string{{"x-trace", "a"}, {"Accept", "*/*"}, {"X-Trace", "b"}}
	h := http.Header{}
	for _, p := range before {
		h.Add(p[0], p[1])
	}
	if got := orderedHeaders(before, h, false); !equalPairs(got, before) {
		t.Fatalf("unchanged headers reordered: %v", got)
	}
	h.Set("Accept", "text/plain")
	h.Add("New", "1")
	got := orderedHeaders(before, h, false)
	want := [][2]string{{"x-trace", "a"}, {"Accept", "text/plain"}, {"X-Trace", "b"}, {"New", "1"}}
	if !equalPairs(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestParseStackDropsRecoverFrames(t *testing.T) {
	stack := "goroutine 1 [running]:\nruntime/debug.Stack()\n\t/go/src/runtime/debug/stack.go:24 +0x65\nmain.(*bridge).invoke.func1()\n\t/src/call.go:238 +0x5d\npanic({0x7d2fa0, 0x7fe383c6b530})\n\t/go/src/runtime/panic.go:884 +0x225\nexample.com/p.Handler({0x50?, 0xc000407380?}, 0x514127?)\n\t/home/u/p/h.go:67 +0x2e\nmain.(*bridge).invoke(0xc00001b600?)\n\t/src/call.go:248 +0xd7\n"
	frames := parseStack(stack, "example.com/p")
	if len(frames) != 2 || frames[0].Function != "example.com/p.Handler" || !frames[0].Plugin || *frames[0].Line != 67 || frames[1].Plugin {
		b, _ := json.Marshal(frames)
		t.Fatalf("frames: %s", b)
	}
}

func TestBrokenRequestAndLimits(t *testing.T) {
	b := fuzzBridge()
	add := func(name string, v interface{}) {
		b.exports[name] = &export{name: name, value: v, role: roleOf(v)}
	}
	add("NilURL", requestHandler(func(w http.ResponseWriter, r *http.Request) { r.URL = nil }))
	add("BadStatus", requestHandler(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(42) }))
	add("Big", requestHandler(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(make([]byte, 4096)) }))
	env := `{"request":{"method":"GET","url":"http://a.example/","headers":[],"body":""}}`
	if r := b.call(1, "NilURL", "request", env); r.Outcome != "error" || !strings.Contains(*r.Error, "cannot be read") {
		t.Fatalf("nil URL: %+v", r)
	}
	if r := b.call(2, "BadStatus", "request", env); r.Outcome != "panic" || r.Panic.Message != "invalid WriteHeader code 42" {
		t.Fatalf("bad status: %+v", r)
	}
	b.maxOutput = 1000
	if r := b.call(3, "Big", "request", env); r.Outcome != "abi_error" || !strings.Contains(*r.Error, "over the limit of 1000 bytes") {
		t.Fatalf("limit: %+v", r)
	}
}
