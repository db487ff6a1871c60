// crash-go: the Go c-shared failures of the crash matrix, next to a healthy handler, in one
// library: a panic the SDK recovers, a panic in a raw export (no SDK, no recover), a panic in a
// goroutine, the runtime's "fatal error: concurrent map writes", and os.Exit(2).
package main

import "C"

import (
	"fmt"
	"net/http"
	"os"
	"sync"
	"unsafe"

	ps "pluginstudio"
)

func init() { ps.Describe("crash-go", "0.0.0") }

var (
	okH = ps.Request("Ok", "continues: writes nothing, changes nothing", func(w http.ResponseWriter, r *http.Request) {})

	panicRecoveredH = ps.Request("PanicRecovered", "assignment to entry in nil map, recovered by the SDK", func(w http.ResponseWriter, r *http.Request) {
		var counts map[string]int
		counts[r.Method]++
	})

	panicGoroutineH = ps.Request("PanicGoroutine", "panics in a goroutine: no recover can catch it", func(w http.ResponseWriter, r *http.Request) {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			panic(fmt.Sprintf("panic in a goroutine while handling %s %s", r.Method, r.URL.Path))
		}()
		wg.Wait()
	})

	concurrentMapWritesH = ps.Request("ConcurrentMapWrites", "fatal error: concurrent map writes", func(w http.ResponseWriter, r *http.Request) {
		m := map[int]int{}
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				// Unbounded on purpose: the runtime's check fires within milliseconds, and the
				// process ends there.
				for i := 0; ; i++ {
					m[i%1024] = g
				}
			}(g)
		}
		wg.Wait()
	})

	exitH = ps.Request("Exit2", "os.Exit(2) in the middle of a call", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(os.Stderr, "crash-go: exiting with status 2")
		os.Exit(2)
	})

	_ = declareRaw()

	printH = ps.Request("PrintThenOk", "writes one line to stdout and one to stderr, then continues", func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("crash-go: hello on stdout")
		fmt.Fprintln(os.Stderr, "crash-go: hello on stderr")
	})
)

//export Ok
func Ok(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return okH.Call(in, inLen, out, outLen)
}

//export PanicRecovered
func PanicRecovered(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return panicRecoveredH.Call(in, inLen, out, outLen)
}

// PanicRaw bypasses the SDK: nothing recovers, so the Go runtime prints "panic: ..." with the
// goroutine trace and ends the process with status 2.
//
//export PanicRaw
func PanicRaw(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	var handlers map[string]func()
	handlers["raw"] = func() {}
	return 0
}

//export PanicGoroutine
func PanicGoroutine(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return panicGoroutineH.Call(in, inLen, out, outLen)
}

//export ConcurrentMapWrites
func ConcurrentMapWrites(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return concurrentMapWritesH.Call(in, inLen, out, outLen)
}

//export Exit2
func Exit2(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return exitH.Call(in, inLen, out, outLen)
}

//export PrintThenOk
func PrintThenOk(in unsafe.Pointer, inLen uintptr, out, outLen unsafe.Pointer) int32 {
	return printH.Call(in, inLen, out, outLen)
}

func declareRaw() bool {
	ps.DeclareRaw("PanicRaw", "request", "assignment to entry in nil map in an export without the SDK: not recovered")
	ps.DeclareRaw("RawOk", "request", "returns {} without the SDK: the cost of a cgo call alone, for benchmarks")
	return true
}

func main() {}
