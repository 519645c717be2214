//===- kernel_abi.h - How the harness calls qopt-compiled code ------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// MLIR's C interface (llvm.emit_c_interface): every memref argument is passed
// as a pointer to its descriptor, and a returned memref through a descriptor
// pointer in the first argument; gen_kernels.py declares them with void *.
// The result buffer is malloc'ed by the callee; the caller frees `allocated`.
// A layer kernel's only argument is its input: its weights and bias are
// constants in the kernel, as in a compiled model. (The whole-model cell is
// compiled by qopt-compile instead, with the flat calling convention of
// docs/aot.md, declared by the header it writes.)
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_BENCH_KERNEL_ABI_H
#define QOPT_BENCH_KERNEL_ABI_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>

/// A memref descriptor of any rank up to 4, laid out as MLIR's
/// {allocated, aligned, offset, sizes[rank], strides[rank]}: the strides
/// start right after the rank sizes.
struct MemRefDesc {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t sizesAndStrides[8];

  /// A contiguous row-major buffer of the given shape.
  static MemRefDesc contiguous(void *data,
                               std::initializer_list<int64_t> shape) {
    MemRefDesc d{data, data, 0, {}};
    int rank = static_cast<int>(shape.size());
    int64_t stride = 1;
    for (int i = rank - 1; i >= 0; --i) {
      d.sizesAndStrides[i] = shape.begin()[i];
      d.sizesAndStrides[rank + i] = stride;
      stride *= shape.begin()[i];
    }
    return d;
  }
};

/// The C interface of a generated layer (result, input).
using LayerKernel = void (*)(void *, void *);

/// One benchmark layer: an NHWC convolution of one image with u8 input, s8
/// weights (OHWI, or 1HWO for depthwise; a GEMM's [N][K] is OHWI with a 1x1
/// window), stride 1, padding with the input zero point, int32 bias and
/// per-channel requantization to u8. A GEMM M x N x K is a 1x1 convolution
/// over an M x 1 image with K channels and N filters. The qopt kernel holds
/// the weights and bias the harness draws for the layer (gen_kernels.py
/// replays its xorshift64 sequence).
struct Layer {
  enum Kind { FullyConnected, Conv, Depthwise };
  const char *name;
  Kind kind;
  int h, w, c, o, kh, kw, pad, stride;
  LayerKernel qopt;
  const double *weightScales;
  const int32_t *m0;
  const int32_t *shift;

  int outH() const { return (h + 2 * pad - kh) / stride + 1; }
  int outW() const { return (w + 2 * pad - kw) / stride + 1; }
  /// Multiply-adds per output value.
  int depth() const { return kh * kw * (kind == Depthwise ? 1 : c); }
  long weightCount() const { return long(o) * depth(); }
  double ops() const { return 2.0 * outH() * outW() * o * depth(); }
};

/// A whole model compiled by qopt-compile (docs/aot.md: one float input,
/// one float output) and, for a real network, its layer shapes among the
/// harness's cells: `cells[i]` indexes kLayers, occurring `counts[i]` times.
struct Model {
  const char *name;
  /// Its function name, and the stem of its files in the work directory.
  const char *function;
  double ops;
  void (*call)(const float *, float *);
  std::size_t inputElements, outputElements;
  const int *cells;
  const int *counts;
  int numCells;
};

#endif // QOPT_BENCH_KERNEL_ABI_H
