// The tokenizer pipeline, as a Go programmer would write it: the same lines, tokens,
// folding and report as tokenizer.gust.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

type kind uint8

const (
	ident kind = iota
	keyword
	number
	op
)

type token struct {
	kind kind
	text string // ident, keyword
	num  uint64 // number
	op   byte   // op
}

var names = [8]string{"alpha", "beta", "gamma", "delta", "count", "total", "x", "y_2"}
var ops = [6]string{" + ", " - ", " * ", " == ", " < ", ", "}

func next(state *uint64) uint64 {
	*state = *state*6364136223846793005 + 1442695040888963407
	return *state >> 33
}

func makeLine(state *uint64) string {
	var b strings.Builder
	switch next(state) % 3 {
	case 0:
		b.WriteString("let ")
	case 1:
		b.WriteString("return ")
	default:
		b.WriteString("if ")
	}
	terms := 2 + int(next(state)%6)
	for t := range terms {
		if t > 0 {
			b.WriteString(ops[next(state)%6])
		}
		r := next(state)
		if r%2 == 0 {
			b.WriteString(names[r%8])
		} else {
			b.WriteString(strconv.FormatUint(r%1000, 10))
		}
	}
	b.WriteByte(';')
	return b.String()
}

func isKeyword(word string) bool {
	switch word {
	case "let", "return", "if", "else", "fn":
		return true
	}
	return false
}

func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func tokenize(line string) []token {
	var tokens []token
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ':
			i++
		case isWordStart(c):
			start := i
			for i < len(line) && (isWordStart(line[i]) || isDigit(line[i])) {
				i++
			}
			word := line[start:i]
			if isKeyword(word) {
				tokens = append(tokens, token{kind: keyword, text: word})
			} else {
				tokens = append(tokens, token{kind: ident, text: word})
			}
		case isDigit(c):
			var value uint64
			for i < len(line) && isDigit(line[i]) {
				value = value*10 + uint64(line[i]-'0')
				i++
			}
			tokens = append(tokens, token{kind: number, num: value})
		default:
			tokens = append(tokens, token{kind: op, op: c})
			i++
		}
	}
	return tokens
}

// fold joins two numbers around `+` or `*` into one and drops `,` and `;`, in place.
func fold(tokens []token) []token {
	out := tokens[:0]
	for _, tok := range tokens {
		switch {
		case tok.kind == op && (tok.op == ',' || tok.op == ';'):
			continue
		case tok.kind == number:
			n := len(out)
			if n >= 2 && out[n-2].kind == number && out[n-1].kind == op {
				a, b := out[n-2].num, tok.num
				switch out[n-1].op {
				case '+':
					out = append(out[:n-2], token{kind: number, num: a + b})
					continue
				case '*':
					out = append(out[:n-2], token{kind: number, num: (a * b) % 1_000_003})
					continue
				}
			}
		}
		out = append(out, tok)
	}
	return out
}

func render(tokens []token, out []byte) []byte {
	for i, tok := range tokens {
		if i > 0 {
			out = append(out, ' ')
		}
		switch tok.kind {
		case ident:
			out = append(out, tok.text...)
		case keyword:
			out = append(out, strings.ToUpper(tok.text)...)
		case number:
			out = strconv.AppendUint(out, tok.num, 10)
		case op:
			out = append(out, tok.op)
		}
	}
	return out
}

func scale() int {
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil {
			panic(err)
		}
		return n
	}
	return 200_000
}

func main() {
	lines := scale()
	state := uint64(3)
	var idents, numbers, opCount int
	hash := uint64(14695981039346656037)
	var out []byte
	var sample string
	for l := range lines {
		tokens := fold(tokenize(makeLine(&state)))
		for _, tok := range tokens {
			switch tok.kind {
			case ident, keyword:
				idents++
			case number:
				numbers++
			case op:
				opCount++
			}
		}
		out = render(tokens, out[:0])
		for _, b := range out {
			hash = (hash ^ uint64(b)) * 1099511628211
		}
		if l == lines/2 {
			sample = string(out)
		}
	}
	fmt.Printf("lines %d idents %d numbers %d ops %d\n", lines, idents, numbers, opCount)
	fmt.Printf("sample %s\n", sample)
	fmt.Printf("hash %d\n", hash)
}
