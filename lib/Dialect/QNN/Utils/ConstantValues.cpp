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

std::optional<SmallVector<int64_t>> qnn::getIntConstantValues(Value value) {
  DenseIntElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      attr.getNumElements() > kMaxConstantElements)
    return std::nullopt;
  bool isUnsigned = attr.getElementType().isUnsignedInteger();
  return llvm::map_to_vector(attr.getValues<APInt>(), [&](const APInt &v) {
    return isUnsigned ? int64_t(v.getZExtValue()) : v.getSExtValue();
  });
}
