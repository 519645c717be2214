//===- Interpreter.cpp - Reference interpreter driver ---------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Checks the inputs, walks the function body and dispatches each op to the
// evaluator of its family; evaluates the few upstream ops qopt IR contains
// (arith.constant, quant.scast, func.return) itself.
//
//===----------------------------------------------------------------------===//

#include "qopt/Interpreter/Interpreter.h"

#include "Evaluators.h"

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <random>

using namespace mlir;
using namespace qopt;
using namespace qopt::interpreter;
using namespace qopt::interpreter::detail;

//===----------------------------------------------------------------------===//
// Types and values
//===----------------------------------------------------------------------===//

bool interpreter::isSupportedType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return false;
  Type element = tensor.getElementType();
  if (isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(element))
    return true;
  if (auto quantized = dyn_cast<quant::QuantizedType>(element)) {
    if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(
            quantized))
      return false;
    element = quantized.getStorageType();
  }
  auto integer = dyn_cast<IntegerType>(element);
  if (!integer)
    return false;
  unsigned width = integer.getWidth();
  // ui64 values do not all fit in the int64 storage of a Tensor.
  return (width == 8 || width == 16 || width == 32 || width == 64) &&
         !(width == 64 && integer.isUnsigned());
}

std::pair<int64_t, int64_t> interpreter::getValueRange(Type elementType) {
  if (auto quantized = dyn_cast<quant::QuantizedType>(elementType))
    return {quantized.getStorageTypeMin(), quantized.getStorageTypeMax()};
  auto integer = cast<IntegerType>(elementType);
  unsigned width = integer.getWidth();
  if (integer.isUnsigned())
    return {0, int64_t((uint64_t(1) << width) - 1)};
  return {int64_t(uint64_t(-1) << (width - 1)),
          int64_t((uint64_t(1) << (width - 1)) - 1)};
}

double interpreter::roundToFloatType(double value, FloatType type) {
  if (type.isF64())
    return value;
  if (type.isF32())
    return static_cast<float>(value);
  bool losesInfo;
  APFloat rounded(value);
  rounded.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
  return rounded.convertToDouble();
}

Tensor interpreter::detail::makeFloatTensor(RankedTensorType type,
                                            std::vector<double> values) {
  auto element = cast<FloatType>(type.getElementType());
  for (double &value : values)
    value = roundToFloatType(value, element);
  return Tensor{type, std::move(values), {}};
}

std::string interpreter::detail::formatIndex(ArrayRef<int64_t> shape,
                                             int64_t linear) {
  SmallVector<int64_t> index(shape.size());
  for (int64_t d = shape.size() - 1; d >= 0; --d) {
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(index, os);
  os << ']';
  return text;
}

LogicalResult
interpreter::checkTensorSize(function_ref<InFlightDiagnostic()> emitError,
                             StringRef what, RankedTensorType type,
                             const Limits &limits) {
  ArrayRef<int64_t> shape = type.getShape();
  // A dimension of 0 makes the tensor empty whatever the others multiply to.
  if (llvm::is_contained(shape, 0))
    return success();
  int64_t bytes = sizeof(int64_t);
  bool overflow = false;
  for (int64_t dim : shape)
    overflow = overflow || llvm::MulOverflow(bytes, dim, bytes);
  if (!overflow && uint64_t(bytes) <= limits.maxTensorBytes)
    return success();
  InFlightDiagnostic diag = emitError();
  diag << what << " of type " << type << " would take ";
  if (overflow)
    diag << "more than 2^63";
  else
    diag << bytes;
  return diag << " bytes, more than the interpreter's limit of "
              << limits.maxTensorBytes << " bytes (8 per element)";
}

LogicalResult interpreter::checkArgumentSize(func::FuncOp func, unsigned index,
                                             const Limits &limits) {
  // Where the signature names the argument, when there is a body.
  Location loc =
      func.isExternal() ? func.getLoc() : func.getArgument(index).getLoc();
  return checkTensorSize(
      [&] { return emitError(loc); }, "argument #" + std::to_string(index),
      cast<RankedTensorType>(func.getArgumentTypes()[index]), limits);
}

/// The standard distributions are not fixed by the C++ standard, so values
/// are derived from the engine's raw output.
static Tensor makeRandomTensor(RankedTensorType type, std::mt19937_64 &engine) {
  Tensor tensor{type, {}, {}};
  Type element = type.getElementType();
  if (auto floatType = dyn_cast<FloatType>(element)) {
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
      // 53 random bits give a uniform double in [0, 1).
      double unit = double(engine() >> 11) * 0x1p-53;
      tensor.floats.push_back(roundToFloatType(2 * unit - 1, floatType));
    }
    return tensor;
  }
  auto [min, max] = getValueRange(element);
  // The modulo bias is below 2^-31 for storage of up to 32 bits; 64-bit
  // tensors (a span of 2^64, which wraps to 0) take the raw bits.
  uint64_t span = uint64_t(max) - uint64_t(min) + 1;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
    tensor.ints.push_back(span == 0 ? int64_t(engine())
                                    : min + int64_t(engine() % span));
  return tensor;
}

FailureOr<SmallVector<Tensor>>
interpreter::makeRandomInputs(func::FuncOp func, uint64_t seed,
                              const Limits &limits) {
  SmallVector<Tensor> inputs;
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes())) {
    if (failed(checkArgumentSize(func, index, limits)))
      return failure();
    std::mt19937_64 engine(seed + index);
    inputs.push_back(makeRandomTensor(cast<RankedTensorType>(type), engine));
  }
  return inputs;
}

//===----------------------------------------------------------------------===//
// Upstream ops
//===----------------------------------------------------------------------===//

static FailureOr<Tensor> evaluateConstant(arith::ConstantOp op) {
  RankedTensorType type = getResultType(op);
  auto elements = dyn_cast<ElementsAttr>(op.getValue());
  if (!elements)
    return op.emitOpError("is not a tensor constant");
  if (type.getElementType().isFloat()) {
    auto values = elements.tryGetValues<APFloat>();
    if (!values)
      return op.emitOpError("has float values the interpreter cannot read");
    std::vector<double> floats;
    for (const APFloat &value : *values)
      floats.push_back(value.convertToDouble());
    return Tensor{type, std::move(floats), {}};
  }
  auto values = elements.tryGetValues<APInt>();
  if (!values)
    return op.emitOpError("has integer values the interpreter cannot read");
  bool isUnsigned = type.getElementType().isUnsignedInteger();
  std::vector<int64_t> ints;
  for (const APInt &value : *values)
    ints.push_back(isUnsigned ? int64_t(value.getZExtValue())
                              : value.getSExtValue());
  return makeIntTensor(type, std::move(ints));
}

/// quant.scast reinterprets the bits of each storage value: upstream only
/// casts to and from signless storage, so !quant.uniform<u8:...> becomes i8,
/// and storage 200 reads as -56 (and back).
static FailureOr<Tensor> evaluateStorageCast(quant::StorageCastOp op,
                                             const Environment &env) {
  RankedTensorType type = getResultType(op);
  Type element = type.getElementType();
  auto quantized = dyn_cast<quant::QuantizedType>(element);
  unsigned width = quantized ? quantized.getStorageTypeIntegralWidth()
                             : element.getIntOrFloatBitWidth();
  bool isSigned =
      quantized ? quantized.isSigned() : !element.isUnsignedInteger();
  auto [min, max] = getValueRange(element);
  const Tensor &input = env.get(op.getInput());
  std::vector<int64_t> ints;
  ints.reserve(input.ints.size());
  for (auto [index, value] : llvm::enumerate(input.ints)) {
    APInt bits(64, value, /*isSigned=*/true);
    bits = bits.trunc(width);
    int64_t cast =
        isSigned ? bits.getSExtValue() : int64_t(bits.getZExtValue());
    // A narrow storage range (e.g. i8<-127:127>) excludes some bit patterns.
    if (cast < min || cast > max)
      return op.emitOpError() << "storage value " << cast << " at "
                              << formatIndex(type.getShape(), index)
                              << " is outside the storage range [" << min
                              << ", " << max << "] of " << element;
    ints.push_back(cast);
  }
  return makeIntTensor(type, std::move(ints));
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

/// Ops with a quantized operand or result are at the quantized level.
static bool isQuantizedLevel(Operation *op) {
  auto isQuantized = [](Type type) {
    return isa<quant::QuantizedType>(getElementTypeOrSelf(type));
  };
  return llvm::any_of(op->getOperandTypes(), isQuantized) ||
         llvm::any_of(op->getResultTypes(), isQuantized);
}

static FailureOr<Tensor> dispatch(Operation *op, const Environment &env) {
  if (auto constant = dyn_cast<arith::ConstantOp>(op))
    return evaluateConstant(constant);
  if (auto cast = dyn_cast<quant::StorageCastOp>(op))
    return evaluateStorageCast(cast, env);
  if (!isa<qnn::QNNDialect>(op->getDialect()))
    return op->emitOpError("is not supported by the reference interpreter");
  if (isa<qnn::ReshapeOp, qnn::TransposeOp, qnn::ConcatOp, qnn::MaxPool2DOp>(
          op))
    return evaluateDataMovementOp(op, env);
  // The dialect names every integer-level op qnn.int.*.
  if (op->getName().getStringRef().starts_with("qnn.int."))
    return evaluateIntegerOp(op, env);
  if (isQuantizedLevel(op))
    return evaluateQuantizedOp(op, env);
  return evaluateFloatOp(op, env);
}

/// Input `index` has the argument's type and holds values a tensor of that
/// type may hold.
static LogicalResult checkInput(func::FuncOp func, unsigned index,
                                const Tensor &input) {
  Type type = func.getArgumentTypes()[index];
  if (!isSupportedType(type))
    return func.emitError() << "argument #" << index << " has type " << type
                            << ", which the reference interpreter does not "
                               "support";
  if (input.type != type)
    return func.emitError()
           << "input #" << index << " has type " << input.type
           << " but argument #" << index << " has type " << type;
  int64_t size = input.getNumElements();
  if (input.isFloat()) {
    if (int64_t(input.floats.size()) != size || !input.ints.empty())
      return func.emitError() << "input #" << index << " does not hold " << size
                              << " float values";
    auto element = cast<FloatType>(input.getElementType());
    for (auto [i, value] : llvm::enumerate(input.floats))
      if (!std::isnan(value) && roundToFloatType(value, element) != value)
        return func.emitError() << "input #" << index << " value " << value
                                << " at " << formatIndex(input.getShape(), i)
                                << " is not representable in " << element;
    return success();
  }
  if (int64_t(input.ints.size()) != size || !input.floats.empty())
    return func.emitError() << "input #" << index << " does not hold " << size
                            << " integer values";
  auto [min, max] = getValueRange(input.getElementType());
  for (auto [i, value] : llvm::enumerate(input.ints))
    if (value < min || value > max)
      return func.emitError()
             << "input #" << index << " value " << value << " at "
             << formatIndex(input.getShape(), i) << " is outside the range ["
             << min << ", " << max << "] of " << input.getElementType();
  return success();
}

FailureOr<Tensor> interpreter::evaluate(Operation *op, const Environment &env,
                                        const Limits &limits) {
  if (op->getNumResults() != 1 || op->getNumRegions() != 0)
    return op->emitOpError("is not supported by the reference interpreter");
  Type type = op->getResult(0).getType();
  if (!isSupportedType(type))
    return op->emitOpError() << "has result type " << type
                             << ", which the reference interpreter does not "
                                "support";
  // Every evaluator allocates its result, and nothing larger.
  if (failed(checkTensorSize([&] { return op->emitOpError(); }, "result",
                             cast<RankedTensorType>(type), limits)))
    return failure();
  return dispatch(op, env);
}

FailureOr<SmallVector<Tensor>> interpreter::interpret(func::FuncOp func,
                                                      ArrayRef<Tensor> inputs,
                                                      Environment *values,
                                                      const Limits &limits) {
  if (failed(verify(func)))
    return failure();
  if (func.isExternal())
    return func.emitError("cannot interpret a function without a body");
  Region &body = func.getBody();
  if (!body.hasOneBlock())
    return func.emitError(
        "the reference interpreter only runs functions of one block");
  if (inputs.size() != func.getNumArguments())
    return func.emitError() << "expects " << func.getNumArguments()
                            << " inputs, got " << inputs.size();

  Environment local;
  Environment &env = values ? *values : local;
  for (auto [index, argument, input] :
       llvm::enumerate(body.getArguments(), inputs)) {
    if (failed(checkInput(func, index, input)))
      return failure();
    env.set(argument, input);
  }
  for (Operation &op : body.front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      SmallVector<Tensor> results;
      for (Value operand : ret.getOperands())
        results.push_back(env.get(operand));
      return results;
    }
    FailureOr<Tensor> result = evaluate(&op, env, limits);
    if (failed(result))
      return failure();
    env.set(op.getResult(0), std::move(*result));
  }
  llvm_unreachable("a verified function body ends in func.return");
}
