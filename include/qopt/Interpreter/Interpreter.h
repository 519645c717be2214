//===- Interpreter.h - Reference interpreter for qopt IR --------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Evaluates a func.func of qopt IR at whatever level it is (float, quantized
// or integer), op by op, on concrete tensors. It is the oracle the compiler's
// rewrites are tested against, so its integer results are those of gemmlowp
// and TensorFlow Lite's reference kernels bit for bit:
//
//   * integer-level ops (qnn.int.*) compute exactly what their descriptions
//     say, with every parameter taken from their attributes;
//   * quantized-level ops compute what the integer kernels of the module's
//     numerics (`qnn.numerics`: TensorFlow Lite's by default, PyTorch
//     qnnpack's under pytorch-qnnpack) compute for the same scales and zero
//     points, with their integer parameters derived by the shared helpers of
//     qopt/Dialect/QNN/Utils/IntegerParams.h (the ones the multiplier-rewriting
//     pass uses), so that both forms of a network give the same integers;
//   * float-level ops compute in double and round each result to its element
//     type: the exact value of the op, as a reference for the others.
//
// Nothing here asserts on its input: IR the interpreter cannot evaluate
// (unsupported ops or types), tensors larger than it may allocate (Limits)
// and values whose integer arithmetic is ill-defined (an int32 accumulator or
// an intermediate of TensorFlow Lite's kernels leaving int32) are reported by
// emitError at the op or argument.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_INTERPRETER_INTERPRETER_H
#define QOPT_INTERPRETER_INTERPRETER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/bit.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace qopt::interpreter {

/// A tensor value: its type, which has a static shape, and its elements in
/// row-major (C) order. Tensors of a float element type hold their values in
/// `floats`, each exactly representable in the element type. Integer tensors
/// and tensors of !quant.uniform element type hold their storage values in
/// `ints`, each inside the storage range (signless integers are signed). The
/// other vector is empty.
struct Tensor {
  mlir::RankedTensorType type;
  std::vector<double> floats;
  std::vector<int64_t> ints;

  bool isFloat() const { return mlir::isa<mlir::FloatType>(getElementType()); }
  mlir::Type getElementType() const { return type.getElementType(); }
  mlir::ArrayRef<int64_t> getShape() const { return type.getShape(); }
  int64_t getNumElements() const { return type.getNumElements(); }
};

/// Whether `type` is a tensor type the interpreter can hold: ranked with a
/// static shape, and elements of type f16, bf16, f32 or f64, a signless,
/// signed or unsigned integer of 8, 16, 32 or 64 bits, or a !quant.uniform
/// type (per tensor or per axis) with such storage.
bool isSupportedType(mlir::Type type);

/// The inclusive range of the values a tensor of element type `elementType`
/// (an integer or quantized type of a supported tensor type) may hold: the
/// storage range of a quantized type (e.g. [-127, 127] for i8<-127:127>) or
/// the range of an integer type.
std::pair<int64_t, int64_t> getValueRange(mlir::Type elementType);

/// `value` rounded to the nearest value of the float type `type` (ties to
/// even), one of the float element types of a supported tensor type.
double roundToFloatType(double value, mlir::FloatType type);

/// What the interpreter may allocate, so that a tensor it cannot hold (a pad
/// to 2^62 elements, random inputs of shape 1x100000x100000x3) is an error
/// at the op or argument that would create it rather than an out-of-memory
/// abort.
struct Limits {
  /// The largest tensor, in bytes of the interpreter's storage: 8 per
  /// element, as every value is held as a double or an int64_t. The default,
  /// 4 GiB, is 512 Mi elements (qopt-run's --max-tensor-bytes).
  uint64_t maxTensorBytes = uint64_t(4) << 30;
};

/// Fails, with an error from `emitError` naming `what` (e.g. "result"), the
/// type and the limit, when a tensor of `type` (a static shape) would take
/// more than `limits.maxTensorBytes` bytes. The size is computed without
/// overflow, whatever the shape.
mlir::LogicalResult
checkTensorSize(llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
                llvm::StringRef what, mlir::RankedTensorType type,
                const Limits &limits);

/// checkTensorSize for argument `index` of `func`, with the error at the
/// argument.
mlir::LogicalResult checkArgumentSize(mlir::func::FuncOp func, unsigned index,
                                      const Limits &limits);

/// The tensors of a function's values (arguments and op results), by SSA
/// value. The body is one block evaluated in order, so every operand of an op
/// is present when the op is evaluated.
class Environment {
public:
  const Tensor &get(mlir::Value value) const {
    return values.find(value)->second;
  }
  /// The tensor of `value`, or null when it has not been computed.
  const Tensor *lookup(mlir::Value value) const {
    auto it = values.find(value);
    return it == values.end() ? nullptr : &it->second;
  }
  void set(mlir::Value value, Tensor tensor) {
    values.insert_or_assign(value, std::move(tensor));
  }

private:
  llvm::DenseMap<mlir::Value, Tensor> values;
};

/// The elements of `tensor` as a buffer of compiled code or a .npy file holds
/// them: row-major, each in the width of its element type (the storage type
/// of a quantized one), in byte order `order`.
std::vector<char> toBytes(const Tensor &tensor, llvm::endianness order);

/// The tensor of `type` whose elements `bytes` holds as toBytes writes them;
/// `bytes` must have the size getByteSize gives.
Tensor fromBytes(llvm::ArrayRef<char> bytes, mlir::RankedTensorType type,
                 llvm::endianness order);

/// The bytes toBytes writes for a tensor of `type`, a supported tensor type.
int64_t getByteSize(mlir::RankedTensorType type);

/// Evaluates `func` on `inputs`, one per argument and of the argument's type,
/// and returns its results. The function is verified first, and must consist
/// of one block of supported ops ending in func.return. On failure, a
/// diagnostic has been emitted at the function or at the op at fault. With
/// `values`, every argument and op result is also left there, for tools that
/// look inside the network (the numerics report, the pass checker). No op
/// result larger than `limits` allows is computed.
mlir::FailureOr<mlir::SmallVector<Tensor>>
interpret(mlir::func::FuncOp func, mlir::ArrayRef<Tensor> inputs,
          Environment *values = nullptr, const Limits &limits = {});

/// Deterministic inputs for the arguments of `func` (each of a supported
/// type): uniform over the storage range for integer and quantized
/// arguments, over [-1, 1] for float ones. Argument i draws from its own
/// std::mt19937_64 seeded with seed + i, so that its values do not depend on
/// the sizes of the others; the values are derived from the engine's raw
/// output, which the C++ standard fixes, so they are the same everywhere.
/// An argument larger than `limits` allows is an error at the argument.
mlir::FailureOr<mlir::SmallVector<Tensor>>
makeRandomInputs(mlir::func::FuncOp func, uint64_t seed,
                 const Limits &limits = {});

/// Evaluates one op with a single supported result type from the tensors of
/// its operands in `env` (an op of the function bodies `interpret` runs), as
/// `interpret` does. It lets a caller run part of a function on operands of
/// its choosing, e.g. one layer on the quantized float reference. On failure,
/// a diagnostic has been emitted at `op`.
mlir::FailureOr<Tensor> evaluate(mlir::Operation *op, const Environment &env,
                                 const Limits &limits = {});

} // namespace qopt::interpreter

#endif // QOPT_INTERPRETER_INTERPRETER_H
