//===- JsonWriter.cpp - Parameters as JSON --------------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Renders the parameter tree as JSON: objects indented, members in schema
// order, tables (weights, per-channel multipliers, ...) on one line each so
// that a file with real weights stays readable.
//
//===----------------------------------------------------------------------===//

#include "ParamsTree.h"

#include "qopt/Target/ParamsExport.h"

#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace qopt::params;

static void writeNode(llvm::json::OStream &json, const Node &node) {
  switch (node.kind) {
  case Node::Kind::Integer:
    json.value(node.integerValue);
    return;
  case Node::Kind::Real:
    json.value(node.realValue);
    return;
  case Node::Kind::String:
    json.value(node.stringValue);
    return;
  case Node::Kind::IntegerTable:
  case Node::Kind::RealTable:
    json.rawValue([&](raw_ostream &os) {
      llvm::json::OStream line(os);
      line.array([&] {
        for (int64_t value : node.integers)
          line.value(value);
        for (double value : node.reals)
          line.value(value);
      });
    });
    return;
  case Node::Kind::Object:
    json.object([&] {
      for (auto [key, child] : llvm::zip_equal(node.keys, node.children)) {
        json.attributeBegin(key);
        writeNode(json, child);
        json.attributeEnd();
      }
    });
    return;
  case Node::Kind::List:
    json.array([&] {
      for (const Node &child : node.children)
        writeNode(json, child);
    });
    return;
  }
  llvm_unreachable("unknown node kind");
}

LogicalResult qopt::exportParamsAsJson(ModuleOp module, raw_ostream &os,
                                       StringRef numerics) {
  FailureOr<Node> root = collectParams(module, numerics);
  if (failed(root))
    return failure();
  llvm::json::OStream json(os, /*IndentSize=*/2);
  writeNode(json, *root);
  os << "\n";
  return success();
}
