;;; torch-tidy-lsp-mode.el --- torch-tidy beside clangd in lsp-mode -*- lexical-binding: t -*-

;; lsp-mode runs add-on servers next to the main one (clangd), so torch-tidy's
;; findings appear with clangd's. Load this file from your init file, e.g.
;;   (load "/path/to/torch-tidy/editors/emacs/torch-tidy-lsp-mode.el")
;; then M-x lsp in a C or C++ buffer; `lsp-execute-code-action' (s-l a a)
;; offers the quick fixes. Set `torch-tidy-lsp-command' first to change the
;; program or pass options.

;;; Code:

(require 'lsp-mode)

(defvar torch-tidy-lsp-command '("torch-tidy" "lsp")
  "The command that starts torch-tidy's language server.")

(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection (lambda () torch-tidy-lsp-command))
  :activation-fn (lsp-activate-on "c" "cpp")
  :add-on? t
  :server-id 'torch-tidy))

(provide 'torch-tidy-lsp-mode)
;;; torch-tidy-lsp-mode.el ends here
