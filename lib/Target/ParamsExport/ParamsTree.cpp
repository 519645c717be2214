//===- ParamsTree.cpp - The exported parameters as a tree -----------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "ParamsTree.h"

#include "llvm/ADT/STLExtras.h"

#include <cassert>

using namespace qopt::params;

Node Node::integer(int64_t value) {
  Node node(Kind::Integer);
  node.integerValue = value;
  return node;
}

Node Node::real(double value) {
  Node node(Kind::Real);
  node.realValue = value;
  return node;
}

Node Node::string(std::string value) {
  Node node(Kind::String);
  node.stringValue = std::move(value);
  return node;
}

Node Node::integerTable(ArrayRef<int64_t> values, std::string cType,
                        ArrayRef<int64_t> dims) {
  Node node(Kind::IntegerTable);
  node.integers.assign(values.begin(), values.end());
  node.cType = std::move(cType);
  node.dims.assign(dims.begin(), dims.end());
  return node;
}

Node Node::realTable(ArrayRef<double> values) {
  Node node(Kind::RealTable);
  node.reals.assign(values.begin(), values.end());
  return node;
}

Node Node::object() { return Node(Kind::Object); }

Node Node::list() { return Node(Kind::List); }

Node &Node::add(StringRef key, Node value) {
  assert(kind == Kind::Object && "members belong to objects");
  keys.push_back(key.str());
  children.push_back(std::move(value));
  return *this;
}

Node &Node::append(Node value) {
  assert(kind == Kind::List && "elements belong to lists");
  children.push_back(std::move(value));
  return *this;
}

const Node *Node::find(StringRef key) const {
  for (auto [name, child] : llvm::zip_equal(keys, children))
    if (name == key)
      return &child;
  return nullptr;
}
