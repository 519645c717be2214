//===- Numerics.cpp - Named sets of numerics choices ----------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Transforms/Numerics.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::qnn;

FailureOr<Numerics> Numerics::get(StringRef name) {
  Numerics numerics;
  if (name.empty())
    return numerics;
  if (name == "tflite") {
    numerics.scheme = "tflite";
    return numerics;
  }
  if (name == "pytorch" || name == "pytorch-qnnpack") {
    numerics.float32BatchNorm = true;
    numerics.scheme = name == "pytorch" ? "fbgemm" : "qnnpack";
    // qnnpack requantizes contractions as nearbyint(float(acc) * M) in
    // float32 and adds with integer weights and one rounding
    // (test/PyTorch).
    if (name == "pytorch-qnnpack")
      numerics.arithmetic = {RoundingMode::Float32, RoundingMode::DoubleRound,
                             Ties::ToEven, Ties::ToEven,
                             /*qnnpackAdd=*/true};
    return numerics;
  }
  return failure();
}

std::string qnn::getModuleString(Operation *op, StringRef name) {
  auto module = dyn_cast<ModuleOp>(op);
  if (!module)
    module = op->getParentOfType<ModuleOp>();
  if (!module)
    return "";
  auto attr = module->getAttrOfType<StringAttr>(name);
  return attr ? attr.str() : "";
}

FailureOr<Numerics> qnn::getNumerics(Operation *op, StringRef option) {
  std::string name =
      option.empty() ? getModuleString(op, kNumericsAttrName) : option.str();
  FailureOr<Numerics> numerics = Numerics::get(name);
  if (failed(numerics))
    return op->emitError() << "unknown numerics '" << name
                           << "'; expected tflite, pytorch or pytorch-qnnpack";
  return numerics;
}

FailureOr<std::string> qnn::getSchemeName(Operation *op, StringRef option,
                                          StringRef numericsOption) {
  if (!option.empty())
    return option.str();
  std::string name = getModuleString(op, kSchemeAttrName);
  if (!name.empty())
    return name;
  FailureOr<Numerics> numerics = getNumerics(op, numericsOption);
  if (failed(numerics))
    return failure();
  return numerics->scheme;
}
