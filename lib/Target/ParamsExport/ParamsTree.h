//===- ParamsTree.h - The exported parameters as a tree ---------*- C++ -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The collector turns a module into one tree of named values; the JSON and
// the C header writers only render that tree. The schema is therefore defined
// in one place (CollectParams.cpp) and the two formats cannot disagree on a
// field.
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_LIB_TARGET_PARAMSEXPORT_PARAMSTREE_H
#define QOPT_LIB_TARGET_PARAMSEXPORT_PARAMSTREE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace qopt::params {

using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::StringRef;
using mlir::FailureOr;

/// A value of the schema. Tables are kept apart from lists of objects because
/// they render differently: a C array rather than a group of #defines, and a
/// JSON array on one line.
struct Node {
  enum class Kind {
    Integer,
    Real,
    String,
    IntegerTable,
    RealTable,
    Object,
    List,
  };

  explicit Node(Kind kind) : kind(kind) {}

  static Node integer(int64_t value);
  static Node real(double value);
  static Node string(std::string value);
  /// A table of integers with the C element type the header declares it with
  /// ("int8_t", "uint8_t", "int16_t", "int32_t", ...). `dims` is the shape of
  /// the table in its layout (empty for a plain vector); it only documents
  /// the C declaration, the values are always flat in row-major order.
  static Node integerTable(ArrayRef<int64_t> values, std::string cType,
                           ArrayRef<int64_t> dims = {});
  static Node realTable(ArrayRef<double> values);
  static Node object();
  static Node list();

  /// Appends a member to an object; members keep the order they are added in.
  Node &add(StringRef key, Node value);
  /// Appends an element to a list.
  Node &append(Node value);
  /// The member `key` of an object, or null.
  const Node *find(StringRef key) const;

  Kind kind;
  int64_t integerValue = 0;
  double realValue = 0;
  std::string stringValue;
  SmallVector<int64_t, 0> integers;
  SmallVector<double, 0> reals;
  std::string cType;
  SmallVector<int64_t, 4> dims;
  /// Object members (keys[i] names children[i]) or list elements (no keys).
  std::vector<std::string> keys;
  std::vector<Node> children;
};

/// The parameters of every function with a body in `module`, as the root
/// object of the schema, in the arithmetic of the numerics preset `numerics`
/// (the module's qnn.numerics when empty). Errors are emitted at the
/// offending op.
FailureOr<Node> collectParams(mlir::ModuleOp module, llvm::StringRef numerics);

} // namespace qopt::params

#endif // QOPT_LIB_TARGET_PARAMSEXPORT_PARAMSTREE_H
