package cmd

import (
	"strings"
	"testing"
)

func TestCodegenCommand(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code ExitCode
		has  []string // substrings of stdout (or stderr on an error)
	}{
		{"numpy default", []string{"codegen", "||X w - y||^2 + lambda ||w||^2"}, ExitOK,
			[]string{"import numpy as np", "def f(X, w, y, lambda_):", "# d/dw = 2 X^T (X w - y) + 2 lambda w", "return value, (grad_X, grad_w, grad_y, grad_lambda_)"}},
		{"torch", []string{"codegen", "--lang", "torch", "--wrt", "x", "x^T A x"}, ExitOK,
			[]string{"import torch", "def f(x, A):", "return value, (grad_x,)"}},
		{"eigen hessian", []string{"codegen", "--lang", "eigen", "--hessian", "x", "--name", "quad", "x^T A x"}, ExitOK,
			[]string{"#include <Eigen/Dense>", "struct quad_result {", "Eigen::MatrixXd hessian_x;", "inline quad_result quad(const Eigen::VectorXd& x, const Eigen::MatrixXd& A)"}},
		{"declarations", []string{"codegen", "--sym", "S", "--wrt", "x", "x^T S x"}, ExitOK, []string{"# Variables: x: vector of m entries, S: symmetric m×m"}},
		{"check", []string{"codegen", "--check", "x^T x"}, ExitOK, []string{`if __name__ == "__main__":`}},
		{"unknown language", []string{"codegen", "--lang", "julia", "x^T x"}, ExitUsage, []string{"must be one of numpy, torch, eigen"}},
		{"bad name", []string{"codegen", "--name", "def", "x^T x"}, ExitUsage, []string{"--name"}},
		{"shape error", []string{"codegen", "x A"}, ExitInvalid, []string{"shape error"}},
		{"matrix expression", []string{"codegen", "A B"}, ExitInvalid, []string{"is a matrix"}},
		{"unknown wrt", []string{"codegen", "--wrt", "z", "x^T x"}, ExitInvalid, []string{"z does not occur"}},
		{"jacobians by default", []string{"codegen", "tanh(W x + b)"}, ExitOK, []string{"def f(W, x, b):", "return value, (grad_x, grad_b)"}},
		{"jacobian by a matrix", []string{"codegen", "--wrt", "A", "A x"}, ExitInvalid, []string{"Jacobian of a vector by the matrix A"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := run("", c.args...)
			if ExitCode(code) != c.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", code, c.code, out, errOut)
			}
			text := out
			if c.code != ExitOK {
				text = errOut
			}
			for _, h := range c.has {
				if !strings.Contains(text, h) {
					t.Errorf("output lacks %q:\n%s", h, text)
				}
			}
		})
	}
}
