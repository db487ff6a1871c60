package pluginstudio

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// Handlers are built directly (not registered) so that the tests do not change the manifest.
func reqHandler(fn RequestFunc) *Handler { return &Handler{symbol: "T", phase: "request", request: fn} }
func resHandler(fn ResponseFunc) *Handler {
	return &Handler{symbol: "T", phase: "response", response: fn}
}

func envelope(t *testing.T, req map[string]any, res map[string]any, config any) []byte {
	t.Helper()
	r := map[string]any{
		"method": "POST", "url": "http://api.example.com/v1/orders?id=7", "proto": "HTTP/1.1",
		"remote_addr": "127.0.0.1:51000",
		"headers":     [][2]string{{"Content-Type", "application/json"}, {"x-trace", "a"}, {"Accept", "*/*"}, {"X-Trace", "b"}},
		"body":        `{"qty":1}`, "body_encoding": "utf8",
	}
	for k, v := range req {
		r[k] = v
	}
	env := map[string]any{"abi": 1, "phase": "request", "request": r, "response": nil, "config": config}
	if res != nil {
		env["phase"] = "response"
		env["response"] = res
	}
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustRun(t *testing.T, h *Handler, in []byte) resultEnvelope {
	t.Helper()
	res, err := h.run(in)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

func TestUnchangedRequestIsAbsent(t *testing.T) {
	h := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		// Reading is not changing.
		b, _ := io.ReadAll(r.Body)
		if string(b) != `{"qty":1}` {
			t.Errorf("body %q", b)
		}
		_ = r.Header.Get("X-Trace")
	})
	res := mustRun(t, h, envelope(t, nil, nil, map[string]any{}))
	if res.Request != nil || res.Response != nil || res.Logs != nil || res.Panic != nil {
		t.Fatalf("want an empty result, got %+v", res)
	}
}

func TestRequestSeesTheEnvelope(t *testing.T) {
	h := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "POST" || r.URL.Path != "/v1/orders" || r.URL.Query().Get("id") != "7" {
			t.Errorf("method/url: %s %s", r.Method, r.URL)
		}
		if r.Host != "api.example.com" || r.RemoteAddr != "127.0.0.1:51000" || r.ProtoMinor != 1 {
			t.Errorf("host/remote/proto: %s %s %d", r.Host, r.RemoteAddr, r.ProtoMinor)
		}
		if got := r.Header.Values("X-Trace"); !reflect.DeepEqual(got, []string{"a", "b"}) {
			t.Errorf("X-Trace values %v", got)
		}
		if r.ContentLength != 9 || r.RequestURI != "/v1/orders?id=7" {
			t.Errorf("content length %d, request uri %q", r.ContentLength, r.RequestURI)
		}
	})
	mustRun(t, h, envelope(t, nil, nil, nil))
}

func TestChangedHeadersKeepOrderAndSpelling(t *testing.T) {
	h := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Add("X-Added", "1")
		r.Header.Del("Accept")
		r.Header.Add("A-First", "z")
	})
	res := mustRun(t, h, envelope(t, nil, nil, nil))
	want := headerList{{"Content-Type", "application/json"}, {"x-trace", "a"}, {"x-trace", "b"}, {"A-First", "z"}, {"X-Added", "1"}}
	if res.Request == nil || !reflect.DeepEqual(res.Request.Headers, want) {
		t.Fatalf("headers %v, want %v", res.Request, want)
	}
	if res.Request.URL != "http://api.example.com/v1/orders?id=7" || res.Request.Body != `{"qty":1}` {
		t.Fatalf("url/body changed: %+v", res.Request)
	}
}

func TestHostHeader(t *testing.T) {
	hdrs := [][2]string{{"Host", "front.example.com"}, {"Accept", "*/*"}}
	seen := ""
	same := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Host
		if r.Header.Get("Host") != "" {
			t.Error("Host must not be in r.Header (as in Go's server)")
		}
	})
	if res := mustRun(t, same, envelope(t, map[string]any{"headers": hdrs}, nil, nil)); res.Request != nil {
		t.Fatalf("unchanged request reported: %+v", res.Request)
	}
	if seen != "front.example.com" {
		t.Fatalf("r.Host %q", seen)
	}
	moved := reqHandler(func(w http.ResponseWriter, r *http.Request) { r.Host = "back.internal" })
	res := mustRun(t, moved, envelope(t, map[string]any{"headers": hdrs}, nil, nil))
	want := headerList{{"Host", "back.internal"}, {"Accept", "*/*"}}
	if res.Request == nil || !reflect.DeepEqual(res.Request.Headers, want) {
		t.Fatalf("headers %+v, want %v", res.Request, want)
	}
	added := reqHandler(func(w http.ResponseWriter, r *http.Request) { r.Host = "other.example.com" })
	res = mustRun(t, added, envelope(t, nil, nil, nil))
	if res.Request == nil || res.Request.Headers[len(res.Request.Headers)-1] != [2]string{"Host", "other.example.com"} {
		t.Fatalf("a new Host is appended: %+v", res.Request)
	}
}

func TestMethodURLProtoChanges(t *testing.T) {
	h := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		r.Method = "PUT"
		r.URL.Path = "/v2/orders"
		q := r.URL.Query()
		q.Set("id", "8")
		r.URL.RawQuery = q.Encode()
	})
	res := mustRun(t, h, envelope(t, nil, nil, nil))
	if res.Request == nil || res.Request.Method != "PUT" || res.Request.URL != "http://api.example.com/v2/orders?id=8" {
		t.Fatalf("got %+v", res.Request)
	}
	if res.Request.Proto != "HTTP/1.1" || res.Request.RemoteAddr != "127.0.0.1:51000" {
		t.Fatalf("proto/remote changed: %+v", res.Request)
	}
	noProto := reqHandler(func(w http.ResponseWriter, r *http.Request) {})
	if res := mustRun(t, noProto, envelope(t, map[string]any{"proto": ""}, nil, nil)); res.Request != nil {
		t.Fatalf("a default proto is not a change: %+v", res.Request)
	}
}

func TestBodies(t *testing.T) {
	binary := []byte{0xff, 0x00, 0xfe, 'a'}
	b64 := base64.StdEncoding.EncodeToString(binary)
	sameBytes := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if !bytes.Equal(b, binary) {
			t.Errorf("decoded body %v", b)
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
	})
	if res := mustRun(t, sameBytes, envelope(t, map[string]any{"body": b64, "body_encoding": "base64"}, nil, nil)); res.Request != nil {
		t.Fatalf("same bytes reinstalled is not a change: %+v", res.Request)
	}
	toText := reqHandler(func(w http.ResponseWriter, r *http.Request) { r.Body = io.NopCloser(strings.NewReader("héllo")) })
	res := mustRun(t, toText, envelope(t, map[string]any{"body": b64, "body_encoding": "base64"}, nil, nil))
	if res.Request == nil || res.Request.Body != "héllo" || res.Request.BodyEncoding != "utf8" {
		t.Fatalf("got %+v", res.Request)
	}
	toBinary := reqHandler(func(w http.ResponseWriter, r *http.Request) { r.Body = io.NopCloser(bytes.NewReader(binary)) })
	res = mustRun(t, toBinary, envelope(t, nil, nil, nil))
	if res.Request == nil || res.Request.Body != b64 || res.Request.BodyEncoding != "base64" {
		t.Fatalf("got %+v", res.Request)
	}
	emptied := reqHandler(func(w http.ResponseWriter, r *http.Request) { r.Body = http.NoBody })
	res = mustRun(t, emptied, envelope(t, nil, nil, nil))
	if res.Request == nil || res.Request.Body != "" {
		t.Fatalf("got %+v", res.Request)
	}
}

func TestRecorderAnswers(t *testing.T) {
	h := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("X-B", "2")
		w.Header().Add("X-A", "1")
		_, _ = w.Write([]byte("<html><body>no</body></html>"))
		w.WriteHeader(500) // too late: ignored, as in net/http
	})
	res := mustRun(t, h, envelope(t, nil, nil, nil))
	want := &wireResponse{
		Status:       200,
		Headers:      headerList{{"Content-Type", "text/html; charset=utf-8"}, {"X-A", "1"}, {"X-B", "2"}},
		Body:         "<html><body>no</body></html>",
		BodyEncoding: "utf8",
	}
	if !reflect.DeepEqual(res.Response, want) {
		t.Fatalf("got %+v", res.Response)
	}
	headerOnly := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ignored", "1") // nothing written: the request continues
	})
	if res := mustRun(t, headerOnly, envelope(t, nil, nil, nil)); res.Response != nil {
		t.Fatalf("got %+v", res.Response)
	}
	status := reqHandler(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(401) })
	if res := mustRun(t, status, envelope(t, nil, nil, nil)); res.Response == nil || res.Response.Status != 401 || res.Response.Body != "" {
		t.Fatalf("got %+v", res.Response)
	}
}

func TestResponsePhase(t *testing.T) {
	upstream := map[string]any{"status": 200, "headers": [][2]string{{"Server", "x"}, {"Content-Type", "text/plain"}}, "body": "hi"}
	noop := resHandler(func(w http.ResponseWriter, res *http.Response, r *http.Request) {
		if res.StatusCode != 200 || res.Header.Get("Server") != "x" || res.Request != r || r.Method != "POST" {
			t.Errorf("response %+v", res)
		}
	})
	if res := mustRun(t, noop, envelope(t, nil, upstream, nil)); res.Response != nil || res.Request != nil {
		t.Fatalf("unchanged response reported: %+v", res)
	}
	edit := resHandler(func(w http.ResponseWriter, res *http.Response, r *http.Request) {
		res.StatusCode = 502
		res.Header.Del("Server")
		res.Body = io.NopCloser(strings.NewReader("bye"))
	})
	res := mustRun(t, edit, envelope(t, nil, upstream, nil))
	want := &wireResponse{Status: 502, Headers: headerList{{"Content-Type", "text/plain"}}, Body: "bye", BodyEncoding: "utf8"}
	if !reflect.DeepEqual(res.Response, want) {
		t.Fatalf("got %+v", res.Response)
	}
	replace := resHandler(func(w http.ResponseWriter, res *http.Response, r *http.Request) {
		w.WriteHeader(418)
	})
	if res := mustRun(t, replace, envelope(t, nil, upstream, nil)); res.Response == nil || res.Response.Status != 418 {
		t.Fatalf("got %+v", res.Response)
	}
	if _, err := edit.run(envelope(t, nil, nil, nil)); err == nil || !strings.Contains(err.Error(), "response") {
		t.Fatalf("a response handler without a response: %v", err)
	}
}

func TestLogsConfigAndPanic(t *testing.T) {
	h := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		var cfg struct {
			Limit int `json:"limit"`
		}
		if err := DecodeConfig(r, &cfg); err != nil || cfg.Limit != 3 {
			t.Errorf("config %v %v", cfg, err)
		}
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); Debugf(r, "from a goroutine") }()
		}
		wg.Wait()
		Infof(r, "limit %d", cfg.Limit)
		Log(r, "shout", "unknown level")
		var m map[string]int
		m["x"] = 1
	})
	res := mustRun(t, h, envelope(t, nil, nil, map[string]any{"limit": 3}))
	if res.Panic == nil || res.Panic.Message != "assignment to entry in nil map" || !strings.Contains(res.Panic.Stack, "sdk_test.go") {
		t.Fatalf("panic %+v", res.Panic)
	}
	if len(res.Logs) != 5 || res.Logs[3] != (logLine{"info", "limit 3"}) || res.Logs[4].Level != "info" {
		t.Fatalf("logs %+v", res.Logs)
	}
	Infof(nil, "no call: ignored")
	Infof(&http.Request{}, "not our request: ignored")
}

func TestBadEnvelopes(t *testing.T) {
	h := reqHandler(func(w http.ResponseWriter, r *http.Request) {})
	cases := map[string]string{
		"not json":       `{"abi":1,`,
		"not an object":  `[1]`,
		"other abi":      `{"abi":2,"request":{"method":"GET","url":"http://h/","headers":[],"body":""}}`,
		"no request":     `{"abi":1}`,
		"bad url":        `{"abi":1,"request":{"method":"GET","url":"http://[::1","headers":[],"body":""}}`,
		"bad base64":     `{"abi":1,"request":{"method":"GET","url":"http://h/","headers":[],"body":"!!","body_encoding":"base64"}}`,
		"bad encoding":   `{"abi":1,"request":{"method":"GET","url":"http://h/","headers":[],"body":"","body_encoding":"rot13"}}`,
		"bad header":     `{"abi":1,"request":{"method":"GET","url":"http://h/","headers":[["a","b","c"]],"body":""}}`,
		"header not str": `{"abi":1,"request":{"method":"GET","url":"http://h/","headers":[[1,2]],"body":""}}`,
	}
	for name, in := range cases {
		if _, err := h.run([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		} else if !strings.HasPrefix(err.Error(), "pluginstudio: ") {
			t.Errorf("%s: message %q", name, err)
		}
	}
}

func TestManifest(t *testing.T) {
	registryMu.Lock()
	saved, savedName, savedVersion := registry, pluginName, pluginVersion
	registry = nil
	registryMu.Unlock()
	defer func() {
		registryMu.Lock()
		registry, pluginName, pluginVersion = saved, savedName, savedVersion
		registryMu.Unlock()
	}()
	Describe("demo", "1.2.3")
	Request("A", "adds", func(w http.ResponseWriter, r *http.Request) {})
	Response("B", "", func(w http.ResponseWriter, res *http.Response, r *http.Request) {})
	DeclareRaw("C", "request", "by hand")
	want := `{"abi":1,"name":"demo","version":"1.2.3","handlers":[{"symbol":"A","phase":"request","description":"adds"},{"symbol":"B","phase":"response"},{"symbol":"C","phase":"request","description":"by hand"}]}`
	if got := string(Manifest()); got != want {
		t.Fatalf("manifest\n got %s\nwant %s", got, want)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("a duplicate symbol must panic at registration")
			}
		}()
		Request("A", "", func(w http.ResponseWriter, r *http.Request) {})
	}()
}

// FuzzRun: whatever the input envelope, the SDK returns a result or an error and never panics
// itself (a handler's own panic is recovered and reported).
func FuzzRun(f *testing.F) {
	seeds := []string{
		`{"abi":1,"phase":"request","request":{"method":"GET","url":"http://a/v1/x?q=1","headers":[["Host","h"],["X","1"]],"body":"aGk=","body_encoding":"base64"},"config":{"k":1}}`,
		`{"abi":1,"phase":"response","request":{"method":"GET","url":"/rel","headers":[],"body":""},"response":{"status":-1,"headers":[["Server","x"]],"body":"\u0000"}}`,
		`{"request":{"method":"","url":"","headers":null,"body":""}}`,
		`{"abi":1,"request":{"method":"G E T","url":"http://%zz","headers":[[""," "]],"body":"\ud800"}}`,
		`null`, `{}`, `[]`, `""`, ``,
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	req := reqHandler(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Header.Set("X-Len", string(rune('0'+len(b)%10)))
		r.URL.Path += "/x"
		r.Host += "."
		if len(b)%2 == 1 {
			w.WriteHeader(403)
			_, _ = w.Write(b)
		}
	})
	res := resHandler(func(w http.ResponseWriter, res *http.Response, r *http.Request) {
		b, _ := io.ReadAll(res.Body)
		res.Header.Del("Server")
		res.Body = io.NopCloser(bytes.NewReader(append(b, 0xff)))
	})
	f.Fuzz(func(t *testing.T, in []byte, response bool) {
		h := req
		if response {
			h = res
		}
		out, err := h.run(in)
		if err != nil {
			return
		}
		if _, err := json.Marshal(out); err != nil {
			t.Fatalf("result does not encode: %v", err)
		}
	})
}

// fastDecode either gives up or decodes exactly what encoding/json decodes.
func checkFastDecode(t *testing.T, in []byte) bool {
	var fast inputEnvelope
	if !fastDecode(in, &fast) {
		return false
	}
	var slow inputEnvelope
	if err := json.Unmarshal(in, &slow); err != nil {
		t.Fatalf("fastDecode accepted what encoding/json rejects (%v): %q", err, in)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fastDecode and encoding/json differ on %q:\nfast %#v\nslow %#v", in, fast, slow)
	}
	return true
}

func TestFastDecodeTakesTheHostsEnvelopes(t *testing.T) {
	hostLike := []string{
		string(envelope(t, nil, nil, map[string]any{})),
		string(envelope(t, map[string]any{"body": "é\u0000\n\"\\/\u2028<>&", "headers": [][2]string{}}, map[string]any{"status": 503, "headers": [][2]string{{"A", "b"}}, "body": "x"}, []any{1, "two", nil, true, 1.5e3})),
		`{"abi":1,"phase":"request","request":{"method":"GET","url":"http://h/","headers":[],"body":""},"response":null,"config":null}`,
		" {\n \"abi\" : 1 , \"request\" : { \"method\" : \"GET\" , \"url\" : \"\\u0068ttp://h/\" , \"headers\" : [ [ \"a\" , \"b\" ] ] , \"body\" : \"\" } } \n",
	}
	for _, in := range hostLike {
		if !checkFastDecode(t, []byte(in)) {
			t.Errorf("fastDecode gave up on %q", in)
		}
	}
	givesUp := []string{
		`{"abi":1,"abi":1}`, `{"Abi":1}`, `{"abi":1.0}`, `{"abi":-1}`, `{"abi":01}`, `{"abi":1234567890}`,
		`{"request":{"method":null}}`, `{"request":{"headers":[["a"]]}}`, `{"request":{"headers":null}}`,
		`{"request":{"body":"\ud800"}}`, "{\"request\":{\"body\":\"\xff\"}}", `{"config":{"a":}}`, `{"config":nul}`,
		`{"extra":1}`, `{} x`, `[]`, ``, `{"phase":"a\x"}`, "{\"phase\":\"\t\"}",
	}
	for _, in := range givesUp {
		if checkFastDecode(t, []byte(in)) {
			t.Errorf("fastDecode took %q", in)
		}
	}
}

// FuzzFastDecode: differential against encoding/json.
func FuzzFastDecode(f *testing.F) {
	f.Add([]byte(`{"abi":1,"phase":"response","request":{"method":"GET","url":"http://a/","proto":"HTTP/1.1","remote_addr":"r","headers":[["A","b"],["c","\u00e9"]],"body":"\"x\"","body_encoding":"utf8"},"response":{"status":200,"headers":[],"body":"","body_encoding":"base64"},"config":{"k":[1,{"z":null}]}}`))
	f.Add([]byte(`{"config":[] , "abi" : 0}`))
	f.Add([]byte(`{"request":null,"response":null,"config":"s"}`))
	f.Fuzz(func(t *testing.T, in []byte) { checkFastDecode(t, in) })
}

// Random well-formed envelopes, as any JSON encoder would write them: fastDecode takes every one
// and agrees with encoding/json.
func TestFastDecodeRandomEnvelopes(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	alphabet := []rune("aZ09 -_/\\\"'<>&\t\n\x00\x1fé€😀\u2028\ufffd")
	str := func() string {
		r := make([]rune, rng.Intn(12))
		for i := range r {
			r[i] = alphabet[rng.Intn(len(alphabet))]
		}
		return string(r)
	}
	for i := 0; i < 3000; i++ {
		hdrs := make([][2]string, rng.Intn(4))
		for j := range hdrs {
			hdrs[j] = [2]string{str(), str()}
		}
		req := map[string]any{"method": str(), "url": str(), "headers": hdrs, "body": str()}
		if rng.Intn(2) == 0 {
			req["proto"], req["remote_addr"], req["body_encoding"] = str(), str(), str()
		}
		var res map[string]any
		if rng.Intn(2) == 0 {
			res = map[string]any{"status": rng.Intn(600), "headers": hdrs, "body": str()}
		}
		cfg := []any{map[string]any{}, nil, str(), rng.Float64(), []any{str(), map[string]any{"k": str()}}}[rng.Intn(5)]
		in := envelope(t, req, res, cfg)
		if !checkFastDecode(t, in) {
			t.Fatalf("fastDecode gave up on %s", in)
		}
	}
}
