// Matrix multiply, as a Go programmer would write it: the same matrices, rounds and
// report as matmul.gust.
package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
)

type matrix struct {
	n    int
	data []float64
}

func zeros(n int) *matrix {
	return &matrix{n: n, data: make([]float64, n*n)}
}

func random(n int, seed uint64) *matrix {
	state := seed
	data := make([]float64, n*n)
	for i := range data {
		state = state*6364136223846793005 + 1442695040888963407
		unit := float64(state>>11) / 9007199254740992.0
		data[i] = unit*2.0 - 1.0
	}
	return &matrix{n: n, data: data}
}

func (m *matrix) multiply(other *matrix) *matrix {
	n := m.n
	out := zeros(n)
	for i := 0; i < n; i++ {
		row := out.data[i*n : (i+1)*n]
		for k := 0; k < n; k++ {
			a := m.data[i*n+k]
			otherRow := other.data[k*n : (k+1)*n]
			for j := range row {
				row[j] += a * otherRow[j]
			}
		}
	}
	return out
}

func (m *matrix) trace() float64 {
	t := 0.0
	for i := 0; i < m.n; i++ {
		t += m.data[i*m.n+i]
	}
	return t
}

func (m *matrix) normalise() {
	largest := 0.0
	for _, x := range m.data {
		largest = max(largest, math.Abs(x))
	}
	if largest > 0 {
		for i := range m.data {
			m.data[i] /= largest
		}
	}
}

func scale() int {
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil {
			panic(err)
		}
		return n
	}
	return 400
}

func main() {
	n := scale()
	a := random(n, 7)
	c := random(n, 11)
	for round := range 4 {
		c = a.multiply(c)
		c.normalise()
		fmt.Printf("round %d trace %.9f\n", round, c.trace())
	}
	checksum := 0.0
	for i, x := range c.data {
		checksum += x * (float64(i%7) + 1.0)
	}
	fmt.Printf("n %d checksum %.9f\n", n, checksum)
}
