//===- IntegerParamsTest.cpp - IntegerParams.h ----------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The output multipliers are checked against the 23 gemmlowp GEMM cases of
// test/vectors/gemm (whose (M0, shift) gemmlowp's generator derived from the
// same float32 scales); the zero-point folding against the unexpanded sum on
// random data; add and clamp parameters on hand-checkable scales.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Utils/IntegerParams.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>
#include <random>

using namespace mlir;
using namespace mlir::qnn;

namespace {

constexpr size_t kGemmCases = 23;

class IntegerParamsTest : public ::testing::Test {
protected:
  IntegerParamsTest() { context.loadDialect<quant::QuantDialect>(); }

  quant::UniformQuantizedType uniform(double scale, int64_t zeroPoint,
                                      bool isSigned = false) {
    return quant::UniformQuantizedType::get(
        isSigned ? quant::QuantizationFlags::Signed : 0,
        IntegerType::get(&context, 8), Float32Type::get(&context), scale,
        zeroPoint, isSigned ? -128 : 0, isSigned ? 127 : 255);
  }

  MLIRContext context;
};

std::string readFile(StringRef relativePath) {
  const char *root = std::getenv("QOPT_SOURCE_DIR");
  if (!root) {
    ADD_FAILURE() << "QOPT_SOURCE_DIR is not set";
    return {};
  }
  auto buffer =
      llvm::MemoryBuffer::getFile(std::string(root) + "/" + relativePath.str());
  if (!buffer) {
    ADD_FAILURE() << "cannot read " << relativePath.str();
    return {};
  }
  return (*buffer)->getBuffer().str();
}

TEST_F(IntegerParamsTest, ContractionMultipliersMatchGemmlowpCases) {
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse(readFile("test/vectors/gemm/gemm_cases.json"));
  ASSERT_TRUE(bool(json)) << llvm::toString(json.takeError());
  const llvm::json::Array *cases = json->getAsObject()->getArray("cases");
  ASSERT_NE(cases, nullptr);
  size_t checked = 0;
  for (const llvm::json::Value &value : *cases) {
    const llvm::json::Object &c = *value.getAsObject();
    std::string name = c.getString("name")->str();
    // The scales are float32 values, printed with 9 significant digits.
    auto f32 = [](std::optional<double> v) { return double(float(*v)); };
    double lhsScale = f32(c.getNumber("scale_lhs_f32"));
    double outScale = f32(c.getNumber("scale_out_f32"));
    const llvm::json::Array &m0 = *c.getArray("fixedpoint_multiplier");
    const llvm::json::Array &shift = *c.getArray("exponent");
    // The per-channel cases quantize the rhs per channel.
    SmallVector<double> rhsScales;
    if (const llvm::json::Array *perChannel =
            c.getArray("scale_rhs_per_channel_f32"))
      for (const llvm::json::Value &s : *perChannel)
        rhsScales.push_back(f32(s.getAsNumber()));
    else
      rhsScales.push_back(f32(c.getNumber("scale_rhs_f32")));

    Type storage = IntegerType::get(&context, 8);
    Type expressed = Float32Type::get(&context);
    quant::QuantizedType weights =
        rhsScales.size() == 1
            ? quant::QuantizedType(uniform(rhsScales[0], 0))
            : quant::QuantizedType(quant::UniformQuantizedPerAxisType::get(
                  0, storage, expressed, rhsScales,
                  SmallVector<int64_t>(rhsScales.size(), 0), 0, 0, 255));
    FailureOr<SmallVector<QuantizedMultiplier>> multipliers =
        getContractionMultipliers(uniform(lhsScale, 0), weights,
                                  uniform(outScale, 0), rhsScales.size());
    ASSERT_TRUE(succeeded(multipliers)) << name;
    ASSERT_EQ(multipliers->size(), m0.size()) << name;
    for (auto [i, m] : llvm::enumerate(*multipliers)) {
      EXPECT_EQ(m.multiplier, *m0[i].getAsInteger()) << name << " #" << i;
      EXPECT_EQ(m.shift, *shift[i].getAsInteger()) << name << " #" << i;
    }
    ++checked;
  }
  EXPECT_EQ(checked, kGemmCases);
}

// Scales that are powers of two make every multiplier exact: TFLite's add
// with S_lhs = 0.5, S_rhs = 0.25, S_out = 1 has 2 * max = 1, M_lhs = 0.5,
// M_rhs = 0.25 and M_out = 1 / (2^20 * 1) = 2^-20.
TEST_F(IntegerParamsTest, AddParams) {
  FailureOr<AddParams> params = getAddParams(0.5, 0.25, 1.0, 8);
  ASSERT_TRUE(succeeded(params));
  EXPECT_EQ(params->leftShift, 20);
  EXPECT_EQ(params->lhs.multiplier, 1 << 30);
  EXPECT_EQ(params->lhs.shift, 0);
  EXPECT_EQ(params->rhs.multiplier, 1 << 30);
  EXPECT_EQ(params->rhs.shift, -1);
  EXPECT_EQ(params->output.multiplier, 1 << 30);
  EXPECT_EQ(params->output.shift, -19);
  EXPECT_EQ(getAddParams(0.5, 0.25, 1.0, 16)->leftShift, 15);
}

// PyTorch qnnpack's add parameters, worked out from
// pytorch_qnnp_compute_add_quantization_params: the larger ratio r in
// [2^e, 2^(e + 1)) gives a right shift of 21 - e and multipliers
// lrintf(r * 2^(21 - e)).
TEST_F(IntegerParamsTest, QnnpackAddParams) {
  // Ratios 0.5 and 0.25: e = -1.
  FailureOr<WeightedAddParams> params = getQnnpackAddParams(0.5, 0.25, 1.0);
  ASSERT_TRUE(succeeded(params));
  EXPECT_EQ(params->lhsMultiplier, 1 << 21);
  EXPECT_EQ(params->rhsMultiplier, 1 << 20);
  EXPECT_EQ(params->rightShift, 22);
  // Ratios float(S) / float(S_out) in float32: 0.3846006 and 1.4230187
  // (e = 0), scaled by 2^21 and rounded.
  params = getQnnpackAddParams(0.0123456789, 0.0456789, 0.0321);
  ASSERT_TRUE(succeeded(params));
  EXPECT_EQ(params->lhsMultiplier, 806566);
  EXPECT_EQ(params->rhsMultiplier, 2984286);
  EXPECT_EQ(params->rightShift, 21);
  // The largest shift, 31 (r = 2^-10), and a smaller ratio whose scaled
  // value 2^17 + 2.5 is a tie: lrintf rounds it to even.
  params = getQnnpackAddParams(0x1p-10, 0x1p-14 + 5 * 0x1p-32, 1.0);
  ASSERT_TRUE(succeeded(params));
  EXPECT_EQ(params->lhsMultiplier, 1 << 21);
  EXPECT_EQ(params->rhsMultiplier, (1 << 17) + 2);
  EXPECT_EQ(params->rightShift, 31);
  // The float below 1 scaled by 2^22 is 2^22 - 1/4, which rounds to 2^22,
  // past qnnpack's asserted bound of 2^22 (not checked in its release
  // builds).
  params = getQnnpackAddParams(1.0 - 0x1p-24, 0.5, 1.0);
  ASSERT_TRUE(succeeded(params));
  EXPECT_EQ(params->lhsMultiplier, 1 << 22);
  EXPECT_EQ(params->rightShift, 22);
  // qnnpack refuses a ratio outside [2^-14, 2^8) and computes a shift
  // beyond 31 when both are below 2^-10.
  EXPECT_TRUE(failed(getQnnpackAddParams(256.0, 1.0, 1.0)));
  EXPECT_TRUE(failed(getQnnpackAddParams(1.0, 0x1p-15, 1.0)));
  EXPECT_TRUE(failed(getQnnpackAddParams(0x1p-11, 0x1p-11, 1.0)));
  EXPECT_TRUE(succeeded(getQnnpackAddParams(0x1p-14, 255.0, 1.0)));
}

// One rounding of the weighted sum, ties away from zero.
TEST_F(IntegerParamsTest, ComputeWeightedAdd) {
  WeightedAddParams params{3, 1, 2};
  EXPECT_EQ(computeWeightedAdd(2, 0, params), 2);   // 1.5
  EXPECT_EQ(computeWeightedAdd(-2, 0, params), -2); // -1.5
  EXPECT_EQ(computeWeightedAdd(0, 2, params), 1);   // 0.5
  EXPECT_EQ(computeWeightedAdd(0, -2, params), -1); // -0.5
  EXPECT_EQ(computeWeightedAdd(1, -6, params), -1); // -0.75
  EXPECT_EQ(computeWeightedAdd(-255, -255, {1 << 22, 1 << 22, 31}), -1);
  EXPECT_EQ(computeWeightedAdd(5, 7, {1, 1, 0}), 12);
}

// TFLite's CalculateActivationRangeQuantized.
TEST_F(IntegerParamsTest, ClampBounds) {
  // ReLU6 on int8 with S = 0.05, Z = -10: 0 -> -10, 6 -> -10 + 120 = 110.
  EXPECT_EQ(getClampBounds(0.0, 6.0, uniform(0.05, -10, true)),
            std::make_pair(int64_t(-10), int64_t(110)));
  // ReLU (no upper bound) keeps the storage maximum.
  EXPECT_EQ(getClampBounds(0.0, INFINITY, uniform(0.05, -10, true)),
            std::make_pair(int64_t(-10), int64_t(127)));
  // Bounds outside the representable range do not clamp: [0, 6] with
  // S = 6/255, Z = 0 is the whole uint8 range.
  EXPECT_EQ(getClampBounds(-1.0, 6.0, uniform(6.0 / 255, 0)),
            std::make_pair(int64_t(0), int64_t(255)));
  // A tie rounds away from zero: 0.125 / 0.25 = 0.5 -> 1.
  EXPECT_EQ(getClampBounds(0.125, 100.0, uniform(0.25, 0)).first, 1);
  // S = 0.2448979616165161 is a float32: 6 / S is 24.5 in float32 (TFLite:
  // 25) but 24.4999998 in double.
  EXPECT_EQ(getClampBounds(0.0, 6.0, uniform(0.2448979616165161, 0)).second,
            25);
}

// sum (x - Zx)(w - Zw) + b == sum x (w - Zw) + folded, on random data, which
// is what --qopt-expand-zero-points relies on.
TEST_F(IntegerParamsTest, FoldedBiasEqualsUnexpandedSum) {
  std::mt19937 rng(1712);
  std::uniform_int_distribution<int64_t> u8(0, 255), s8(-128, 127),
      b32(-100000, 100000);
  for (int trial = 0; trial < 200; ++trial) {
    int64_t depth = 1 + trial % 37, channels = 1 + trial % 5;
    int64_t inputZp = u8(rng);
    SmallVector<int64_t> x(depth), weightZps, bias, weightSums;
    for (int64_t &v : x)
      v = u8(rng);
    SmallVector<SmallVector<int64_t>> w(channels, SmallVector<int64_t>(depth));
    for (int64_t o = 0; o < channels; ++o) {
      weightZps.push_back(trial % 2 ? s8(rng) : 0);
      bias.push_back(b32(rng));
      int64_t sum = 0;
      for (int64_t &v : w[o])
        sum += v = s8(rng);
      weightSums.push_back(sum);
    }
    FailureOr<SmallVector<int32_t>> folded =
        foldZeroPointsIntoBias(weightSums, depth, inputZp, weightZps, bias);
    ASSERT_TRUE(succeeded(folded));
    for (int64_t o = 0; o < channels; ++o) {
      int64_t unexpanded = bias[o], expanded = (*folded)[o];
      for (int64_t k = 0; k < depth; ++k) {
        unexpanded += (x[k] - inputZp) * (w[o][k] - weightZps[o]);
        expanded += x[k] * (w[o][k] - weightZps[o]);
      }
      EXPECT_EQ(expanded, unexpanded) << "trial " << trial << " channel " << o;
    }
  }
}

TEST_F(IntegerParamsTest, FoldedBiasOverflowFails) {
  // -Zx * sum w = -255 * 2^24 alone is below -2^31.
  EXPECT_TRUE(failed(foldZeroPointsIntoBias({int64_t(1) << 24}, 1, 255, {0}, {})));
  EXPECT_TRUE(succeeded(foldZeroPointsIntoBias({1 << 20}, 1, 255, {0}, {})));
}

TEST_F(IntegerParamsTest, AccumulatorRangeIsExact) {
  // Every input vector of 3 taps in [-3, 4] against random weights: the
  // range is the smallest and the largest sum any of them gives.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int64_t> weight(-5, 5);
  IntegerRange input{-3, 4};
  for (int trial = 0; trial < 50; ++trial) {
    int64_t w[3], positive = 0, negative = 0, bias = weight(rng);
    for (int64_t &d : w)
      (d > 0 ? positive : negative) += d = weight(rng);
    int64_t min = INT64_MAX, max = INT64_MIN;
    for (int64_t x0 = input.min; x0 <= input.max; ++x0)
      for (int64_t x1 = input.min; x1 <= input.max; ++x1)
        for (int64_t x2 = input.min; x2 <= input.max; ++x2) {
          int64_t acc = x0 * w[0] + x1 * w[1] + x2 * w[2] + bias;
          min = std::min(min, acc);
          max = std::max(max, acc);
        }
    IntegerRange range = getAccumulatorRange(input, positive, negative, bias);
    EXPECT_EQ(range.min, min) << "trial " << trial;
    EXPECT_EQ(range.max, max) << "trial " << trial;
  }
}

TEST_F(IntegerParamsTest, AccumulatorRangeOfVariableWeights) {
  // i16 x i8, 512 taps: (-32768) * (-128) * 512 = 2^31, one above int32.
  IntegerRange range =
      getAccumulatorRange({-32768, 32767}, {-128, 127}, 512, 0);
  EXPECT_EQ(range.max, int64_t(1) << 31);
  EXPECT_EQ(range.min, 32767 * -128 * 512);
  EXPECT_FALSE(range.fitsInInt32());
  EXPECT_TRUE(
      getAccumulatorRange({-32768, 32767}, {-128, 127}, 511, 0).fitsInInt32());
  // An absurd depth saturates instead of wrapping.
  EXPECT_EQ(
      getAccumulatorRange({-128, 127}, {-128, 127}, int64_t(1) << 60, 5).max,
      INT64_MAX);
}

TEST_F(IntegerParamsTest, MultiplierInputOverflow) {
  // i8 minus zero point 0: 127 * 2^24 fits, -128 * 2^24 = -2^31 fits, 2^25
  // does not.
  EXPECT_EQ(findMultiplierInputOverflow({-128, 127}, 24), std::nullopt);
  EXPECT_EQ(findMultiplierInputOverflow({-128, 127}, 25), 127);
  EXPECT_EQ(findMultiplierInputOverflow({-255, 0}, 24), -255);
  // A right shift only needs x itself in int32.
  EXPECT_EQ(findMultiplierInputOverflow({-(int64_t(1) << 31), 0}, -3),
            std::nullopt);
  EXPECT_EQ(findMultiplierInputOverflow({0, int64_t(1) << 31}, -3), int64_t(1)
                                                                        << 31);
}

TEST_F(IntegerParamsTest, AddSumRange) {
  // TFLite's 8-bit add of equal scales: each input scaled by 2^20 and
  // halved, so 255 * 2^20 / 2 per side.
  FailureOr<AddParams> params = getAddParams(0.5, 0.5, 0.5, 8);
  ASSERT_TRUE(succeeded(params));
  IntegerRange sum =
      getAddSumRange({0, 255}, {-128, 127}, *params, RoundingMode::DoubleRound);
  EXPECT_EQ(sum.min, -64 * (1 << 20));
  EXPECT_EQ(sum.max, 191 * (1 << 20));
}

TEST_F(IntegerParamsTest, UnencodableMultiplierFails) {
  // M = 2^31 needs a shift beyond kMaxShift.
  EXPECT_TRUE(failed(getRescaleMultiplier(std::ldexp(1.0, 31), 1.0)));
  EXPECT_TRUE(failed(getRescaleMultiplier(1.0, 0.0)));
}

} // namespace
