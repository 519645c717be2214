/*===- memref_copy.c - memrefCopy for targets without MLIR's runtime ------===*
 *
 * Part of the qopt project.
 *
 *===----------------------------------------------------------------------===*
 *
 * The object qopt-compile makes of the bundled model calls memrefCopy
 * (docs/aot.md, "Run-time dependencies"): one-shot bufferization turns the
 * copy of a tensor into the interior of its padded buffer into a memref.copy
 * to a strided view, and finalize-memref-to-llvm lowers such a copy to a call
 * to MLIR's runtime. The function lives in libmlir_c_runner_utils.so, which
 * Debian builds for the host only, so the aarch64 application of
 * test/Integration/ARM links this one instead.
 *
 * It has MLIR's signature and semantics (CRunnerUtils.h/.cpp, LLVM 22):
 *
 *   void memrefCopy(int64_t elemSize, UnrankedMemRefType<char> *src,
 *                   UnrankedMemRefType<char> *dst);
 *
 * Each argument points to {rank, descriptor}; the descriptor is the ranked
 * one, {basePtr, data, offset, sizes[rank], strides[rank]}, with offset and
 * strides in elements. Every element of src (its sizes; dst has the same
 * shape) is copied, elemSize bytes at a time, from data + (offset +
 * sum(index * stride)) * elemSize to the same index of dst; nothing is
 * copied when a size is 0, and a rank-0 memref is one element. The order of
 * the copies is row-major, as MLIR's, which matters only if the two overlap
 * (they never do here). The model needs rank 4, i8 elements, a dense source
 * and a strided destination with an offset; the code does not rely on that.
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <string.h>

/* The codegen-compatible UnrankedMemRefType of CRunnerUtils.h. */
typedef struct {
  int64_t rank;
  void *descriptor;
} UnrankedMemRef;

/* The head of StridedMemRefType<char, rank>; sizes and then strides follow
 * it, rank of each. */
typedef struct {
  char *basePtr;
  char *data;
  int64_t offset;
  int64_t sizesAndStrides[];
} StridedMemRefHead;

void memrefCopy(int64_t elemSize, UnrankedMemRef *src, UnrankedMemRef *dst);

/* Copies the elements whose indices before `axis` are fixed (they put the
 * first element at srcPtr and dstPtr), recursing over the later axes. */
static void copyAxis(int64_t elemSize, int64_t rank, int64_t axis,
                     const int64_t *sizes, const int64_t *srcStrides,
                     const int64_t *dstStrides, const char *srcPtr,
                     char *dstPtr) {
  if (axis == rank) {
    memcpy(dstPtr, srcPtr, (size_t)elemSize);
    return;
  }
  for (int64_t i = 0; i < sizes[axis]; ++i)
    copyAxis(elemSize, rank, axis + 1, sizes, srcStrides, dstStrides,
             srcPtr + i * srcStrides[axis] * elemSize,
             dstPtr + i * dstStrides[axis] * elemSize);
}

void memrefCopy(int64_t elemSize, UnrankedMemRef *src, UnrankedMemRef *dst) {
  const StridedMemRefHead *from = (const StridedMemRefHead *)src->descriptor;
  const StridedMemRefHead *to = (const StridedMemRefHead *)dst->descriptor;
  int64_t rank = src->rank;
  /* A rank-0 descriptor ends after offset: read no sizes or strides. */
  const int64_t *sizes = rank == 0 ? NULL : from->sizesAndStrides;
  const int64_t *srcStrides = rank == 0 ? NULL : from->sizesAndStrides + rank;
  const int64_t *dstStrides = rank == 0 ? NULL : to->sizesAndStrides + rank;
  copyAxis(elemSize, rank, 0, sizes, srcStrides, dstStrides,
           from->data + from->offset * elemSize,
           to->data + to->offset * elemSize);
}
