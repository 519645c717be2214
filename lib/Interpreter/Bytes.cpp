//===- Bytes.cpp - Tensors as the bytes of a buffer -----------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Compiled code and .npy files hold a tensor as its elements packed in their
// own width; the interpreter holds every element as an int64_t or a double.
// The tools convert between the two here, so that what qopt-run reads from a
// file, what it hands to JIT-compiled code and what it compares afterwards
// are the same bits.
//
//===----------------------------------------------------------------------===//

#include "qopt/Interpreter/Interpreter.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace qopt;
using namespace qopt::interpreter;

namespace {
/// How one element is stored.
struct ElementLayout {
  unsigned bytes;
  /// Float elements: the semantics of their type; null for integers.
  const llvm::fltSemantics *semantics;
  bool isSigned;
};
} // namespace

static ElementLayout getLayout(Type elementType) {
  if (auto floatType = dyn_cast<FloatType>(elementType))
    return {floatType.getWidth() / 8, &floatType.getFloatSemantics(), true};
  if (auto quantized = dyn_cast<quant::QuantizedType>(elementType))
    return {quantized.getStorageTypeIntegralWidth() / 8, nullptr,
            quantized.isSigned()};
  auto integer = cast<IntegerType>(elementType);
  return {integer.getWidth() / 8, nullptr, !integer.isUnsigned()};
}

int64_t interpreter::getByteSize(RankedTensorType type) {
  return type.getNumElements() * getLayout(type.getElementType()).bytes;
}

std::vector<char> interpreter::toBytes(const Tensor &tensor,
                                       llvm::endianness order) {
  ElementLayout layout = getLayout(tensor.getElementType());
  std::vector<char> bytes(getByteSize(tensor.type));
  for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i) {
    uint64_t bits;
    if (!layout.semantics) {
      bits = uint64_t(tensor.ints[i]);
    } else {
      // Exact: the interpreter holds values of the element type.
      bool losesInfo;
      llvm::APFloat value(tensor.floats[i]);
      value.convert(*layout.semantics, llvm::APFloat::rmNearestTiesToEven,
                    &losesInfo);
      bits = value.bitcastToAPInt().getZExtValue();
    }
    char *element = &bytes[i * layout.bytes];
    for (unsigned b = 0; b < layout.bytes; ++b) {
      unsigned shift = order == llvm::endianness::little
                           ? 8 * b
                           : 8 * (layout.bytes - 1 - b);
      element[b] = char(bits >> shift);
    }
  }
  return bytes;
}

Tensor interpreter::fromBytes(ArrayRef<char> bytes, RankedTensorType type,
                              llvm::endianness order) {
  ElementLayout layout = getLayout(type.getElementType());
  Tensor tensor{type, {}, {}};
  for (size_t offset = 0; offset < bytes.size(); offset += layout.bytes) {
    uint64_t bits = 0;
    for (unsigned b = 0; b < layout.bytes; ++b) {
      unsigned shift = order == llvm::endianness::little
                           ? 8 * b
                           : 8 * (layout.bytes - 1 - b);
      bits |= uint64_t(uint8_t(bytes[offset + b])) << shift;
    }
    if (layout.semantics)
      tensor.floats.push_back(
          llvm::APFloat(*layout.semantics, llvm::APInt(8 * layout.bytes, bits))
              .convertToDouble());
    else if (layout.isSigned)
      tensor.ints.push_back(llvm::SignExtend64(bits, 8 * layout.bytes));
    else
      tensor.ints.push_back(int64_t(bits));
  }
  return tensor;
}
