//===- LowerAmxToLLVM.cpp - The qopt-x86-lower-amx-to-llvm pass -----------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Codegen/X86/Passes.h"

#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/AMX/Transforms.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Transforms/DialectConversion.h"

namespace qopt::x86 {
#define GEN_PASS_DEF_X86LOWERAMXTOLLVMPASS
#include "qopt/Codegen/X86/Passes.h.inc"
} // namespace qopt::x86

using namespace mlir;
using namespace qopt;

/// The module flag set once the process has the AMX state.
static constexpr StringLiteral kRequestedFlag = "__qopt_amx_requested";
/// arch_prctl's system call number on x86-64, the request for permission to
/// use an extended state component, and that of the tile data
/// (arch/x86/include/uapi/asm/prctl.h, XFEATURE_XTILEDATA).
static constexpr int64_t kSysArchPrctl = 158, kArchReqXcompPerm = 0x1023,
                         kXfeatureXtileData = 18;

static bool hasTileOperand(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), llvm::IsaPred<amx::TileType>);
}

/// Makes `func` request the AMX state from Linux when it starts, unless
/// `flag` says that the process already has.
static void requestAmxOnEntry(func::FuncOp func, LLVM::GlobalOp flag) {
  Location loc = func.getLoc();
  Block *entry = &func.getBody().front();
  Block *body = entry->splitBlock(entry->begin());
  OpBuilder b(func.getContext());
  Block *request = b.createBlock(body);
  Type i8 = b.getI8Type(), i64 = b.getI64Type();
  auto constant = [&](Type type, int64_t value) -> Value {
    return LLVM::ConstantOp::create(b, loc, type, value);
  };

  b.setInsertionPointToEnd(entry);
  Value address = LLVM::AddressOfOp::create(b, loc, flag);
  // Atomic, because threads may race to the first call: both then request.
  Value requested = LLVM::LoadOp::create(
      b, loc, i8, address, /*alignment=*/1, /*isVolatile=*/false,
      /*isNonTemporal=*/false, /*isInvariant=*/false,
      /*isInvariantGroup=*/false, LLVM::AtomicOrdering::monotonic);
  Value first = LLVM::ICmpOp::create(b, loc, LLVM::ICmpPredicate::eq,
                                     requested, constant(i8, 0));
  LLVM::CondBrOp::create(b, loc, first, request, ValueRange{}, body,
                         ValueRange{});

  b.setInsertionPointToEnd(request);
  LLVM::InlineAsmOp::create(
      b, loc, i64,
      ValueRange{constant(i64, kSysArchPrctl), constant(i64, kArchReqXcompPerm),
                 constant(i64, kXfeatureXtileData)},
      b.getStringAttr("syscall"),
      b.getStringAttr("={rax},{rax},{rdi},{rsi},~{rcx},~{r11},~{memory}"),
      b.getUnitAttr(), /*is_align_stack=*/nullptr,
      LLVM::TailCallKindAttr::get(b.getContext(),
                                  LLVM::tailcallkind::TailCallKind::None),
      /*asm_dialect=*/nullptr, /*operand_attrs=*/nullptr);
  LLVM::StoreOp::create(b, loc, constant(i8, 1), address, /*alignment=*/1,
                        /*isVolatile=*/false, /*isNonTemporal=*/false,
                        /*isInvariantGroup=*/false,
                        LLVM::AtomicOrdering::monotonic);
  LLVM::BrOp::create(b, loc, ValueRange{}, body);
}

void x86::populateLowerAmxToLLVMPatterns(LLVMTypeConverter &converter,
                                         RewritePatternSet &patterns) {
  populateAMXLegalizeForLLVMExportPatterns(converter, patterns);
  cf::populateControlFlowToLLVMConversionPatterns(converter, patterns);
}

namespace {

struct X86LowerAmxToLLVMPass
    : public x86::impl::X86LowerAmxToLLVMPassBase<X86LowerAmxToLLVMPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<func::FuncOp> tileFunctions;
    module.walk([&](func::FuncOp func) {
      if (func.walk([](Operation *op) {
                return isa<amx::AMXDialect>(op->getDialect())
                           ? WalkResult::interrupt()
                           : WalkResult::advance();
              })
              .wasInterrupted())
        tileFunctions.push_back(func);
    });
    if (tileFunctions.empty())
      return;

    LLVMTypeConverter converter(ctx);
    RewritePatternSet patterns(ctx);
    x86::populateLowerAmxToLLVMPatterns(converter, patterns);
    LLVMConversionTarget target(*ctx);
    configureAMXLegalizeForExportTarget(target);
    target.addDynamicallyLegalDialect<cf::ControlFlowDialect>(
        [](Operation *op) { return !hasTileOperand(op); });
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      return signalPassFailure();

    // Unlinked until the symbol table names it uniquely.
    OpBuilder b(ctx);
    auto flag = LLVM::GlobalOp::create(
        b, module.getLoc(), b.getI8Type(), /*isConstant=*/false,
        LLVM::Linkage::Internal, kRequestedFlag, b.getI8IntegerAttr(0));
    SymbolTable(module).insert(flag, module.getBody()->begin());
    for (func::FuncOp func : tileFunctions)
      requestAmxOnEntry(func, flag);
  }
};

} // namespace
