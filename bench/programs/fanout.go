// Channel fan-out / fan-in, as a Go programmer would write it: workers share one jobs
// channel and send results to another; the same jobs and report as fanout.gust.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

const workers = 4

func collatzSteps(start uint64) uint64 {
	x, steps := start, uint64(0)
	for x != 1 {
		if x%2 == 0 {
			x /= 2
		} else {
			x = 3*x + 1
		}
		steps++
	}
	return steps
}

func scale() uint64 {
	if len(os.Args) > 1 {
		n, err := strconv.ParseUint(os.Args[1], 10, 64)
		if err != nil {
			panic(err)
		}
		return n
	}
	return 300_000
}

type result struct{ job, steps uint64 }

func main() {
	jobCount := scale()
	jobs := make(chan uint64, 128)
	results := make(chan result, 128)
	done := make([]uint64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				results <- result{job, collatzSteps(job)}
				done[w]++
			}
		}()
	}
	go func() {
		for job := uint64(1); job <= jobCount; job++ {
			jobs <- job
		}
		close(jobs)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var total, received uint64
	var longest result
	for r := range results {
		total += r.steps
		received++
		if r.steps > longest.steps || (r.steps == longest.steps && r.job < longest.job) {
			longest = r
		}
	}
	var doneSum uint64
	for _, d := range done {
		doneSum += d
	}
	fmt.Printf("jobs %d received %d done %d\n", jobCount, received, doneSum)
	fmt.Printf("total steps %d\n", total)
	fmt.Printf("longest %d with %d steps\n", longest.job, longest.steps)
}
