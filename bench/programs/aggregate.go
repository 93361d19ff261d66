// HashMap-heavy aggregation, as a Go programmer would write it: the same records,
// statistics and report as aggregate.gust.
package main

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strconv"
)

var regions = [6]string{"north", "south", "east", "west", "central", "online"}

type stats struct {
	orders, total, largest uint64
}

type rng struct{ state uint64 }

func (r *rng) next() uint64 {
	r.state = r.state*6364136223846793005 + 1442695040888963407
	return r.state >> 33
}

func scale() int {
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil {
			panic(err)
		}
		return n
	}
	return 2_000_000
}

type regionTotal struct {
	region string
	total  uint64
}

func main() {
	records := scale()
	customers := uint64(records/20 + 1)
	r := rng{99}
	byCustomer := make(map[uint32]*stats)
	byRegion := make(map[string]uint64)
	for range records {
		customer := uint32(r.next() % customers)
		region := regions[r.next()%6]
		amount := r.next() % 10_000
		s := byCustomer[customer]
		if s == nil {
			s = &stats{}
			byCustomer[customer] = s
		}
		s.orders++
		s.total += amount
		s.largest = max(s.largest, amount)
		byRegion[region] += amount
	}
	var checksum uint64
	var best struct {
		customer uint32
		total    uint64
	}
	for customer, s := range byCustomer {
		mixed := s.total ^ (s.orders << 32) ^ (s.largest << 16)
		checksum += (uint64(customer) + 1) * mixed
		if s.total > best.total || (s.total == best.total && customer < best.customer) {
			best.customer, best.total = customer, s.total
		}
	}
	totals := make([]regionTotal, 0, len(byRegion))
	for region, total := range byRegion {
		totals = append(totals, regionTotal{region, total})
	}
	slices.SortFunc(totals, func(a, b regionTotal) int {
		return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(a.total, b.total))
	})
	fmt.Printf("records %d customers %d\n", records, len(byCustomer))
	for _, t := range totals {
		fmt.Printf("%s %d\n", t.region, t.total)
	}
	fmt.Printf("best customer %d total %d\n", best.customer, best.total)
	fmt.Printf("checksum %d\n", checksum)
}
