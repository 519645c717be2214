//===- ConstantValues.cpp - Reading constant tensors ----------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Utils/ConstantValues.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

bool qnn::isOversizedConstant(Value value) {
  ElementsAttr attr;
  return matchPattern(value, m_Constant(&attr)) &&
         attr.getNumElements() > kMaxConstantElements;
}

std::optional<SmallVector<double>> qnn::getFloatConstantValues(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      attr.getNumElements() > kMaxConstantElements)
    return std::nullopt;
  // f32 and f64 read as native floats: the same values as through APFloat,
  // which took most of the batch-norm folding's and the weight
  // quantization's time on a network's millions of weights.
  Type element = attr.getElementType();
  if (element.isF32())
    return llvm::map_to_vector(attr.getValues<float>(),
                               [](float v) { return double(v); });
  if (element.isF64())
    return llvm::to_vector(attr.getValues<double>());
  return llvm::map_to_vector(attr.getValues<APFloat>(), [](APFloat v) {
    bool losesInfo;
    v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
    return v.convertToDouble();
  });
}

/// The elements of `attr`, stored as T, widened.
template <typename T>
static SmallVector<int64_t> widenValues(DenseIntElementsAttr attr) {
  return llvm::map_to_vector(attr.getValues<T>(),
                             [](T v) { return static_cast<int64_t>(v); });
}

std::optional<SmallVector<int64_t>> qnn::getIntConstantValues(Value value) {
  DenseIntElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      attr.getNumElements() > kMaxConstantElements)
    return std::nullopt;
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  // 8- to 64-bit integers read as native integers, as the floats above: one
  // APInt per weight was 3% of MobileNetV2's compile time (the zero-point
  // expansion and the kernel builders read every layer's weights).
  if (auto type = dyn_cast<IntegerType>(attr.getElementType())) {
    switch (type.getWidth()) {
    case 8:
      return isUnsigned ? widenValues<uint8_t>(attr) : widenValues<int8_t>(attr);
    case 16:
      return isUnsigned ? widenValues<uint16_t>(attr)
                        : widenValues<int16_t>(attr);
    case 32:
      return isUnsigned ? widenValues<uint32_t>(attr)
                        : widenValues<int32_t>(attr);
    case 64:
      return isUnsigned ? widenValues<uint64_t>(attr)
                        : widenValues<int64_t>(attr);
    }
  }
  return llvm::map_to_vector(attr.getValues<APInt>(), [&](const APInt &v) {
    return isUnsigned ? int64_t(v.getZExtValue()) : v.getSExtValue();
  });
}
