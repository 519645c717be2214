//===- InterpreterTest.cpp - The interpreter's C++ interface --------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// What qopt-run cannot reach: inputs built in C++ that do not match the
// function (count, type, values) and functions that do not verify, all
// reported as diagnostics instead of assertions. The op semantics are tested
// through qopt-run in test/Interpreter.
//
//===----------------------------------------------------------------------===//

#include "qopt/Interpreter/Interpreter.h"

#include "ModuleTest.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir;
using namespace qopt::interpreter;

namespace {

/// i8 storage (zero point 3) plus an i8 constant, through qnn.int.add.
constexpr const char *kModule = R"mlir(
func.func @add(%x: tensor<2xi8>) -> tensor<2xi8> {
  %c = arith.constant dense<[1, -2]> : tensor<2xi8>
  %0 = qnn.int.add %x, %c {lhs_zp = 3 : i64, rhs_zp = 0 : i64, output_zp = 0 : i64,
         left_shift = 20 : i64, lhs_multiplier = 1073741824 : i32, lhs_shift = 0 : i32,
         rhs_multiplier = 1073741824 : i32, rhs_shift = 0 : i32,
         output_multiplier = 1073741824 : i32, output_shift = -18 : i32}
       : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  return %0 : tensor<2xi8>
}
func.func @half(%x: tensor<1xf16>) -> tensor<1xf16> {
  return %x : tensor<1xf16>
}
)mlir";

class InterpreterTest : public qopt::testing::ModuleTest {
protected:
  InterpreterTest() : ModuleTest(kModule) {}

  Tensor i8Tensor(std::vector<int64_t> values) {
    return Tensor{RankedTensorType::get({int64_t(values.size())},
                                        IntegerType::get(&context, 8)),
                  {},
                  std::move(values)};
  }
};

TEST_F(InterpreterTest, Runs) {
  // Each input times 2^20 / 2 (M0 = 2^30 is 1/2), the sum times
  // 2^-18 / 2: q - 3 + c.
  FailureOr<SmallVector<Tensor>> results =
      interpret(lookup("add"), {i8Tensor({5, 10})});
  ASSERT_TRUE(succeeded(results)) << messages;
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ((*results)[0].ints, (std::vector<int64_t>{3, 5}));
  EXPECT_TRUE((*results)[0].floats.empty());
}

TEST_F(InterpreterTest, WrongInputCount) {
  EXPECT_TRUE(failed(interpret(lookup("add"), {})));
  EXPECT_NE(messages.find("expects 1 inputs, got 0"), std::string::npos)
      << messages;
}

TEST_F(InterpreterTest, WrongInputType) {
  EXPECT_TRUE(failed(interpret(lookup("add"), {i8Tensor({1, 2, 3})})));
  EXPECT_NE(messages.find("input #0 has type 'tensor<3xi8>' but argument #0 "
                          "has type 'tensor<2xi8>'"),
            std::string::npos)
      << messages;
}

TEST_F(InterpreterTest, InputOutOfRange) {
  EXPECT_TRUE(failed(interpret(lookup("add"), {i8Tensor({1, 128})})));
  EXPECT_NE(
      messages.find("input #0 value 128 at [1] is outside the range [-128, "
                    "127] of 'i8'"),
      std::string::npos)
      << messages;
}

TEST_F(InterpreterTest, MissingValues) {
  Tensor input = i8Tensor({1, 2});
  input.ints.pop_back();
  EXPECT_TRUE(failed(interpret(lookup("add"), {input})));
  EXPECT_NE(messages.find("input #0 does not hold 2 integer values"),
            std::string::npos)
      << messages;
}

TEST_F(InterpreterTest, UnrepresentableFloat) {
  Tensor input{
      RankedTensorType::get({1}, Float16Type::get(&context)), {0.1}, {}};
  EXPECT_TRUE(failed(interpret(lookup("half"), {input})));
  EXPECT_NE(
      messages.find("input #0 value 1.000000e-01 at [0] is not representable "
                    "in 'f16'"),
      std::string::npos)
      << messages;
  input.floats = {roundToFloatType(0.1, Float16Type::get(&context))};
  EXPECT_TRUE(succeeded(interpret(lookup("half"), {input}))) << messages;
}

TEST_F(InterpreterTest, VerifiesFirst) {
  func::FuncOp add = lookup("add");
  // Break the op after parsing: a zero point outside i8.
  add.getBody().front().front().getNextNode()->setAttr(
      "lhs_zp", IntegerAttr::get(IntegerType::get(&context, 64), 300));
  EXPECT_TRUE(failed(interpret(add, {i8Tensor({1, 2})})));
  EXPECT_NE(messages.find("'lhs_zp' (300) is outside the range [-128, 127]"),
            std::string::npos)
      << messages;
}

} // namespace
