// Word count, as a Go programmer would write it: the same text and the same report as
// wordcount.gust.
package main

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

var syllables = [16]string{
	"ka", "lo", "mi", "ne", "ru", "ta", "shi", "vo", "en", "da", "pu", "ri", "zo", "gu", "be", "fa",
}

type rng struct{ state uint64 }

func (r *rng) next() uint64 {
	r.state = r.state*6364136223846793005 + 1442695040888963407
	return r.state >> 33
}

func writeWord(b *strings.Builder, r *rng, capital bool) {
	x := r.next()
	id := ((x % 4096) * ((x >> 12) % 4096)) >> 12
	first := true
	for {
		s := syllables[id%16]
		if first && capital {
			b.WriteString(strings.ToUpper(s))
		} else {
			b.WriteString(s)
		}
		first = false
		id /= 16
		if id == 0 {
			break
		}
	}
}

func makeText(words int, seed uint64) string {
	r := rng{seed}
	var b strings.Builder
	b.Grow(words * 7)
	capital := true
	for i := range words {
		writeWord(&b, &r, capital)
		capital = false
		if r.next()%9 == 0 {
			b.WriteByte('.')
			capital = true
		}
		if i%12 == 11 {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func countWords(text string) map[string]uint64 {
	counts := make(map[string]uint64)
	for word := range strings.FieldsSeq(text) {
		counts[strings.ToLower(strings.TrimRight(word, "."))]++
	}
	return counts
}

func scale() int {
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil {
			panic(err)
		}
		return n
	}
	return 1_500_000
}

type wordCount struct {
	word  string
	count uint64
}

func main() {
	text := makeText(scale(), 42)
	counts := countWords(text)
	var total, checksum uint64
	top := make([]wordCount, 0, len(counts))
	for word, count := range counts {
		total += count
		h := uint64(14695981039346656037)
		for i := 0; i < len(word); i++ {
			h = (h ^ uint64(word[i])) * 1099511628211
		}
		checksum += h * count
		top = append(top, wordCount{word, count})
	}
	slices.SortFunc(top, func(a, b wordCount) int {
		return cmp.Or(cmp.Compare(b.count, a.count), strings.Compare(a.word, b.word))
	})
	fmt.Printf("bytes %d words %d distinct %d\n", len(text), total, len(counts))
	for _, wc := range top[:min(10, len(top))] {
		fmt.Printf("%s %d\n", wc.word, wc.count)
	}
	fmt.Printf("checksum %d\n", checksum)
}
