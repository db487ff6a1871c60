package main

import (
	"sort"
	"time"
)

type benchStats struct {
	Calls          int            `json:"calls"`
	CallsPerSecond float64        `json:"callsPerSecond"`
	P50Us          float64        `json:"p50Us"`
	P90Us          float64        `json:"p90Us"`
	P99Us          float64        `json:"p99Us"`
	MaxUs          float64        `json:"maxUs"`
	Outcomes       map[string]int `json:"outcomes"`
}

type benchProgress struct {
	T    string `json:"t"`
	ID   int64  `json:"id"`
	Done int    `json:"done"`
}

type benchResultMessage struct {
	T       string         `json:"t"`
	ID      int64          `json:"id"`
	Bench   benchStats     `json:"bench"`
	Sample  *resultMessage `json:"sample"`
	Markers *markers       `json:"markers,omitempty"`
}

// bench runs the handler n times in the bridge. Every iteration does what a call does (decode the
// envelope, build the request, run, classify, encode the result) so the figures are honest.
func (b *bridge) bench(m *inbound) benchResultMessage {
	n := m.N
	if n < 1 {
		n = 1
	}
	durations := make([]float64, 0, n)
	outcomes := map[string]int{}
	var sample *resultMessage
	start := time.Now()
	lastSign := start
	for i := 0; i < n; i++ {
		if now := time.Now(); now.Sub(lastSign) > 200*time.Millisecond {
			// The supervisor's time limit runs from the last sign of life.
			lastSign = now
			b.send.send(benchProgress{T: "bench_progress", ID: m.ID, Done: i})
		}
		res := b.call(m.ID, m.Symbol, m.Phase, m.Envelope)
		durations = append(durations, float64(res.DurationNs)/1000)
		outcomes[res.Outcome]++
		if sample == nil {
			s := res
			sample = &s
		}
	}
	total := time.Since(start).Seconds()
	sort.Float64s(durations)
	pct := func(p float64) float64 {
		idx := int(p*float64(len(durations)-1) + 0.5)
		return durations[idx]
	}
	stats := benchStats{
		Calls:    n,
		P50Us:    pct(0.50),
		P90Us:    pct(0.90),
		P99Us:    pct(0.99),
		MaxUs:    durations[len(durations)-1],
		Outcomes: outcomes,
	}
	if total > 0 {
		stats.CallsPerSecond = float64(n) / total
	}
	return benchResultMessage{T: "bench_result", ID: m.ID, Bench: stats, Sample: sample}
}
