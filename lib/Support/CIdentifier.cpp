//===- CIdentifier.cpp - IR names as C identifiers ------------------------===//
//
// Part of the qopt project.
//
//===----------------------------------------------------------------------===//

#include "qopt/Support/CIdentifier.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace qopt;

/// Names a declaration of `void NAME(...)` cannot take: the keywords of C11
/// and C++20 (the headers are included from both), `main`, and the symbols
/// the compiled code calls or the C library it links with defines for it
/// (docs/aot.md), which a function of that name would replace.
static bool isReserved(llvm::StringRef name) {
  static const llvm::StringSet<> reserved = {
      // C11.
      "auto", "break", "case", "char", "const", "continue", "default", "do",
      "double", "else", "enum", "extern", "float", "for", "goto", "if",
      "inline", "int", "long", "register", "restrict", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
      "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
      "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
      "_Static_assert", "_Thread_local",
      // C++20 beyond C.
      "alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "bool",
      "catch", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "consteval", "constexpr", "constinit", "const_cast", "co_await",
      "co_return", "co_yield", "decltype", "delete", "dynamic_cast", "explicit",
      "export", "false", "friend", "mutable", "namespace", "new", "noexcept",
      "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
      "protected", "public", "reinterpret_cast", "requires", "static_assert",
      "static_cast", "template", "this", "thread_local", "throw", "true", "try",
      "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq",
      // The program's entry point and the compiled code's dependencies.
      "main", "malloc", "free", "aligned_alloc", "memcpy", "memmove", "memset",
      "memrefCopy"};
  return reserved.contains(name);
}

std::string qopt::getCIdentifier(llvm::StringRef name) {
  std::string result = name.str();
  for (char &c : result)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  if (result.empty() || llvm::isDigit(result.front()))
    result.insert(0, "f");
  if (isReserved(result))
    result += '_';
  return result;
}
