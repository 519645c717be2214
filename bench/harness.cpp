//===- harness.cpp - qopt-compiled layers against int8 libraries ----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Times every layer of gen_kernels.py with qopt's AOT-compiled code,
// gemmlowp, oneDNN and XNNPACK on the same data and the same quantization
// (u8 activations with a zero point, s8 per-channel weights, int32 bias,
// per-channel requantization to 8 bits), after checking each result against
// a scalar reference of the qnn.int contraction + qnn.int.rescale. Then, when
// gen_kernels.py selected it, the whole bundled model compiled by
// qopt-compile, on WORK_DIR/model.input.npy, checked bit for bit against the
// reference interpreter's WORK_DIR/model.ref.npy (the library peers have no
// model: their cells say so). A layer's cells are timed side by side (at
// more than one thread: qopt's kernel and its 1-thread kernel, then each
// library alone; docs/performance.md, Method). Also measures the vpdpbusd
// (and AMX) peak and, built for the parallel kernels, a fork and join of
// qopt's runtime and of OpenMP's. Usage: harness WORK_DIR THREADS; it
// writes WORK_DIR/results-<THREADS>.tsv and the data the PyTorch cells
// reuse.
//
//===----------------------------------------------------------------------===//

#include "kernels.h"
#ifdef QOPT_BENCH_PARALLEL
#include "qopt/Runtime/ParallelRuntime.h"
#endif

#include <dnnl.hpp>
#include <gemmlowp/public/gemmlowp.h>
#include <immintrin.h>
#include <malloc.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xnnpack.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Seconds per call, and the calls timed.
struct Timing {
  double seconds;
  long calls;
};

/// A cell to time: runs its call the given number of times.
using Calls = std::function<void(long)>;

template <typename F> Calls repeatedly(F call) {
  return [call](long n) mutable {
    for (long i = 0; i < n; ++i)
      call();
  };
}

/// The repeats of a timing: the median of this many.
constexpr int kRounds = 5;

/// Seconds per call of each cell, timed side by side. Each cell is sized
/// alone: one warm-up call, then repeats of enough calls to take ~0.1 s
/// (3 repeats of one call if a call takes longer than 0.5 s). Then every
/// round runs one repeat of each cell in turn, and each cell's figure is
/// the median of its repeats. The machine's speed moves within seconds (the
/// clock follows the load of the other core), so cells timed one after the
/// other saw different machines; interleaved, a change reaches every cell
/// of a round alike and their ratio holds (docs/performance.md, Method).
std::vector<Timing> timeInterleaved(const std::vector<Calls> &cells) {
  struct Plan {
    long perRepeat;
    int repeats;
    std::vector<double> samples;
  };
  std::vector<Plan> plans;
  for (const Calls &run : cells) {
    run(1);
    // The repeats are sized from the fastest of three calls: one call
    // slowed by another process must not shrink a whole cell to a few calls.
    double once = 1e30;
    for (int i = 0; i < 3; ++i) {
      auto start = Clock::now();
      run(1);
      once = std::min(once, secondsSince(start));
    }
    plans.push_back({std::max(1L, static_cast<long>(0.1 / once)),
                     once > 0.5 ? 3 : kRounds,
                     {}});
  }
  for (int round = 0; round < kRounds; ++round)
    for (size_t i = 0; i < cells.size(); ++i) {
      Plan &plan = plans[i];
      if (round >= plan.repeats)
        continue;
      // Untimed: the cell before left its own data in the caches, which a
      // cell timed alone would find warm with its own.
      cells[i](1);
      auto start = Clock::now();
      cells[i](plan.perRepeat);
      plan.samples.push_back(secondsSince(start) / plan.perRepeat);
    }
  std::vector<Timing> timings;
  for (Plan &plan : plans) {
    std::sort(plan.samples.begin(), plan.samples.end());
    timings.push_back(
        {plan.samples[plan.samples.size() / 2], plan.perRepeat * plan.repeats});
  }
  return timings;
}

template <typename F> Timing timeCalls(F &&call) {
  return timeInterleaved({repeatedly(std::forward<F>(call))})[0];
}

/// Int8 peak of one core: vpdpbusd zmm on independent accumulators, enough of
/// them to cover the instruction's latency on both of Zen 5's VNNI pipes.
/// Each instruction does 64 u8 x s8 multiply-adds, 128 ops.
__attribute__((target("avx512f,avx512vnni"))) double measurePeakGops() {
  constexpr int kAcc = 24;
  constexpr long kIters = 20'000'000;
  __m512i a = _mm512_set1_epi8(1), b = _mm512_set1_epi8(2);
  __m512i acc[kAcc];
  for (auto &v : acc)
    v = _mm512_setzero_si512();
  auto start = Clock::now();
  for (long i = 0; i < kIters; ++i) {
    for (int j = 0; j < kAcc; ++j)
      acc[j] = _mm512_dpbusd_epi32(acc[j], a, b);
    // An empty asm that claims to change `a` keeps the loop from being
    // folded into a multiplication.
    asm volatile("" : "+v"(a));
  }
  double seconds = secondsSince(start);
  __m512i sum = acc[0];
  for (int j = 1; j < kAcc; ++j)
    sum = _mm512_add_epi32(sum, acc[j]);
  volatile int sink = _mm512_reduce_add_epi32(sum);
  (void)sink;
  return 128.0 * kAcc * kIters / seconds / 1e9;
}

/// Whether this CPU has AMX-INT8 and Linux lets this process use its tile
/// data (permission asked for once, for the whole process).
bool enableAmx() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  bool listed = false;
  while (!listed && std::getline(cpuinfo, line))
    listed = line.rfind("flags", 0) == 0 &&
             line.find(" amx_int8") != std::string::npos &&
             line.find(" amx_tile") != std::string::npos;
  constexpr long kArchReqXcompPerm = 0x1023, kXfeatureXtiledata = 18;
  return listed && syscall(SYS_arch_prctl, kArchReqXcompPerm,
                           kXfeatureXtiledata) == 0;
}

/// The AMX tile configuration of palette 1 (Intel SDM, LDTILECFG).
struct alignas(64) TileConfig {
  uint8_t palette = 1;
  uint8_t startRow = 0;
  uint8_t reserved[14] = {};
  uint16_t bytesPerRow[16] = {};
  uint8_t rows[16] = {};
};

/// Int8 peak of one core on AMX, which oneDNN uses where the CPU has it:
/// tdpbusd into four independent 16x16 i32 tiles from two A and two B
/// tiles, each instruction 16 x 16 x 64 u8 x s8 multiply-adds, 32768 ops.
__attribute__((target("amx-tile,amx-int8"))) double measureAmxPeakGops() {
  TileConfig config;
  for (int t = 0; t < 8; ++t) {
    config.rows[t] = 16;
    config.bytesPerRow[t] = 64;
  }
  _tile_loadconfig(&config);
  alignas(64) static int8_t operand[16 * 64];
  std::fill(std::begin(operand), std::end(operand), 1);
  alignas(64) static int32_t result[16 * 16];
  _tile_loadd(4, operand, 64);
  _tile_loadd(5, operand, 64);
  _tile_loadd(6, operand, 64);
  _tile_loadd(7, operand, 64);
  _tile_zero(0);
  _tile_zero(1);
  _tile_zero(2);
  _tile_zero(3);
  constexpr long kIters = 2'000'000;
  auto start = Clock::now();
  for (long i = 0; i < kIters; ++i) {
    _tile_dpbusd(0, 4, 6);
    _tile_dpbusd(1, 4, 7);
    _tile_dpbusd(2, 5, 6);
    _tile_dpbusd(3, 5, 7);
  }
  double seconds = secondsSince(start);
  _tile_stored(0, result, 64);
  _tile_release();
  volatile int32_t sink = result[0];
  (void)sink;
  return 32768.0 * 4 * kIters / seconds / 1e9;
}

/// gemmlowp's SaturatingRoundingDoublingHighMul then RoundingDivideByPOT:
/// qnn.int.rescale with double rounding (docs/design.md), for shift <= 0.
int32_t multiplyByQuantizedMultiplier(int32_t x, int32_t m0, int shift) {
  int64_t ab = static_cast<int64_t>(x) * m0;
  int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  int32_t high = (x == INT32_MIN && m0 == INT32_MIN)
                     ? INT32_MAX
                     : static_cast<int32_t>((ab + nudge) / (1LL << 31));
  int exponent = -shift;
  int32_t mask = static_cast<int32_t>((int64_t(1) << exponent) - 1);
  int32_t remainder = high & mask;
  int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  return (high >> exponent) + (remainder > threshold ? 1 : 0);
}

/// Every peer's buffers start on a cache line, as a deployment's tensors
/// would: std::vector's 16-byte alignment makes rows of 64 bytes straddle
/// two lines, which cost AMX tile loads about 10% on some layers.
template <class T> struct CacheLineAllocator {
  using value_type = T;
  static constexpr size_t kAlignment = 64;
  CacheLineAllocator() = default;
  template <class U> CacheLineAllocator(const CacheLineAllocator<U> &) {}
  T *allocate(size_t n) {
    size_t bytes = (n * sizeof(T) + kAlignment - 1) / kAlignment * kAlignment;
    void *data = std::aligned_alloc(kAlignment, std::max(bytes, kAlignment));
    if (!data)
      throw std::bad_alloc();
    return static_cast<T *>(data);
  }
  void deallocate(T *data, size_t) { std::free(data); }
  template <class U> bool operator==(const CacheLineAllocator<U> &) const {
    return true;
  }
  template <class U> bool operator!=(const CacheLineAllocator<U> &) const {
    return false;
  }
};
template <class T> using Buffer = std::vector<T, CacheLineAllocator<T>>;

/// The benchmark's data for one layer, deterministic (xorshift64), and the
/// reference result.
struct Problem {
  const Layer &layer;
  Buffer<uint8_t> x; // [H][W][C]
  Buffer<int8_t> w;  // OHWI, or 1HWO for depthwise; in [-127, 127]
  Buffer<int32_t> bias;
  Buffer<uint8_t> reference; // [OH][OW][O]

  explicit Problem(const Layer &l) : layer(l) {
    uint64_t state = 0x9E3779B97F4A7C15ULL ^ (l.h * 131 + l.o * 17 + l.c);
    auto next = [&] {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state;
    };
    x.resize(size_t(l.h) * l.w * l.c);
    w.resize(l.weightCount());
    bias.resize(l.o);
    for (auto &v : x)
      v = next() & 0xFF;
    for (auto &v : w)
      v = static_cast<int8_t>(static_cast<int>(next() % 255) - 127);
    for (auto &v : bias)
      v = static_cast<int32_t>(next() % 40001) - 20000;
    computeReference();
  }

  // Padded taps hold the input zero point and contribute nothing, so they
  // are skipped (docs/design.md, zero-point expansion).
  void computeReference() {
    const Layer &l = layer;
    reference.resize(size_t(l.outH()) * l.outW() * l.o);
    uint8_t *y = reference.data();
    for (int oy = 0; oy < l.outH(); ++oy)
      for (int ox = 0; ox < l.outW(); ++ox)
        for (int oc = 0; oc < l.o; ++oc) {
          int32_t acc = bias[oc];
          for (int ky = 0; ky < l.kh; ++ky)
            for (int kx = 0; kx < l.kw; ++kx) {
              int iy = oy * l.stride + ky - l.pad;
              int ix = ox * l.stride + kx - l.pad;
              if (iy < 0 || iy >= l.h || ix < 0 || ix >= l.w)
                continue;
              const uint8_t *xp = &x[(size_t(iy) * l.w + ix) * l.c];
              if (l.kind == Layer::Depthwise) {
                acc += (xp[oc] - kInputZp) * w[(ky * l.kw + kx) * l.o + oc];
                continue;
              }
              const int8_t *wp =
                  &w[((size_t(oc) * l.kh + ky) * l.kw + kx) * l.c];
              for (int ic = 0; ic < l.c; ++ic)
                acc += (xp[ic] - kInputZp) * wp[ic];
            }
          int32_t q =
              multiplyByQuantizedMultiplier(acc, l.m0[oc], l.shift[oc]) +
              kOutputZp;
          *y++ = std::clamp(q, 0, 255);
        }
  }

  double realMultiplier(int c) const {
    return kInputScale * layer.weightScales[c] / kOutputScale;
  }
};

/// How far a peer's u8 result is from the reference.
struct Diff {
  long mismatches = 0;
  int maxAbs = 0;
};

Diff compare(const uint8_t *got, const Buffer<uint8_t> &ref) {
  Diff d;
  for (size_t i = 0; i < ref.size(); ++i) {
    int delta = std::abs(int(got[i]) - int(ref[i]));
    d.mismatches += delta != 0;
    d.maxAbs = std::max(d.maxAbs, delta);
  }
  return d;
}

//===----------------------------------------------------------------------===//
// The cells. Each sets itself up once (weights packed as a user would) and
// then runs the whole layer, bias and requantization included, writing
// `out` in the reference's layout.
//===----------------------------------------------------------------------===//

/// The kernel holds p.w and p.bias as constants (gen_kernels.py), as a layer
/// of a compiled model does; it takes the unpadded input only.
struct QoptCell {
  const Problem &p;
  LayerKernel kernel;
  MemRefDesc x;
  Buffer<uint8_t> out;

  QoptCell(const Problem &p, LayerKernel kernel)
      : p(p), kernel(kernel), out(p.reference.size()) {
    const Layer &l = p.layer;
    auto *xData = const_cast<uint8_t *>(p.x.data());
    x = l.kind == Layer::FullyConnected
            ? MemRefDesc::contiguous(xData, {l.h, l.c})
            : MemRefDesc::contiguous(xData, {1, l.h, l.w, l.c});
  }

  // The compiled function allocates its (contiguous) result; freeing it is
  // part of the call, as it would be for a user.
  void run(bool keep = false) {
    MemRefDesc result;
    kernel(&result, &x);
    if (keep)
      std::copy_n(static_cast<uint8_t *>(result.aligned) + result.offset,
                  out.size(), out.data());
    free(result.allocated);
  }
};

/// gemmlowp is a GEMM library: convolutions go through im2col (padding with
/// the input zero point) inside the timed call, as TFLite does; it has no
/// depthwise convolution.
struct GemmlowpCell {
  const Problem &p;
  Buffer<uint8_t> wPlus128, patches, out;
  gemmlowp::GemmContext context;

  GemmlowpCell(const Problem &p, int threads)
      : p(p), wPlus128(p.w.size()), out(p.reference.size()) {
    // gemmlowp multiplies uint8 by uint8 with offsets: w + 128 with
    // rhs_offset -128 is exactly the s8 weight.
    for (size_t i = 0; i < p.w.size(); ++i)
      wPlus128[i] = static_cast<uint8_t>(p.w[i] + 128);
    context.set_max_num_threads(threads);
  }

  static bool supports(const Layer &l) { return l.kind != Layer::Depthwise; }

  const uint8_t *im2col() {
    const Layer &l = p.layer;
    if (l.kh == 1 && l.kw == 1 && l.pad == 0 && l.stride == 1)
      return p.x.data();
    patches.assign(size_t(l.outH()) * l.outW() * l.depth(), kInputZp);
    uint8_t *row = patches.data();
    for (int oy = 0; oy < l.outH(); ++oy)
      for (int ox = 0; ox < l.outW(); ++ox)
        for (int ky = 0; ky < l.kh; ++ky)
          for (int kx = 0; kx < l.kw; ++kx, row += l.c) {
            int iy = oy * l.stride + ky - l.pad;
            int ix = ox * l.stride + kx - l.pad;
            if (iy >= 0 && iy < l.h && ix >= 0 && ix < l.w)
              std::copy_n(&p.x[(size_t(iy) * l.w + ix) * l.c], l.c, row);
          }
    return patches.data();
  }

  void run() {
    const Layer &l = p.layer;
    int m = l.outH() * l.outW(), n = l.o, k = l.depth();
    using RowVector =
        gemmlowp::VectorMap<const int32_t, gemmlowp::VectorShape::Row>;
    gemmlowp::MatrixMap<const uint8_t, gemmlowp::MapOrder::RowMajor> lhs(
        im2col(), m, k);
    gemmlowp::MatrixMap<const uint8_t, gemmlowp::MapOrder::ColMajor> rhs(
        wPlus128.data(), k, n);
    gemmlowp::MatrixMap<uint8_t, gemmlowp::MapOrder::RowMajor> result(
        out.data(), m, n);
    gemmlowp::OutputStageBiasAddition<RowVector> biasStage{
        RowVector(p.bias.data(), n)};
    gemmlowp::OutputStageScaleInt32ByFixedPointAndExponentPC<
        gemmlowp::VectorShape::Row>
        scaleStage{RowVector(l.m0, n), RowVector(l.shift, n), kOutputZp};
    auto pipeline = std::make_tuple(
        biasStage, scaleStage, gemmlowp::OutputStageSaturatingCastToUint8());
    gemmlowp::GemmWithOutputPipeline<uint8_t, uint8_t,
                                     gemmlowp::DefaultL8R8BitDepthParams>(
        &context, lhs, rhs, &result, -kInputZp, -128, pipeline);
  }
};

/// oneDNN 2.x int8: dst = scale[o] * (sum (x - src_zp) w + bias[o]) + dst_zp,
/// the scale a float, rounded to nearest even and saturated. GEMMs use
/// matmul, convolutions convolution_forward (groups for depthwise).
struct OneDnnCell {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  dnnl::primitive primitive;
  std::unordered_map<int, dnnl::memory> args;
  Buffer<uint8_t> out;
  std::string impl;

  explicit OneDnnCell(const Problem &p) : out(p.reference.size()) {
    using dt = dnnl::memory::data_type;
    using tag = dnnl::memory::format_tag;
    using dims = dnnl::memory::dims;
    const Layer &l = p.layer;
    std::vector<float> scales(l.o);
    for (int c = 0; c < l.o; ++c)
      scales[c] = static_cast<float>(p.realMultiplier(c));
    dnnl::primitive_attr attr;
    attr.set_output_scales(1 << 1, scales);
    attr.set_zero_points(DNNL_ARG_SRC, 0, {kInputZp});
    attr.set_zero_points(DNNL_ARG_DST, 0, {kOutputZp});

    // The user's weights, described by strides; the primitive chooses its
    // own layout (any) and they are reordered to it once.
    dims wDims, wStrides;
    dnnl::memory::desc xDesc, yDesc, biasDesc;
    if (l.kind == Layer::FullyConnected) {
      xDesc = {{l.h, l.c}, dt::u8, tag::ab};
      yDesc = {{l.h, l.o}, dt::u8, tag::ab};
      biasDesc = {{1, l.o}, dt::s32, tag::ab};
      wDims = {l.c, l.o}; // [N][K] is K x N column-major.
      wStrides = {1, l.c};
    } else {
      xDesc = {{1, l.c, l.h, l.w}, dt::u8, tag::nhwc};
      yDesc = {{1, l.o, l.outH(), l.outW()}, dt::u8, tag::nhwc};
      biasDesc = {{l.o}, dt::s32, tag::a};
      if (l.kind == Layer::Conv) { // OHWI as O x I x KH x KW.
        wDims = {l.o, l.c, l.kh, l.kw};
        wStrides = {l.kh * l.kw * l.c, 1, l.kw * l.c, l.c};
      } else { // 1HWO as G x 1 x 1 x KH x KW.
        wDims = {l.o, 1, 1, l.kh, l.kw};
        wStrides = {1, 1, 1, l.kw * l.o, l.o};
      }
    }
    dnnl::memory::desc wUserDesc(wDims, dt::s8, wStrides);
    dnnl::memory::desc wAnyDesc(wDims, dt::s8, tag::any);
    dnnl::memory::desc wDesc;
    if (l.kind == Layer::FullyConnected) {
      dnnl::matmul::primitive_desc pd(
          dnnl::matmul::desc(xDesc, wAnyDesc, biasDesc, yDesc), attr, engine);
      impl = pd.impl_info_str();
      wDesc = pd.weights_desc();
      primitive = dnnl::matmul(pd);
    } else {
      dnnl::convolution_forward::primitive_desc pd(
          dnnl::convolution_forward::desc(
              dnnl::prop_kind::forward_inference,
              dnnl::algorithm::convolution_direct, xDesc, wAnyDesc, biasDesc,
              yDesc, {l.stride, l.stride}, {l.pad, l.pad}, {l.pad, l.pad}),
          attr, engine);
      impl = pd.impl_info_str();
      wDesc = pd.weights_desc();
      primitive = dnnl::convolution_forward(pd);
    }
    dnnl::memory wUser(wUserDesc, engine, const_cast<int8_t *>(p.w.data()));
    dnnl::memory weights(wDesc, engine);
    dnnl::reorder(wUser, weights).execute(stream, wUser, weights);
    args = {{DNNL_ARG_SRC,
             dnnl::memory(xDesc, engine, const_cast<uint8_t *>(p.x.data()))},
            {DNNL_ARG_WEIGHTS, weights},
            {DNNL_ARG_BIAS, dnnl::memory(biasDesc, engine,
                                         const_cast<int32_t *>(p.bias.data()))},
            {DNNL_ARG_DST, dnnl::memory(yDesc, engine, out.data())}};
  }

  void run() {
    primitive.execute(stream, args);
    stream.wait();
  }
};

/// XNNPACK 2022 has per-channel weight scales only for signed activations
/// (qc8) and only as a convolution: a GEMM is a 1x1 convolution over an
/// M x 1 image. u8 data becomes s8 by subtracting 128 from values and zero
/// points, which leaves the real values unchanged (done once, untimed).
struct XnnpackCell {
  xnn_operator_t op = nullptr;
  pthreadpool_t pool;
  Buffer<int8_t> x, out;
  Buffer<uint8_t> outU8;
  bool ok = false;

  XnnpackCell(const Problem &p, pthreadpool_t pool)
      : pool(pool), x(p.x.size()), out(p.reference.size()),
        outU8(p.reference.size()) {
    const Layer &l = p.layer;
    for (size_t i = 0; i < p.x.size(); ++i)
      x[i] = static_cast<int8_t>(p.x[i] - 128);
    std::vector<float> weightScales(l.weightScales, l.weightScales + l.o);
    bool depthwise = l.kind == Layer::Depthwise;
    ok = xnn_create_convolution2d_nhwc_qc8(
             l.pad, l.pad, l.pad, l.pad, l.kh, l.kw, l.stride, l.stride, 1, 1,
             depthwise ? l.c : 1, depthwise ? 1 : l.c, depthwise ? 1 : l.o, l.c,
             l.o, kInputZp - 128, kInputScale, weightScales.data(), p.w.data(),
             p.bias.data(), kOutputZp - 128, kOutputScale, -128, 127,
             depthwise ? XNN_FLAG_DEPTHWISE_CONVOLUTION : 0,
             &op) == xnn_status_success &&
         xnn_setup_convolution2d_nhwc_qc8(op, 1, l.h, l.w, x.data(), out.data(),
                                          pool) == xnn_status_success;
  }
  ~XnnpackCell() { xnn_delete_operator(op); }

  void run() { xnn_run_operator(op, pool); }

  const uint8_t *result() {
    for (size_t i = 0; i < out.size(); ++i)
      outU8[i] = static_cast<uint8_t>(out[i] + 128);
    return outU8.data();
  }
};

void writeFile(const std::string &path, const void *data, size_t bytes) {
  std::ofstream(path, std::ios::binary)
      .write(static_cast<const char *>(data), bytes);
}

/// The data of a version 1 .npy file of little-endian float32 in C order (as
/// numpy.save and qopt-run write them); empty if it is not one.
std::vector<float> readNpyF32(const std::string &path) {
  std::ifstream file(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  if (bytes.size() < 10 || bytes.compare(0, 7, "\x93NUMPY\x01", 7) != 0)
    return {};
  size_t start = 10 + (uint8_t(bytes[8]) | size_t(uint8_t(bytes[9])) << 8);
  std::string header = bytes.substr(10, start - 10);
  if (start > bytes.size() || (bytes.size() - start) % 4 ||
      header.find("'descr': '<f4'") == std::string::npos ||
      header.find("'fortran_order': False") == std::string::npos)
    return {};
  std::vector<float> data((bytes.size() - start) / 4);
  std::memcpy(data.data(), bytes.data() + start, bytes.size() - start);
  return data;
}

/// How many floats differ from the reference in their bits, and the largest
/// difference in units in the last place.
Diff compareBits(const std::vector<float> &got, const std::vector<float> &ref) {
  Diff d;
  for (size_t i = 0; i < ref.size(); ++i) {
    int32_t a, b;
    std::memcpy(&a, &got[i], 4);
    std::memcpy(&b, &ref[i], 4);
    d.mismatches += a != b;
    // Sign-magnitude to a monotonic integer line.
    a = a < 0 ? INT32_MIN - a : a;
    b = b < 0 ? INT32_MIN - b : b;
    int64_t ulps = std::abs(int64_t(a) - int64_t(b));
    d.maxAbs = static_cast<int>(std::min<int64_t>(
        std::max<int64_t>(d.maxAbs, ulps), INT32_MAX));
  }
  return d;
}

/// The peak of `threads` cores, each running `measure` (a peak loop) at
/// once; the best of three.
double measurePeak(int threads, double (*measure)() = measurePeakGops) {
  double best = 0;
  for (int r = 0; r < 3; ++r) {
    std::vector<double> perThread(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&, t] { perThread[t] = measure(); });
    for (auto &worker : workers)
      worker.join();
    best = std::max(best,
                    std::accumulate(perThread.begin(), perThread.end(), 0.0));
  }
  return best;
}

} // namespace

/// What the qopt cells' notes say about threads: the harness built with
/// QOPT_BENCH_PARALLEL links kernels compiled with parallel=true (tiles on
/// the threads of qopt's runtime); otherwise a multi-thread run times single-threaded code.
#ifdef QOPT_BENCH_PARALLEL
static const char *kQoptNote(int threads) {
  return threads > 1 ? "tiles on qopt's threads" : "";
}
static const char *const kQoptModelNote = "qopt-compile --parallel";
#else
static const char *kQoptNote(int threads) {
  return threads > 1 ? "single-threaded code" : "";
}
static const char *const kQoptModelNote = "qopt-compile, single-threaded code";
#endif
#ifdef QOPT_BENCH_PARALLEL
/// Seconds per fork and join of an empty call of qopt's runtime on the
/// threads of the parallel kernels: what each of their layers pays once per
/// call, whatever its size (report.py bounds the two-thread speedup of each
/// layer with it).
static double measureForkJoin() {
  return timeCalls([] {
    qopt_parallel_run(
        [](void *, int32_t, int32_t) { asm volatile("" ::: "memory"); },
        nullptr);
  }).seconds;
}

/// The same for an empty OpenMP parallel region, what the peers that thread
/// with OpenMP (oneDNN, PyTorch) pay per parallel region.
static double measureOpenMPForkJoin() {
  return timeCalls([] {
#pragma omp parallel
    { asm volatile("" ::: "memory"); }
  }).seconds;
}
#endif

/// The peer name of qopt's layer cells summed over a network (report.py
/// reads it; no table column shows it).
static const char *const kQoptLayerSum = "qopt layer sum";
/// The peer name of qopt's 1-thread kernel in a run of more threads, timed
/// side by side with the qopt cell (report.py reads it for the speedup; no
/// table column shows it).
static const char *const kQoptOneThread = "qopt 1 thread";

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s WORK_DIR THREADS\n", argv[0]);
    return 2;
  }
  // Steady state, as in a process that runs inference after inference:
  // glibc otherwise returns large freed blocks (the compiled layers'
  // temporaries, libraries' scratch) to the system and faults them in again,
  // at a cost that depends on which cell happened to run first.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  std::string dir = argv[1];
  const int threads = std::atoi(argv[2]);
  std::FILE *tsv = std::fopen(
      (dir + "/results-" + std::to_string(threads) + ".tsv").c_str(), "w");
  if (!tsv || threads < 1)
    return 2;
  bool allExact = true;

  // One row of the results: the timing of `call`, and how its output
  // differs from the reference (computed before).
  // One row of the results, printed and written to the TSV.
  auto writeRow = [&](const char *name, const char *peer, double seconds,
                      double ops, long calls, Diff d,
                      const std::string &note) {
    std::printf("%-34s %-9s %10.3f ms %8.2f GOP/s  calls %-6ld "
                "mismatches %ld (max %d) %s\n",
                name, peer, seconds * 1e3, ops / seconds / 1e9, calls,
                d.mismatches, d.maxAbs, note.c_str());
    std::fprintf(tsv, "%s\t%s\t%.6e\t%.0f\t%ld\t%ld\t%d\t%s\n", name, peer,
                 seconds, ops, calls, d.mismatches, d.maxAbs, note.c_str());
    std::fflush(stdout);
  };
  // Before each cell of a multi-thread run, the threads of the cell before
  // go idle: libomp's workers spin for KMP_BLOCKTIME (200 ms by default)
  // after a region, XNNPACK's pthreadpool's after a run, and under
  // SCHED_FIFO a spinning thread keeps its core from the next cell's
  // threads of the same priority until it sleeps. Without the pause
  // gemmlowp, timed right after qopt's cell, ran at 67-70 GOP/s instead of
  // 162-169 on ResNet-18's 3x3/2 14x14x256->512 (two threads).
  auto pauseForSpinningThreads = [&] {
    if (threads > 1)
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
  };
  // The timing of `call`, and how its output differs from the reference
  // (computed before).
  auto reportCell = [&](const char *name, const char *peer, double ops,
                        Diff d, const std::string &note, auto &&call) {
    pauseForSpinningThreads();
    Timing t = timeCalls(call);
    writeRow(name, peer, t.seconds, ops, t.calls, d, note);
    return t;
  };
  // A figure that is not a timing of its own (a network's layer sum): 0
  // calls, its outputs not compared.
  auto reportSum = [&](const char *name, const char *peer, double seconds,
                       double ops, const std::string &note) {
    writeRow(name, peer, seconds, ops, 0, Diff{-1, -1}, note);
  };
  // A peer that cannot run a cell: report.py prints `why` in its place.
  auto reportNotRun = [&](const char *name, const char *peer,
                          const std::string &why) {
    std::printf("%-34s %-9s not run: %s\n", name, peer, why.c_str());
    std::fprintf(tsv, "%s\t%s\tnan\t0\t-1\t-1\t-1\t%s\n", name, peer,
                 why.c_str());
  };
  // The library peers' time per layer cell, for the networks' sums.
  std::map<std::pair<int, std::string>, double> layerSeconds;

  double peak = measurePeak(threads);
  std::printf("vpdpbusd zmm peak, %d thread(s): %.1f GOP/s\n", threads, peak);
  // This CPU's int8 peak is AMX's where it has AMX (oneDNN's kernels use it;
  // qopt's do not yet).
  const bool amx = enableAmx();
  double amxPeak = amx ? measurePeak(threads, measureAmxPeakGops) : 0;
  if (amx)
    std::printf("AMX tdpbusd peak, %d thread(s): %.1f GOP/s\n", threads,
                amxPeak);

  xnn_initialize(nullptr);
  pthreadpool_t pool = threads > 1 ? pthreadpool_create(threads) : nullptr;
  for (size_t index = 0; index < std::size(kLayers); ++index) {
    const Layer &l = kLayers[index];
    Problem p(l);
    std::string base = dir + "/layer" + std::to_string(index);
    writeFile(base + ".x.bin", p.x.data(), p.x.size());
    writeFile(base + ".w.bin", p.w.data(), p.w.size());
    writeFile(base + ".b.bin", p.bias.data(), p.bias.size() * 4);
    writeFile(base + ".ref.bin", p.reference.data(), p.reference.size());

    // The cells of the row that run, each checked against the reference
    // first.
    struct Entry {
      const char *peer;
      Diff diff;
      std::string note;
      Calls calls;
    };
    std::vector<Entry> entries;
    // qopt must match the reference bit for bit; wrong code is not timed.
    auto addQopt = [&](QoptCell &cell, const char *peer, const char *note) {
      cell.run(/*keep=*/true);
      Diff d = compare(cell.out.data(), p.reference);
      if (d.mismatches) {
        allExact = false;
        std::printf("%s %s: %ld mismatches, not timed\n", l.name, peer,
                    d.mismatches);
        return;
      }
      entries.push_back({peer, d, note, repeatedly([&cell] { cell.run(); })});
    };
#ifdef QOPT_BENCH_PARALLEL
    QoptCell qopt(p, kParallelKernels[index]);
#else
    QoptCell qopt(p, l.qopt);
#endif
    addQopt(qopt, "qopt", kQoptNote(threads));
    // With more threads, qopt's 1-thread kernel (the one-thread run's) too,
    // timed with the kernel above, so that its speedup over one thread is
    // measured in one window of time.
    std::optional<QoptCell> oneThread;
    if (threads > 1) {
      oneThread.emplace(p, l.qopt);
      addQopt(*oneThread, kQoptOneThread, "timed with the qopt cell");
    }
    const size_t qoptEntries = entries.size();

    std::optional<GemmlowpCell> gemmlowp;
    if (GemmlowpCell::supports(l)) {
      gemmlowp.emplace(p, threads);
      gemmlowp->run();
      Diff d = compare(gemmlowp->out.data(), p.reference);
      // Same arithmetic as the reference: a difference is a harness bug.
      if (d.mismatches)
        allExact = false;
      entries.push_back({"gemmlowp", d, l.kh * l.kw > 1 ? "im2col + GEMM" : "",
                         repeatedly([&] { gemmlowp->run(); })});
    }

    OneDnnCell onednn(p);
    onednn.run();
    entries.push_back({"oneDNN", compare(onednn.out.data(), p.reference),
                       onednn.impl, repeatedly([&] { onednn.run(); })});

    XnnpackCell xnnpack(p, pool);
    if (xnnpack.ok) {
      xnnpack.run();
      entries.push_back({"XNNPACK", compare(xnnpack.result(), p.reference),
                         "qc8 convolution",
                         repeatedly([&] { xnnpack.run(); })});
    } else {
      std::printf("%s XNNPACK: operator creation failed\n", l.name);
    }

    // Times entries [begin, end) side by side.
    auto timeTogether = [&](size_t begin, size_t end) {
      pauseForSpinningThreads();
      std::vector<Calls> calls;
      for (size_t i = begin; i < end; ++i)
        calls.push_back(entries[i].calls);
      std::vector<Timing> timings = timeInterleaved(calls);
      for (size_t i = begin; i < end; ++i) {
        const Entry &e = entries[i];
        const Timing &t = timings[i - begin];
        writeRow(l.name, e.peer, t.seconds, l.ops(), t.calls, e.diff, e.note);
        layerSeconds[{int(index), e.peer}] = t.seconds;
      }
    };
    // One thread: the whole row side by side, for issue 11's ratios to the
    // libraries. More: qopt's two kernels side by side, for its speedup,
    // then each library alone after the pause, since its threads may spin
    // after every repeat and a pause per repeat would cost minutes.
    if (threads == 1) {
      timeTogether(0, entries.size());
    } else {
      timeTogether(0, qoptEntries);
      for (size_t i = qoptEntries; i < entries.size(); ++i)
        timeTogether(i, i + 1);
    }
  }

  // The whole models as qopt-compile compiles them (float input, float
  // output; quantization, every layer and dequantization inside the call),
  // bit-exact with the reference interpreter's run of their integer level.
  // A library peer has no model importer: for a real network, its figure is
  // the sum of its own times over the network's layer shapes, each as often
  // as the network has it (the time a user composing its primitives would
  // at least spend), when it ran all of them.
  for (const Model &m : kModels) {
    std::string stem = dir + "/" + m.function;
    std::vector<float> npyInput = readNpyF32(stem + ".input.npy");
    Buffer<float> input(npyInput.begin(), npyInput.end());
    std::vector<float> reference = readNpyF32(stem + ".ref.npy");
    if (input.size() != m.inputElements ||
        reference.size() != m.outputElements) {
      std::fprintf(stderr, "%s: %s.input.npy or %s.ref.npy missing or of "
                   "the wrong size\n", dir.c_str(), m.function, m.function);
      return 2;
    }
    writeFile(stem + ".x.bin", input.data(), input.size() * 4);
    std::vector<float> out(reference.size());
    m.call(input.data(), out.data());
    Diff d = compareBits(out, reference);
    if (d.mismatches) {
      allExact = false;
      std::printf("%s qopt: %ld outputs differ from the interpreter's, "
                  "not timed\n", m.name, d.mismatches);
    } else {
      reportCell(m.name, "qopt", m.ops, d,
                 threads > 1 ? kQoptModelNote : "qopt-compile",
                 [&] { m.call(input.data(), out.data()); });
    }
    // qopt's own layer sum is not a peer's figure: against the whole
    // network it bounds what fusing layers could save (report.py).
    for (const char *peer : {"qopt", "gemmlowp", "oneDNN", "XNNPACK"}) {
      bool self = std::string(peer) == "qopt";
      if (m.numCells == 0 && self)
        continue;
      if (m.numCells == 0) {
        reportNotRun(m.name, peer,
                     std::string(peer) == "gemmlowp" ? "n/a: GEMM library"
                                                      : "n/a: no model importer");
        continue;
      }
      double seconds = 0;
      for (int i = 0; i < m.numCells && seconds >= 0; ++i) {
        auto found = layerSeconds.find({m.cells[i], peer});
        seconds = found == layerSeconds.end()
                      ? -1
                      : seconds + found->second * m.counts[i];
      }
      if (seconds < 0)
        reportNotRun(m.name, self ? kQoptLayerSum : peer,
                     "n/a: not every layer ran");
      else
        reportSum(m.name, self ? kQoptLayerSum : peer, seconds, m.ops,
                  "sum of its " + std::to_string(m.numCells) +
                      " layer shapes' times");
    }
  }
  // The peak again: another process may have slowed the first measurement,
  // and the ceiling is the best the hardware did.
  peak = std::max(peak, measurePeak(threads));
  std::printf("vpdpbusd zmm peak, best of both: %.1f GOP/s\n", peak);
  std::fprintf(tsv, "peak\t-\t%.6e\t0\t0\t0\t0\t%d\n", peak, threads);
  if (amx) {
    amxPeak = std::max(amxPeak, measurePeak(threads, measureAmxPeakGops));
    std::printf("AMX tdpbusd peak, best of both: %.1f GOP/s\n", amxPeak);
    std::fprintf(tsv, "peak-amx\t-\t%.6e\t0\t0\t0\t0\t%d\n", amxPeak,
                 threads);
  }
#ifdef QOPT_BENCH_PARALLEL
  if (threads > 1) {
    double forkJoin = measureForkJoin();
    std::printf("qopt runtime fork and join, %d threads: %.2f us\n", threads,
                forkJoin * 1e6);
    std::fprintf(tsv, "forkjoin\t-\t%.6e\t0\t0\t0\t0\t%d\n", forkJoin,
                 threads);
    // After qopt's workers have gone to sleep (they spin for 1 ms), so
    // that they do not hold the cores OpenMP's threads need.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    double openMPForkJoin = measureOpenMPForkJoin();
    std::printf("OpenMP fork and join, %d threads: %.2f us\n", threads,
                openMPForkJoin * 1e6);
    std::fprintf(tsv, "forkjoin-openmp\t-\t%.6e\t0\t0\t0\t0\t%d\n",
                 openMPForkJoin, threads);
  }
#endif
  std::fclose(tsv);
  if (pool)
    pthreadpool_destroy(pool);
  if (!allExact)
    std::printf("ERROR: qopt or gemmlowp differ from the reference\n");
  return allExact ? 0 : 1;
}
