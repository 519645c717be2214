//===- CheckNumericsTest.cpp - The end of --check-numerics ----------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// qopt-run --jit and qopt-compile end --check-numerics by running the
// compiled code on the inputs the passes were checked on and comparing it
// with the last stage the interpreter ran. No pass can be made to break the
// compiled code alone from the command line, so this test lowers a function
// under the checker, runs it with qopt::runJit and hands checkResults both
// the true results and results changed by one.
//
//===----------------------------------------------------------------------===//

#include "qopt/Analysis/CheckNumerics.h"
#include "qopt/ExecutionEngine/ExecutionEngine.h"

#include "ModuleTest.h"

#include "mlir/Pass/PassManager.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace qopt;
using interpreter::Tensor;

namespace {

/// gemmlowp's requantization of int32 accumulators to int8.
constexpr const char *kModule = R"mlir(
func.func @requantize(%acc: tensor<1x8xi32>) -> tensor<1x8xi8> {
  %0 = qnn.int.rescale %acc {multiplier = array<i32: 1292648492>,
         shift = array<i32: -28>, output_zp = -5 : i64}
       : (tensor<1x8xi32>) -> tensor<1x8xi8>
  return %0 : tensor<1x8xi8>
}
)mlir";

class CheckNumericsTest : public qopt::testing::ModuleTest {
protected:
  CheckNumericsTest() : ModuleTest(kModule) {}
};

TEST_F(CheckNumericsTest, ComparesCompiledCodeWithTheLastInterpretedStage) {
  ASSERT_TRUE(module) << messages;
  numerics::CheckNumericsOptions options;
  options.seeds = 2;
  numerics::NumericsChecker checker(options);
  LowerToLLVMOptions lowering;
  lowering.flatCallingConvention = true;
  ASSERT_TRUE(succeeded(lowerToLLVMDialect(
      *module, lowering,
      [&](PassManager &pm) {
        checker.instrument(pm);
        return success();
      })))
      << messages;
  ASSERT_FALSE(checker.hasFailed()) << messages;

  ArrayRef<SmallVector<Tensor>> runs = checker.getInputs("requantize");
  ASSERT_EQ(runs.size(), 2u);
  auto resultType =
      RankedTensorType::get({1, 8}, IntegerType::get(&context, 8));
  for (auto [run, inputs] : llvm::enumerate(runs)) {
    FailureOr<SmallVector<Tensor>> results =
        runJit(*module, "requantize", inputs, {resultType});
    ASSERT_TRUE(succeeded(results)) << messages;
    ASSERT_EQ(results->size(), 1u);
    // Random accumulators span int32; M = 0.6 * 2^-28 keeps the results
    // inside int8.
    EXPECT_NE(llvm::count((*results)[0].ints, 127) +
                  llvm::count((*results)[0].ints, -128),
              8);
    EXPECT_TRUE(succeeded(checker.checkResults(
        module->getLoc(), "requantize", "the compiled code", run, *results)))
        << messages;
  }
  EXPECT_EQ(messages, "");

  FailureOr<SmallVector<Tensor>> results =
      runJit(*module, "requantize", runs[1], {resultType});
  ASSERT_TRUE(succeeded(results)) << messages;
  int64_t &changed = (*results)[0].ints[3];
  std::string expected = "--qopt-check-numerics: the compiled code of "
                         "@requantize changed result #0: element [0, 3] is " +
                         std::to_string(changed + 1) +
                         ", the interpreter gives " + std::to_string(changed);
  changed += 1;
  EXPECT_TRUE(failed(checker.checkResults(module->getLoc(), "requantize",
                                          "the compiled code", 1, *results)));
  EXPECT_TRUE(checker.hasFailed());
  EXPECT_NE(messages.find(expected), std::string::npos) << messages;
  EXPECT_NE(messages.find("(input seed 2)"), std::string::npos) << messages;
}

} // namespace
