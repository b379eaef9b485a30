//===--- LspCommand.h - `torch-tidy lsp` ------------------------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_LSP_LSPCOMMAND_H
#define TORCH_TIDY_ANALYZER_LSP_LSPCOMMAND_H

namespace torch_tidy {

/// `torch-tidy lsp [options]`: a language server on standard input and
/// output (docs/editors.md). \p Argv[0] is "lsp".
int runLspCommand(const char *Program, int Argc, const char **Argv);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_LSP_LSPCOMMAND_H
