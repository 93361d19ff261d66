// The particle simulation, as a Go programmer would write it: the same world, steps and
// report as simulation.gust.
package main

import (
	"fmt"
	"os"
	"slices"
	"strconv"
)

const (
	size  = 1 << 20
	cells = 64
)

type particle struct {
	x, y, vx, vy, energy int64
}

type world struct {
	particles     []particle
	grid          []uint32
	state         uint64
	spawned, died uint64
}

func newWorld(count int) *world {
	w := &world{
		particles: make([]particle, 0, count),
		grid:      make([]uint32, cells*cells),
		state:     17,
	}
	for range count {
		w.particles = append(w.particles, w.spawn())
	}
	return w
}

func (w *world) next() uint64 {
	w.state = w.state*6364136223846793005 + 1442695040888963407
	return w.state >> 33
}

func (w *world) spawn() particle {
	w.spawned++
	return particle{
		x:      int64(w.next() % size),
		y:      int64(w.next() % size),
		vx:     int64(w.next()%8192) - 4096,
		vy:     int64(w.next()%8192) - 4096,
		energy: 1000 + int64(w.next()%1000),
	}
}

func cell(p *particle) int {
	cx := int(p.x * cells / size)
	cy := int(p.y * cells / size)
	return cy*cells + cx
}

func (w *world) step() {
	for i := range w.particles {
		p := &w.particles[i]
		p.x += p.vx
		p.y += p.vy
		if p.x < 0 || p.x >= size {
			p.vx = -p.vx
			p.x = min(max(p.x, 0), size-1)
			p.energy -= 5
		}
		if p.y < 0 || p.y >= size {
			p.vy = -p.vy
			p.y = min(max(p.y, 0), size-1)
			p.energy -= 5
		}
	}
	clear(w.grid)
	for i := range w.particles {
		w.grid[cell(&w.particles[i])]++
	}
	for i := range w.particles {
		p := &w.particles[i]
		p.energy -= int64(w.grid[cell(p)])
	}
	before := len(w.particles)
	w.particles = slices.DeleteFunc(w.particles, func(p particle) bool { return p.energy <= 0 })
	dead := before - len(w.particles)
	w.died += uint64(dead)
	for range dead {
		w.particles = append(w.particles, w.spawn())
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
	steps := scale()
	w := newWorld(20_000)
	for range steps {
		w.step()
	}
	var checksum uint64
	for i, p := range w.particles {
		h := uint64(p.x ^ (p.y << 20) ^ (p.energy << 40))
		checksum += h * uint64(i+1)
	}
	fmt.Printf("steps %d alive %d\n", steps, len(w.particles))
	fmt.Printf("spawned %d died %d\n", w.spawned, w.died)
	fmt.Printf("checksum %d\n", checksum)
}
