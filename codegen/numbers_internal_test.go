package codegen

import (
	"math/big"
	"strconv"
	"testing"
)

// TestNumberLiterals: constants print as exact literals of each language,
// with an exponent where a decimal would begin with many zeros.
func TestNumberLiterals(t *testing.T) {
	for _, tt := range []struct {
		v       *big.Rat
		py, cpp string
		numeric bool // the literal parses as a float to the value
	}{
		{big.NewRat(5, 1), "5", "5.0", true},
		{big.NewRat(1, 4), "0.25", "0.25", true},
		{big.NewRat(-3, 2), "-1.5", "-1.5", true},
		{big.NewRat(1, 3), "1 / 3", "1.0 / 3.0", false},
		{big.NewRat(2, 100000000), "2e-8", "2e-8", true},
		{big.NewRat(123, 10000000000), "1.23e-8", "1.23e-8", true},
		{big.NewRat(-3, 1000000), "-3e-6", "-3e-6", true},
		{big.NewRat(1, 10000000000000), "1e-13", "1e-13", true},
		{big.NewRat(1, 10000), "0.0001", "0.0001", true},
	} {
		if got := pyNumber(tt.v).s; got != tt.py {
			t.Errorf("pyNumber(%s) = %s, want %s", tt.v, got, tt.py)
		}
		if got := cppNumber(tt.v).s; got != tt.cpp {
			t.Errorf("cppNumber(%s) = %s, want %s", tt.v, got, tt.cpp)
		}
		if tt.numeric {
			f, err := strconv.ParseFloat(tt.py, 64)
			want, _ := tt.v.Float64()
			if err != nil || f != want {
				t.Errorf("%s reads as %v, want %v", tt.py, f, want)
			}
		}
	}
}
