// Package linalg is mt2st's float32 matrix multiply: the GEMM under the
// LSTM op and other hot loops, and an adapter that lets Gorgonia's own
// MatMul use it.
//
// All matrices are row-major, as in gonum's blas: element (i, j) of a matrix
// stored in s with leading dimension ld is s[i*ld+j].
//
// The default build is pure Go (CGO_ENABLED=0 works): a blocked GEMM that packs
// its operands into panels and runs a register-blocked micro-kernel on them,
// written in Go assembly for amd64 (8×32 with AVX-512 when the CPU has it,
// else 6×16 with AVX2+FMA; GODEBUG=cpu.avx512f=off forces the latter), and
// that splits large products over GOMAXPROCS goroutines. Other CPUs use
// gonum's Sgemm. Built with the tag openblas,
// [Sgemm] calls cblas_sgemm from the system OpenBLAS instead (Debian:
// apt-get install -y libopenblas-dev); set OPENBLAS_NUM_THREADS to choose its
// thread count.
//
// Repeated products with the same right-hand operand (an LSTM's recurrent
// weights at every time step) can pack it once with [PackedB] and multiply
// with [SgemmPacked].
//
// [Sgemm] and [SgemmPacked] follow BLAS conventions: arguments that break the
// documented contract (negative sizes, short slices, leading dimensions too
// small) are programmer errors and panic with a message naming the argument,
// as slice indexing would; they never fail on valid input.
package linalg
