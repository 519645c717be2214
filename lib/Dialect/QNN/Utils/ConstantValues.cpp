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
