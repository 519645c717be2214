//===- PatternsTest.cpp - The QNN patterns as embedders use them ----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// What the passes' lit tests cannot show: an embedder that runs
// populateExpandZeroPointsPatterns in its own pattern set gets the pass's
// accumulator check through checkExpandZeroPoints.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Transforms/Patterns.h"

#include "ModuleTest.h"

#include "qopt/Dialect/QNN/IR/QNN.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "gtest/gtest.h"

using namespace mlir;

namespace {

/// @overflow: 70000 taps of 127 times ui8 inputs minus 1 reach
/// 127 * 254 * 70000 = 2258060000. @fits: 4 taps.
constexpr const char *kModule = R"mlir(
func.func @overflow(%x: tensor<1x70000xui8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<127> : tensor<1x70000xi8>
  %0 = qnn.int.fully_connected %x, %w {input_zp = 1 : i64}
       : (tensor<1x70000xui8>, tensor<1x70000xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}
func.func @fits(%x: tensor<1x4xui8>) -> tensor<1x1xi32> {
  %w = arith.constant dense<127> : tensor<1x4xi8>
  %0 = qnn.int.fully_connected %x, %w {input_zp = 1 : i64}
       : (tensor<1x4xui8>, tensor<1x4xi8>) -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}
)mlir";

class PatternsTest : public qopt::testing::ModuleTest {
protected:
  PatternsTest() : ModuleTest(kModule) {}

  /// Whether `func`'s contraction lost its input zero point.
  bool isExpanded(func::FuncOp func) {
    bool expanded = false;
    func.walk(
        [&](qnn::IntFullyConnectedOp op) { expanded = op.getInputZp() == 0; });
    return expanded;
  }

  LogicalResult expand(func::FuncOp func) {
    RewritePatternSet patterns(&context);
    qnn::populateExpandZeroPointsPatterns(patterns);
    return applyPatternsGreedily(func, std::move(patterns));
  }
};

TEST_F(PatternsTest, CheckReportsOverflowBeforeThePatterns) {
  ASSERT_TRUE(module);
  func::FuncOp func = lookup("overflow");
  EXPECT_TRUE(failed(qnn::checkExpandZeroPoints(func)));
  EXPECT_NE(messages.find("int32 accumulator of output channel 0 can reach "
                          "2258060000, outside int32"),
            std::string::npos)
      << messages;
  EXPECT_FALSE(isExpanded(func));
}

TEST_F(PatternsTest, WarningStillExpands) {
  ASSERT_TRUE(module);
  func::FuncOp func = lookup("overflow");
  EXPECT_TRUE(succeeded(qnn::checkExpandZeroPoints(func, /*warnOnly=*/true)));
  EXPECT_NE(messages.find("can reach 2258060000"), std::string::npos)
      << messages;
  ASSERT_TRUE(succeeded(expand(func)));
  EXPECT_TRUE(isExpanded(func));
}

TEST_F(PatternsTest, CheckPassesWhatFits) {
  ASSERT_TRUE(module);
  func::FuncOp func = lookup("fits");
  EXPECT_TRUE(succeeded(qnn::checkExpandZeroPoints(func)));
  EXPECT_EQ(messages, "");
  ASSERT_TRUE(succeeded(expand(func)));
  EXPECT_TRUE(isExpanded(func));
}

} // namespace
