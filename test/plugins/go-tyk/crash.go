package main

import (
	"net/http"
	"os"
	"sync"
	"time"
)

// GoroutinePanic panics where no recover can reach: the whole process dies.
func GoroutinePanic(w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		panic("boom in a goroutine")
	}()
	<-done
	time.Sleep(time.Second)
}

// MapRace writes one map from many goroutines: `fatal error: concurrent map writes`.
func MapRace(w http.ResponseWriter, r *http.Request) {
	m := map[int]int{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10000000; i++ {
				m[i%64] = g
			}
		}(g)
	}
	wg.Wait()
}

// Exit ends the process the way some plugins do on a fatal configuration error.
func Exit(w http.ResponseWriter, r *http.Request) {
	os.Exit(3)
}
