//===- Pipelines.h - qopt pass pipelines ------------------------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_PIPELINES_PIPELINES_H
#define QOPT_PIPELINES_PIPELINES_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace qopt {

/// What the lowering generates code for.
enum class CodegenTarget {
  /// Scalar loops, which LLVM optimizes for whatever CPU it targets.
  Generic,
  /// The machine the compiler runs on: resolved by resolveHostTarget to the
  /// best of the targets below that it supports (else Generic).
  Host,
  /// Register-tiled kernels on vpmaddwd (x86 AVX2).
  X86Avx2,
  /// Register-tiled kernels on vpdpbusd (x86 AVX-512 VNNI), u8 x s8.
  X86Avx512Vnni,
  /// X86Avx512Vnni's kernels with AVX-512 VBMI and IFMA too (Ice Lake,
  /// Zen 4 and later).
  X86Avx512Ifma,
  /// Contractions on AMX-INT8 tiles (tdpbusd), the other layers as
  /// X86Avx512Ifma (Sapphire Rapids and later; Linux 5.16 and later).
  X86Amx,
  /// Register-tiled kernels on widening multiplies (AArch64 Advanced SIMD).
  AArch64Neon,
  /// Register-tiled kernels on sdot (Armv8.2 dot product).
  AArch64Dotprod,
  /// Register-tiled kernels on smmla / usmmla (Armv8.6 int8 matrix multiply).
  AArch64I8mm,
};

/// The target named `name` as the `target` option of the pipelines spells
/// it (`generic`, `host`, `x86-avx2`, `x86-avx512vnni`,
/// `x86-avx512ifma`, `x86-amx`,
/// `aarch64-neon`, `aarch64-dotprod`, `aarch64-i8mm`); none for other names.
std::optional<CodegenTarget> parseCodegenTarget(llvm::StringRef name);

/// The name parseCodegenTarget takes for `target`.
llvm::StringRef stringifyCodegenTarget(CodegenTarget target);

/// `target`, with Host replaced by the best target of this machine's
/// features (llvm::sys::getHostCPUFeatures).
CodegenTarget resolveHostTarget(CodegenTarget target);

/// Whether code for `target` runs on this machine: its kernels are for the
/// host's architecture and the host has their instructions.
bool canRunOnHost(CodegenTarget target);

/// Whether the target's contraction kernels need u8 input (s8 activations
/// are shifted by 128 by --qopt-expand-zero-points=unsigned-input).
bool needsUnsignedInput(CodegenTarget target);

/// Whether the target's contraction kernels need s8 input (u8 activations
/// shifted by -128, --qopt-expand-zero-points=signed-input).
bool needsSignedInput(CodegenTarget target);

/// The runtime that code compiled with LowerToLLVMOptions::parallel runs its
/// threads with.
enum class ParallelRuntime {
  /// qopt's pool (include/qopt/Runtime/ParallelRuntime.h, libQOptRuntime,
  /// --qopt-outline-parallel-regions), whose fork and join costs less.
  Qopt,
  /// LLVM's OpenMP runtime (libomp, --convert-openmp-to-llvm), for
  /// applications that already run their own threads on it.
  OpenMP,
};

/// The option value of `runtime` ("qopt", "openmp").
llvm::StringRef stringifyParallelRuntime(ParallelRuntime runtime);

/// The runtime of option value `name`, if it is one.
std::optional<ParallelRuntime> parseParallelRuntime(llvm::StringRef name);

/// How lowered functions take their tensors, and the code they are made of.
struct LowerToLLVMOptions {
  /// Without it, MLIR's default convention: memref arguments and results as
  /// expanded descriptors, results allocated by the callee (what mlir-runner
  /// calls). With it, every memref argument is a bare pointer to its first
  /// element and every result becomes a trailing out-parameter, a buffer the
  /// caller allocates: `void f(const T0 *in0, ..., R0 *out0, ...)` in C. It
  /// needs static shapes, which the integer level has.
  bool flatCallingConvention = false;
  CodegenTarget target = CodegenTarget::Generic;
  /// The register tile of the layer kernels; 0 takes the target's default.
  int64_t tileRows = 0;
  int64_t tileVectors = 0;
  /// Distribute the layer kernels' tiles over threads
  /// (--qopt-parallelize-tiles); the code then needs `parallelRuntime`.
  bool parallel = false;
  ParallelRuntime parallelRuntime = ParallelRuntime::Qopt;
};

/// The path from the integer level to the LLVM dialect: the target's layer
/// kernels (--qopt-x86-lower-layers, --qopt-arm-lower-layers; none for
/// Generic), qnn to linalg on tensors for everything else, one-shot
/// bufferization across function boundaries, the target's instruction
/// selection (--qopt-x86-select-dot-products,
/// --qopt-arm-select-requantization), copies into padded buffers as vector
/// loops (--qopt-expand-strided-copies), with `parallel` the marked tile
/// loops on threads (--qopt-parallelize-tiles, then
/// --qopt-outline-parallel-regions after the conversions for qopt's
/// runtime), the remaining
/// tosa.apply_scale to arith, linalg to scalar loops, and the standard
/// conversions to LLVM. The result runs with mlir-runner or translates to
/// LLVM IR.
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const LowerToLLVMOptions &options = {});

/// How float-level IR is quantized and which integer arithmetic it gets.
/// Empty strings leave the choice to the IR (the module attributes
/// `qnn.scheme` and `qnn.numerics`, see Numerics.h); the scheme is `tflite`
/// when nothing names one.
struct QuantizationOptions {
  /// The --qopt-propagate-quant-params scheme.
  std::string scheme;
  /// The numerics preset of every pass (tflite, pytorch, pytorch-qnnpack).
  std::string numerics;
};

/// What --qopt-pipeline does, from any level.
struct CompilePipelineOptions {
  LowerToLLVMOptions lowering;
  QuantizationOptions quantization;
};

/// Adds the passes that take float- or quantized-level IR to the integer
/// level (each a no-op on IR past its level), nested on func.func:
/// --qopt-fold-batch-norm, --qopt-propagate-quant-params,
/// --qopt-rewrite-multipliers (each with `quantization`'s options when
/// given, which the passes validate when they run) and
/// --qopt-expand-zero-points with the input signedness `target`'s kernels
/// need, then --canonicalize (which folds the rescales that move an input's
/// signedness into the requantization producing it). --dump-pass-pipeline
/// (or PassManager::printAsTextualPipeline) prints them as text that qopt
/// accepts.
void addIntegerLevelPasses(mlir::OpPassManager &pm,
                           const QuantizationOptions &quantization,
                           CodegenTarget target);

/// The whole compiler: addIntegerLevelPasses, then buildLowerToLLVMPipeline.
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompilePipelineOptions &options);

/// Registers `--qopt-lower-to-llvm` (integer level to LLVM) and
/// `--qopt-pipeline` (any level to LLVM), with the options `target`,
/// `tile-rows`, `tile-vectors`, and `scheme` and `numerics` for the latter.
void registerPipelines();

} // namespace qopt

#endif // QOPT_PIPELINES_PIPELINES_H
