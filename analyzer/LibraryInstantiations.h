//===--- LibraryInstantiations.h - Skip library template bodies -*- C++ -*-===//
//
// With libtorch's headers precompiled, most of what is left of a parse is the
// end of the translation unit: clang instantiates the bodies of every library
// template the file used (and the virtual members of every library class
// template whose vtable it used) for code generation. The checks never look
// inside those bodies, and -fsyntax-only needs them only for diagnostics
// inside libtorch and the standard library. The consumer here drops them from
// Sema's queues as clang fills them at the end of the translation unit;
// templates of the user's own code are still instantiated.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LIBRARYINSTANTIATIONS_H
#define TORCH_TIDY_ANALYZER_LIBRARYINSTANTIATIONS_H

#include "clang/AST/ASTConsumer.h"

#include <memory>

namespace clang {
class SourceManager;
} // namespace clang

namespace torch_tidy {

/// A consumer to put with the others (it consumes nothing): it leaves out
/// the deferred instantiations and vtables of templates declared in system
/// or libtorch headers.
std::unique_ptr<clang::ASTConsumer>
skipLibraryInstantiations(const clang::SourceManager &SM);

/// \p Consumer, after skipLibraryInstantiations().
std::unique_ptr<clang::ASTConsumer>
withLibraryInstantiationsSkipped(const clang::SourceManager &SM,
                                 std::unique_ptr<clang::ASTConsumer> Consumer);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_LIBRARYINSTANTIATIONS_H
