//===- CHeaderWriter.cpp - Parameters as a C99 header ---------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Renders the parameter tree as a C99 header that firmware and hardware test
// benches include as is. Each scalar becomes a #define and each table a
// `static const` array, named by the path to it in the tree:
//
//   JSON functions[i].layers[j].weights.values   (function "net", layer "conv")
//   C    static const int8_t net_conv_weights_values[...]
//   JSON functions[i].layers[j].inputs[0].zero_point
//   C    #define NET_CONV_INPUTS_0_ZERO_POINT (-1)
//
// so that the header carries exactly the fields of the JSON, and the JSON
// schema documents both.
//
//===----------------------------------------------------------------------===//

#include "ParamsTree.h"

#include "qopt/Target/ParamsExport.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Format.h"

#include <cstdint>
#include <limits>

using namespace mlir;
using namespace qopt::params;

/// Tables longer than this are wrapped, one line of values after another.
static constexpr size_t kLineWidth = 80;

/// A real as a C double literal that reads back to the same double: 17
/// significant digits, and a decimal point so that the literal is never an
/// int.
static std::string formatReal(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.17g", value);
  if (text.find_first_of(".e") == std::string::npos)
    text += ".0";
  return text;
}

/// Negative values are parenthesized so that a macro expands to one operand.
static std::string formatMacroInteger(int64_t value) {
  return value < 0 ? "(" + std::to_string(value) + ")" : std::to_string(value);
}

/// The range of the <stdint.h> types the collector declares tables with.
static std::pair<int64_t, int64_t> getCTypeRange(StringRef cType) {
  return llvm::StringSwitch<std::pair<int64_t, int64_t>>(cType)
      .Case("int8_t", {INT8_MIN, INT8_MAX})
      .Case("uint8_t", {0, UINT8_MAX})
      .Case("int16_t", {INT16_MIN, INT16_MAX})
      .Case("uint16_t", {0, UINT16_MAX})
      .Case("int32_t", {INT32_MIN, INT32_MAX})
      .Case("uint32_t", {0, UINT32_MAX})
      .Default({std::numeric_limits<int64_t>::min(),
                std::numeric_limits<int64_t>::max()});
}

namespace {

class CHeaderWriter {
public:
  CHeaderWriter(ModuleOp module, raw_ostream &os) : module(module), os(os) {}

  LogicalResult write(const Node &root);

private:
  /// Writes `node` under the identifier path `path` (lower case; macros are
  /// upper-cased).
  LogicalResult writeNode(StringRef path, const Node &node);
  /// Writes the members of an object, except those named in `skip`.
  LogicalResult writeMembers(StringRef path, const Node &node,
                             ArrayRef<StringRef> skip = {});
  LogicalResult writeArray(StringRef cType, StringRef name, StringRef size,
                           ArrayRef<std::string> values);
  /// Every identifier is declared once; two paths that sanitize to the same
  /// identifier would make the header invalid.
  LogicalResult declare(StringRef identifier);

  ModuleOp module;
  raw_ostream &os;
  llvm::StringSet<> identifiers;
};

} // namespace

LogicalResult CHeaderWriter::declare(StringRef identifier) {
  if (identifiers.insert(identifier).second)
    return success();
  return emitError(module.getLoc())
         << "two parameters map to the C identifier '" << identifier
         << "'; rename a layer (qopt.name) or a function";
}

LogicalResult CHeaderWriter::writeArray(StringRef cType, StringRef name,
                                        StringRef size,
                                        ArrayRef<std::string> values) {
  if (failed(declare(name)))
    return failure();
  // C has no empty arrays: a table without entries is only named.
  if (values.empty()) {
    os << "/* " << name << ": no entries */\n";
    return success();
  }
  std::string head =
      ("static const " + cType + " " + name + "[" + size + "] = {").str();
  std::string joined = llvm::join(values, ", ");
  if (head.size() + joined.size() + 2 <= kLineWidth) {
    os << head << joined << "};\n";
    return success();
  }
  os << head << "\n   ";
  size_t column = 3;
  for (auto [i, value] : llvm::enumerate(values)) {
    bool last = i + 1 == values.size();
    size_t width = value.size() + (last ? 0 : 1);
    if (column + 1 + width > kLineWidth) {
      os << "\n   ";
      column = 3;
    }
    os << " " << value << (last ? "" : ",");
    column += 1 + width;
  }
  os << "\n};\n";
  return success();
}

LogicalResult CHeaderWriter::writeNode(StringRef path, const Node &node) {
  std::string macro = StringRef(path).upper();
  switch (node.kind) {
  case Node::Kind::Integer:
    if (failed(declare(macro)))
      return failure();
    os << "#define " << macro << " " << formatMacroInteger(node.integerValue)
       << "\n";
    return success();
  case Node::Kind::Real:
    if (failed(declare(macro)))
      return failure();
    os << "#define " << macro << " " << formatReal(node.realValue) << "\n";
    return success();
  case Node::Kind::String:
    // Strings are identifiers, kinds and type names: nothing to escape.
    if (failed(declare(macro)))
      return failure();
    os << "#define " << macro << " \"" << node.stringValue << "\"\n";
    return success();
  case Node::Kind::IntegerTable: {
    auto [min, max] = getCTypeRange(node.cType);
    SmallVector<std::string> values;
    for (int64_t value : node.integers) {
      if (value < min || value > max)
        return emitError(module.getLoc())
               << "value " << value << " of '" << path << "' does not fit in "
               << node.cType;
      values.push_back(std::to_string(value));
    }
    // The dimensions of the layout document a flat table, e.g. [8 * 3 * 3 * 3]
    // for OHWI weights.
    std::string size = std::to_string(node.integers.size());
    if (node.dims.size() > 1) {
      SmallVector<std::string> dims;
      for (int64_t dim : node.dims)
        dims.push_back(std::to_string(dim));
      size = llvm::join(dims, " * ");
    }
    return writeArray(node.cType, path, size, values);
  }
  case Node::Kind::RealTable: {
    SmallVector<std::string> values;
    for (double value : node.reals)
      values.push_back(formatReal(value));
    return writeArray("double", path, std::to_string(node.reals.size()),
                      values);
  }
  case Node::Kind::Object:
    return writeMembers(path, node);
  case Node::Kind::List:
    for (auto [i, child] : llvm::enumerate(node.children))
      if (failed(writeNode((path + "_" + Twine(i)).str(), child)))
        return failure();
    return success();
  }
  llvm_unreachable("unknown node kind");
}

LogicalResult CHeaderWriter::writeMembers(StringRef path, const Node &node,
                                          ArrayRef<StringRef> skip) {
  for (auto [key, child] : llvm::zip_equal(node.keys, node.children))
    if (!llvm::is_contained(skip, key) &&
        failed(writeNode((path + "_" + key).str(), child)))
      return failure();
  return success();
}

LogicalResult CHeaderWriter::write(const Node &root) {
  const Node &functions = *root.find("functions");
  SmallVector<std::string> names;
  for (const Node &function : functions.children)
    names.push_back(StringRef(function.find("name")->stringValue).upper());
  std::string guard = names.empty()
                          ? "QOPT_PARAMS_H"
                          : "QOPT_PARAMS_" + llvm::join(names, "_") + "_H";

  os << "/* Generated by qopt-translate --qopt-export-c-header; do not edit.\n"
        " *\n"
        " * The integer parameters of each layer of a quantized network. The\n"
        " * fields, and the formula the hardware applies to each layer kind,\n"
        " * are documented in docs/params-export.md of qopt. Scalars are\n"
        " * macros; tables are static const arrays in row-major order. */\n\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n";
  // Identical redefinitions are valid C, so headers of several networks can
  // be included together.
  if (failed(writeMembers("qopt_params", root, {"functions"})))
    return failure();

  for (const Node &function : functions.children) {
    StringRef functionName = function.find("name")->stringValue;
    os << "\n/* Function " << functionName << ". */\n";
    std::string prefix = functionName.lower();
    if (failed(writeMembers(prefix, function, {"name", "layers"})))
      return failure();
    for (const Node &layer : function.find("layers")->children) {
      StringRef name = layer.find("name")->stringValue;
      std::string path = (prefix + "_" + name.lower());
      os << "\n/* " << path << ": " << layer.find("kind")->stringValue
         << " */\n";
      if (failed(writeMembers(path, layer, {"name"})))
        return failure();
    }
  }
  os << "\n#endif /* " << guard << " */\n";
  return success();
}

LogicalResult qopt::exportParamsAsCHeader(ModuleOp module, raw_ostream &os,
                                          StringRef numerics) {
  FailureOr<Node> root = collectParams(module, numerics);
  if (failed(root))
    return failure();
  // Written to a buffer first: an error midway leaves no partial header.
  std::string header;
  llvm::raw_string_ostream buffer(header);
  if (failed(CHeaderWriter(module, buffer).write(*root)))
    return failure();
  os << header;
  return success();
}
