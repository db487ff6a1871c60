package pluginstudio

import (
	"encoding/json"
	"net/http"
	"testing"
)

// BenchmarkRun measures the SDK's per-call work (decode, build the request, encode the result)
// around a trivial handler and one that adds a header; cgo's own callback cost is not included.
func BenchmarkRun(b *testing.B) {
	in := []byte(`{"abi":1,"phase":"request","request":{"method":"GET","url":"http://api.example.com/v1/orders?id=7","proto":"HTTP/1.1","remote_addr":"127.0.0.1:51000","headers":[["Content-Type","application/json"],["X-Trace","a"]],"body":"","body_encoding":"utf8"},"response":null,"config":{}}`)
	for _, c := range []struct {
		name string
		h    *Handler
	}{
		{"noop", reqHandler(func(w http.ResponseWriter, r *http.Request) {})},
		{"addHeader", reqHandler(func(w http.ResponseWriter, r *http.Request) { r.Header.Add("X-Example", "1") })},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := c.h.run(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecode compares the envelope decoders on the same input.
func BenchmarkDecode(b *testing.B) {
	in := []byte(`{"abi":1,"phase":"request","request":{"method":"GET","url":"http://api.example.com/v1/orders?id=7","proto":"HTTP/1.1","remote_addr":"127.0.0.1:51000","headers":[["Content-Type","application/json"],["X-Trace","a"]],"body":"","body_encoding":"utf8"},"response":null,"config":{}}`)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var env inputEnvelope
			if !fastDecode(in, &env) {
				b.Fatal("gave up")
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var env inputEnvelope
			if err := json.Unmarshal(in, &env); err != nil {
				b.Fatal(err)
			}
		}
	})
}
