//===- QuantParamsTest.cpp - QuantParams.h against reference vectors ------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// Checks every row of test/vectors/quant-params/*.json against QuantParams.h.
// The PyTorch values come from torch 1.13 itself, the gemmlowp and TensorFlow
// values from re-implementations of their C++ (see generate.py beside the
// vectors). The numbers of rows checked are compared with the counts that
// generate.py printed, so that a missing or truncated file fails instead of
// passing vacuously.
//
//===----------------------------------------------------------------------===//

#include "qopt/Dialect/QNN/Utils/QuantParams.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

using namespace mlir;
using namespace mlir::qnn;
namespace json = llvm::json;

namespace {

// Counts printed by generate.py.
constexpr size_t kRangeRows = 680;
constexpr size_t kWeightCases = 10;
constexpr size_t kWeightValues = 457;
constexpr size_t kWeightChannels = 28;
constexpr size_t kQuantizeRows = 366;
constexpr size_t kBiasRows = 56;
constexpr size_t kBiasFailures = 9;

struct Convention {
  const char *name;
  RangeConvention value;
  /// ranges.json rows where chooseQuantParams must fail.
  size_t rangeFailures;
  /// quantize.json rows without a reference value (undefined in the
  /// reference, or narrow storage for PyTorch).
  size_t quantizeSkipped;
};

constexpr Convention kConventions[] = {
    {"gemmlowp", RangeConvention::Gemmlowp, 12, 0},
    {"tensorflow", RangeConvention::TensorFlow, 28, 24},
    {"pytorch", RangeConvention::PyTorch, 20, 71},
};

constexpr StorageRange kStorages[] = {
    {0, 255}, {-128, 127}, {-127, 127}, {0, 127}};

std::string toString(const json::Value &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return text;
}

/// Reads $QOPT_SOURCE_DIR/test/vectors/quant-params/<name>. An unset
/// variable, a missing file or invalid JSON is a test failure (not a skip)
/// and gives std::nullopt.
std::optional<json::Value> readVectors(StringRef name) {
  const char *sourceDir = std::getenv("QOPT_SOURCE_DIR");
  if (!sourceDir) {
    ADD_FAILURE() << "QOPT_SOURCE_DIR is not set; it must name the qopt "
                     "source tree (lit sets it, see unittests/lit.cfg.py)";
    return std::nullopt;
  }
  SmallString<256> path(sourceDir);
  llvm::sys::path::append(path, "test", "vectors", "quant-params", name);
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    ADD_FAILURE() << "cannot read " << path.str().str() << ": "
                  << buffer.getError().message();
    return std::nullopt;
  }
  llvm::Expected<json::Value> value = json::parse((*buffer)->getBuffer());
  if (!value) {
    ADD_FAILURE() << path.str().str() << ": "
                  << llvm::toString(value.takeError());
    return std::nullopt;
  }
  return std::move(*value);
}

/// Typed access to JSON values; a value of the wrong type is a test failure
/// naming `where`.
double getDouble(const json::Value *value, const std::string &where) {
  std::optional<double> number = value ? value->getAsNumber() : std::nullopt;
  if (!number)
    ADD_FAILURE() << where << ": not a number";
  return number.value_or(0);
}

int64_t getInt(const json::Value *value, const std::string &where) {
  std::optional<int64_t> number = value ? value->getAsInteger() : std::nullopt;
  if (!number)
    ADD_FAILURE() << where << ": not an integer";
  return number.value_or(0);
}

const json::Array &getArray(const json::Value *value,
                            const std::string &where) {
  static const json::Array empty;
  const json::Array *array = value ? value->getAsArray() : nullptr;
  if (!array)
    ADD_FAILURE() << where << ": not an array";
  return array ? *array : empty;
}

/// A {"columns": [...], "rows": [[...], ...]} file. Fields are looked up by
/// column name so that the tests do not depend on the column order.
class Table {
public:
  class Row {
  public:
    Row(const Table &table, size_t index, const json::Array &fields)
        : table(table), index(index), fields(fields) {}

    bool isNull(StringRef column) const {
      const json::Value *field = get(column);
      return field && field->getAsNull();
    }
    double getDouble(StringRef column) const {
      return ::getDouble(get(column), describe(column));
    }
    int64_t getInt(StringRef column) const {
      return ::getInt(get(column), describe(column));
    }

    friend std::ostream &operator<<(std::ostream &os, const Row &row) {
      return os << row.table.name << " row " << row.index << ": "
                << toString(json::Value(json::Array(row.fields)));
    }

  private:
    const json::Value *get(StringRef column) const {
      auto it = llvm::find(table.columns, column);
      if (it == table.columns.end() ||
          size_t(it - table.columns.begin()) >= fields.size()) {
        ADD_FAILURE() << describe(column) << ": no such column";
        return nullptr;
      }
      return &fields[it - table.columns.begin()];
    }
    std::string describe(StringRef column) const {
      return table.name + " row " + std::to_string(index) + " column '" +
             column.str() + "'";
    }

    const Table &table;
    size_t index;
    const json::Array &fields;
  };

  explicit Table(StringRef fileName) : name(fileName.str()) {
    root = readVectors(fileName);
    if (!root)
      return;
    const json::Object *object = root->getAsObject();
    if (!object) {
      ADD_FAILURE() << name << " is not a JSON object";
      return;
    }
    for (const json::Value &column :
         getArray(object->get("columns"), name + " columns"))
      columns.push_back(column.getAsString().value_or("").str());
    for (const json::Value &row : getArray(object->get("rows"), name + " rows"))
      rows.emplace_back(
          *this, rows.size(),
          getArray(&row, name + " row " + std::to_string(rows.size())));
  }
  Table(const Table &) = delete;
  Table &operator=(const Table &) = delete;

  ArrayRef<Row> getRows() const { return rows; }

private:
  std::string name;
  std::optional<json::Value> root;
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

std::ostream &operator<<(std::ostream &os, const Convention &convention) {
  return os << "convention " << convention.name;
}

/// Scales of the float32 conventions must be float32 values, as the
/// libraries store them; the vectors then compare them exactly as doubles.
void expectFloat32Scale(double scale, const Convention &convention) {
  if (convention.value != RangeConvention::Gemmlowp)
    EXPECT_EQ(scale, static_cast<double>(static_cast<float>(scale)))
        << convention;
}

TEST(QuantParamsTest, ChooseQuantParams) {
  Table table("ranges.json");
  size_t checked = 0;
  for (const Convention &convention : kConventions) {
    size_t failures = 0;
    std::string scaleColumn = std::string(convention.name) + "_scale";
    std::string zeroPointColumn = std::string(convention.name) + "_zero_point";
    for (const Table::Row &row : table.getRows()) {
      FailureOr<QuantParams> params =
          chooseQuantParams(row.getDouble("min"), row.getDouble("max"),
                            {row.getInt("qmin"), row.getInt("qmax")},
                            row.getInt("symmetric") != 0, convention.value);
      if (row.isNull(scaleColumn)) {
        EXPECT_TRUE(failed(params)) << row << ", " << convention;
        ++failures;
        continue;
      }
      if (failed(params)) {
        ADD_FAILURE() << row << ", " << convention << ": failed";
        continue;
      }
      EXPECT_EQ(params->scale, row.getDouble(scaleColumn))
          << row << ", " << convention;
      EXPECT_EQ(params->zeroPoint, row.getInt(zeroPointColumn))
          << row << ", " << convention;
      expectFloat32Scale(params->scale, convention);
      ++checked;
    }
    EXPECT_EQ(failures, convention.rangeFailures) << convention;
  }
  size_t expectedFailures = 0;
  for (const Convention &convention : kConventions)
    expectedFailures += convention.rangeFailures;
  EXPECT_EQ(table.getRows().size(), kRangeRows);
  EXPECT_EQ(checked, kRangeRows * std::size(kConventions) - expectedFailures);
}

/// Per-channel and per-tensor weights: each channel's parameters from its
/// min and max, then every value quantized with the reference's parameters.
TEST(QuantParamsTest, QuantizeWeights) {
  std::optional<json::Value> file = readVectors("weights.json");
  const json::Object *root = file ? file->getAsObject() : nullptr;
  ASSERT_TRUE(root) << "weights.json is not a JSON object";
  const json::Array &cases = getArray(root->get("cases"), "weights.json cases");
  size_t values = 0, channels = 0;
  for (const json::Value &caseValue : cases) {
    const json::Object *testCase = caseValue.getAsObject();
    ASSERT_TRUE(testCase) << "weights.json case is not an object";
    std::string name = testCase->getString("name").value_or("?").str();
    std::vector<int64_t> shape;
    for (const json::Value &dim : getArray(testCase->get("shape"), name))
      shape.push_back(getInt(&dim, name + " shape"));
    std::optional<int64_t> axis = testCase->getInteger("axis");
    StorageRange storage{getInt(testCase->get("qmin"), name),
                         getInt(testCase->get("qmax"), name)};
    bool symmetric = getInt(testCase->get("symmetric"), name) != 0;
    std::vector<double> data;
    for (const json::Value &value : getArray(testCase->get("values"), name))
      data.push_back(getDouble(&value, name + " values"));

    // Channel of each value: the index along `axis` of the row-major shape.
    size_t numChannels = axis ? shape[*axis] : 1;
    size_t inner = 1;
    if (axis)
      for (size_t d = *axis + 1; d < shape.size(); ++d)
        inner *= shape[d];
    auto channelOf = [&](size_t i) { return (i / inner) % numChannels; };
    std::vector<double> channelMin(numChannels,
                                   std::numeric_limits<double>::infinity());
    std::vector<double> channelMax(numChannels,
                                   -std::numeric_limits<double>::infinity());
    for (auto [i, value] : llvm::enumerate(data)) {
      channelMin[channelOf(i)] = std::min(channelMin[channelOf(i)], value);
      channelMax[channelOf(i)] = std::max(channelMax[channelOf(i)], value);
    }

    const json::Object *results = testCase->getObject("results");
    ASSERT_TRUE(results) << name << ": no results";
    for (const Convention &convention : kConventions) {
      std::string where = name + " " + convention.name;
      const json::Object *result = results->getObject(convention.name);
      ASSERT_TRUE(result) << where << ": missing";
      const json::Array &scales = getArray(result->get("scales"), where);
      const json::Array &zeroPoints =
          getArray(result->get("zero_points"), where);
      const json::Array &quantized = getArray(result->get("quantized"), where);
      ASSERT_EQ(scales.size(), numChannels) << where;
      ASSERT_EQ(zeroPoints.size(), numChannels) << where;
      ASSERT_EQ(quantized.size(), data.size()) << where;

      std::vector<QuantParams> expected;
      for (size_t c = 0; c < numChannels; ++c) {
        expected.push_back(
            {getDouble(&scales[c], where), getInt(&zeroPoints[c], where)});
        FailureOr<QuantParams> params = chooseQuantParams(
            channelMin[c], channelMax[c], storage, symmetric, convention.value);
        if (failed(params)) {
          ADD_FAILURE() << where << " channel " << c << ": failed";
          continue;
        }
        EXPECT_EQ(params->scale, expected[c].scale)
            << where << " channel " << c;
        EXPECT_EQ(params->zeroPoint, expected[c].zeroPoint)
            << where << " channel " << c;
      }
      for (auto [i, value] : llvm::enumerate(data))
        EXPECT_EQ(quantizeValue(value, expected[channelOf(i)], storage,
                                convention.value),
                  getInt(&quantized[i], where))
            << where << " value " << i << " = " << value;
    }
    values += data.size();
    channels += numChannels;
  }
  EXPECT_EQ(cases.size(), kWeightCases);
  EXPECT_EQ(values, kWeightValues);
  EXPECT_EQ(channels, kWeightChannels);
}

/// Ties, clamping and values that are not float32, with given parameters.
TEST(QuantParamsTest, QuantizeValue) {
  Table table("quantize.json");
  for (const Convention &convention : kConventions) {
    size_t skipped = 0;
    for (const Table::Row &row : table.getRows()) {
      if (row.isNull(convention.name)) {
        ++skipped;
        continue;
      }
      QuantParams params{row.getDouble("scale"), row.getInt("zero_point")};
      StorageRange storage{row.getInt("qmin"), row.getInt("qmax")};
      EXPECT_EQ(quantizeValue(row.getDouble("value"), params, storage,
                              convention.value),
                row.getInt(convention.name))
          << row << ", " << convention;
    }
    EXPECT_EQ(skipped, convention.quantizeSkipped) << convention;
  }
  EXPECT_EQ(table.getRows().size(), kQuantizeRows);
}

TEST(QuantParamsTest, QuantizeBias) {
  Table table("bias.json");
  size_t failures = 0;
  for (const Table::Row &row : table.getRows()) {
    FailureOr<int32_t> bias =
        quantizeBias(row.getDouble("value"), row.getDouble("scale"));
    if (row.isNull("quantized")) {
      EXPECT_TRUE(failed(bias)) << row;
      ++failures;
      continue;
    }
    if (failed(bias)) {
      ADD_FAILURE() << row << ": failed";
      continue;
    }
    EXPECT_EQ(*bias, row.getInt("quantized")) << row;
  }
  EXPECT_EQ(table.getRows().size(), kBiasRows);
  EXPECT_EQ(failures, kBiasFailures);
}

TEST(QuantParamsTest, ChooseQuantParamsRejectsInvalidRanges) {
  using Limits = std::numeric_limits<double>;
  const double nan = Limits::quiet_NaN(), inf = Limits::infinity();
  const std::pair<double, double> invalid[] = {
      {nan, 1.0},  {-1.0, nan}, {nan, nan},
      {-inf, 1.0}, {-1.0, inf}, {-inf, inf},
      {inf, inf},  {1.0, -1.0}, {0.0, -Limits::denorm_min()}};
  for (const Convention &convention : kConventions)
    for (StorageRange storage : kStorages)
      for (bool symmetric : {false, true})
        for (auto [min, max] : invalid)
          EXPECT_TRUE(failed(chooseQuantParams(min, max, storage, symmetric,
                                               convention.value)))
              << convention << " [" << min << ", " << max << "] storage ["
              << storage.min << ", " << storage.max << "]";
}

TEST(QuantParamsTest, ChooseQuantParamsRejectsInvalidStorage) {
  const StorageRange invalid[] = {{0, 0},
                                  {127, -128},
                                  {0, int64_t(1) << 31},
                                  {-(int64_t(1) << 31) - 1, 0},
                                  {std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::max()}};
  for (const Convention &convention : kConventions)
    for (StorageRange storage : invalid)
      for (bool symmetric : {false, true})
        EXPECT_TRUE(failed(
            chooseQuantParams(-1.0, 1.0, storage, symmetric, convention.value)))
            << convention << " storage [" << storage.min << ", " << storage.max
            << "]";

  // TensorFlow's narrow uint8, [1, 255], does not contain 0: PyTorch's
  // observers reject it, the others give a zero point inside it.
  EXPECT_TRUE(failed(
      chooseQuantParams(-1.0, 1.0, {1, 255}, false, RangeConvention::PyTorch)));
  FailureOr<QuantParams> narrow =
      chooseQuantParams(0.0, 6.0, {1, 255}, false, RangeConvention::TensorFlow);
  ASSERT_TRUE(succeeded(narrow));
  EXPECT_EQ(narrow->scale, static_cast<double>(6.0f / 254.0f));
  EXPECT_EQ(narrow->zeroPoint, 1);

  // The full int32 range is valid storage.
  EXPECT_TRUE(succeeded(chooseQuantParams(-1.0, 1.0,
                                          {std::numeric_limits<int32_t>::min(),
                                           std::numeric_limits<int32_t>::max()},
                                          false, RangeConvention::Gemmlowp)));
}

/// Whatever the convention, the range {0} gets a positive scale and real 0
/// quantizes to the zero point.
TEST(QuantParamsTest, DegenerateRangeRepresentsZero) {
  for (const Convention &convention : kConventions)
    for (StorageRange storage : kStorages)
      for (bool symmetric : {false, true}) {
        FailureOr<QuantParams> params =
            chooseQuantParams(0.0, 0.0, storage, symmetric, convention.value);
        ASSERT_TRUE(succeeded(params)) << convention;
        EXPECT_GT(params->scale, 0) << convention;
        EXPECT_EQ(quantizeValue(0.0, *params, storage, convention.value),
                  params->zeroPoint)
            << convention;
      }
}

/// Inputs the references leave undefined: qopt saturates, and NaN gives the
/// zero point (clamped to storage).
TEST(QuantParamsTest, QuantizeValueSaturates) {
  using Limits = std::numeric_limits<double>;
  for (const Convention &convention : kConventions) {
    RangeConvention c = convention.value;
    QuantParams params{0.5, 3};
    StorageRange u8{0, 255};
    EXPECT_EQ(quantizeValue(Limits::infinity(), params, u8, c), 255);
    EXPECT_EQ(quantizeValue(-Limits::infinity(), params, u8, c), 0);
    EXPECT_EQ(quantizeValue(Limits::max(), params, u8, c), 255);
    EXPECT_EQ(quantizeValue(-Limits::max(), params, u8, c), 0);
    EXPECT_EQ(quantizeValue(1e30, params, u8, c), 255);
    EXPECT_EQ(quantizeValue(-1e30, params, u8, c), 0);
    EXPECT_EQ(quantizeValue(Limits::quiet_NaN(), params, u8, c), 3);
    EXPECT_EQ(quantizeValue(Limits::quiet_NaN(), {0.5, 300}, u8, c), 255);
    // Values beyond int64 saturate for the widest storage too.
    StorageRange i64{std::numeric_limits<int64_t>::min(),
                     std::numeric_limits<int64_t>::max()};
    EXPECT_EQ(quantizeValue(1e30, params, i64, c), i64.max) << convention;
    EXPECT_EQ(quantizeValue(-1e30, params, i64, c), i64.min) << convention;
    // A zero scale makes every nonzero value infinite and 0 NaN.
    EXPECT_EQ(quantizeValue(1.0, {0.0, 3}, u8, c), 255) << convention;
    EXPECT_EQ(quantizeValue(0.0, {0.0, 3}, u8, c), 3) << convention;
  }
}

TEST(QuantParamsTest, QuantizeBiasRejectsInvalid) {
  using Limits = std::numeric_limits<double>;
  EXPECT_TRUE(failed(quantizeBias(1.0, 0.0)));
  EXPECT_TRUE(failed(quantizeBias(0.0, 0.0)));
  EXPECT_TRUE(failed(quantizeBias(1.0, -0.5)));
  EXPECT_TRUE(failed(quantizeBias(1.0, Limits::quiet_NaN())));
  EXPECT_TRUE(failed(quantizeBias(1.0, Limits::infinity())));
  EXPECT_TRUE(failed(quantizeBias(Limits::quiet_NaN(), 1.0)));
  EXPECT_TRUE(failed(quantizeBias(Limits::infinity(), 1.0)));
  EXPECT_TRUE(failed(quantizeBias(-Limits::infinity(), 1.0)));
}

} // namespace
