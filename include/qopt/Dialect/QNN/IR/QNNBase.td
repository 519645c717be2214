//===- QNNBase.td - QNN dialect definition -----------------*- tablegen -*-===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//
//
// The dialect, its enums and the tensor type constraints shared by the
// float/quantized-level ops (QNNOps.td) and the integer-level ops
// (QNNIntOps.td).
//
//===----------------------------------------------------------------------===//

#ifndef QOPT_DIALECT_QNN_IR_QNNBASE_TD
#define QOPT_DIALECT_QNN_IR_QNNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"

def QNN_Dialect : Dialect {
  let name = "qnn";
  let cppNamespace = "::mlir::qnn";
  let summary = "Quantized neural-network ops at the float, quantized and "
                "integer levels";
  let description = [{
    The `qnn` dialect describes a quantized neural network at the three levels
    of the integer-arithmetic-only scheme of Jacob et al. 2018 (gemmlowp,
    TensorFlow Lite):

    * **float level**: what a trained model gives. Compute ops on float
      tensors, `qnn.batch_norm`, and `qnn.range` markers recording the
      `[min, max]` seen during quantization-aware training or calibration.
    * **quantized level**: the same compute ops on tensors whose element type
      is upstream MLIR's `!quant.uniform` (per tensor or per axis), plus
      `qnn.quantize`, `qnn.dequantize`, `qnn.requantize` and `qnn.const`. A
      real value is `r = S * (q - Z)`.
    * **integer level**: `qnn.int.*` ops on plain integer tensors (`i8`,
      `ui8`, `i16`, `i32`; signless means signed) that carry their zero
      points, int32 bias, per-channel `(M0, shift)` multipliers with
      `M = M0 * 2^(shift - 31)` and a rounding mode as attributes, so the
      integer arithmetic is completely described by the IR.

    Data-movement ops (`qnn.max_pool2d`, `qnn.reshape`, `qnn.transpose`,
    `qnn.concat`) accept tensors of every level: they never do arithmetic on values.

    No op takes or gives a tensor with a dimension of size 0 (an empty batch,
    depth or set of channels): the verifier rejects it, so that every tool
    (the interpreter, the compiled code of every target, the exports) refuses
    it alike instead of each deciding what an empty layer computes.

    ### Rounding modes

    Integer-level ops multiply an int32 value `x` by `M = M0 * 2^(shift - 31)`
    in one of two conventions, selected by `#qnn.rounding<...>`:

    * `double_round` (default): the gemmlowp / TensorFlow Lite reference
      `MultiplyByQuantizedMultiplier`,
      `RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x * 2^max(shift, 0), M0), max(-shift, 0))`.
      The high multiply rounds half up, the shift rounds half away from zero.
    * `single_round`: TensorFlow Lite's `TFLITE_SINGLE_ROUNDING` variant,
      `(x * M0 + 2^(30 - shift)) >> (31 - shift)` computed in 64 bits: one
      rounding step, half up.
    * `float32`: PyTorch's requantization (its qnnpack engine's
      `nearbyint(float(x) * M)`), in float32: `M = M0 * 2^(shift - 31)`
      rounded to float32 (exact when `M0` has at most 24 significant bits,
      as the passes produce it from a float32 multiplier), `x` rounded to
      float32 (exact for `|x| <= 2^24`), the product rounded to float32 and
      then to an integer half to even, saturated to int32. No left-shift
      precondition: nothing is computed in int32.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def QNN_RoundingDouble : I32EnumAttrCase<"DoubleRound", 0, "double_round">;
def QNN_RoundingSingle : I32EnumAttrCase<"SingleRound", 1, "single_round">;
def QNN_RoundingFloat32 : I32EnumAttrCase<"Float32", 2, "float32">;

def QNN_RoundingMode : I32EnumAttr<"RoundingMode",
    "how an int32 value is multiplied by M0 * 2^(shift - 31)",
    [QNN_RoundingDouble, QNN_RoundingSingle, QNN_RoundingFloat32]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::qnn";
}

def QNN_RoundingModeAttr : EnumAttr<QNN_Dialect, QNN_RoundingMode, "rounding"> {
  let summary = "requantization rounding convention: double_round (default) "
                "or single_round, see the dialect description";
  let assemblyFormat = "`<` $value `>`";
}

def QNN_TiesAway : I32EnumAttrCase<"AwayFromZero", 0, "away_from_zero">;
def QNN_TiesEven : I32EnumAttrCase<"ToEven", 1, "to_even">;

def QNN_Ties : I32EnumAttr<"Ties",
    "how an exact half is rounded to an integer",
    [QNN_TiesAway, QNN_TiesEven]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::qnn";
}

def QNN_TiesAttr : EnumAttr<QNN_Dialect, QNN_Ties, "ties"> {
  let summary = "tie breaking of a rounding: away_from_zero (TensorFlow "
                "Lite, default) or to_even (PyTorch)";
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Attribute constraints
//===----------------------------------------------------------------------===//

// Upstream I32Attr / I64Attr hand out zero-extended values; zero points,
// shifts and clamp bounds are signed.
class QNN_SignedIntAttr<I type, string cppType>
    : TypedSignlessIntegerAttrBase<type, cppType,
                                   type.bitwidth # "-bit signed integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
  let constBuilderCall = "::mlir::IntegerAttr::get($_builder.getIntegerType("
                         # type.bitwidth # "), $0)";
}
def QNN_I32Attr : QNN_SignedIntAttr<I32, "int32_t">;
def QNN_I64Attr : QNN_SignedIntAttr<I64, "int64_t">;

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// Float level or quantized level; the verifiers check that an op does not mix
// them and that the quantized type is uniform (per tensor or per axis).
def QNN_FloatOrQuantTensor : RankedTensorOf<[AnyFloat, quant_QuantizedType]>;
def QNN_FloatTensor : RankedTensorOf<[AnyFloat]>;
def QNN_QuantTensor : RankedTensorOf<[quant_QuantizedType]>;

// Integer level: storage values. Signless integers are signed.
def QNN_IntStorage : AnyTypeOf<[I8, UI8, I16, I32]>;
def QNN_IntTensor : RankedTensorOf<[I8, UI8, I16, I32]>;
def QNN_Int8or16Tensor : RankedTensorOf<[I8, UI8, I16]>;
def QNN_Int8Tensor : RankedTensorOf<[I8, UI8]>;
def QNN_I32Tensor : RankedTensorOf<[I32]>;

// Tensors of any level, for ops that only move data.
def QNN_AnyLevelTensor :
    RankedTensorOf<[AnyFloat, quant_QuantizedType, I8, UI8, I16, I32]>;

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

// No qnn op takes or gives a tensor with a dimension of size 0 (see the
// dialect description).
def QNN_NoZeroSizedTensors : NativeOpTrait<"NoZeroSizedTensors"> {
  let cppNamespace = "::mlir::OpTrait::qnn";
}

class QNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<QNN_Dialect, mnemonic, !listconcat(traits, [QNN_NoZeroSizedTensors])>;

#endif // QOPT_DIALECT_QNN_IR_QNNBASE_TD
