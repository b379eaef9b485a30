;;; torch-tidy-eglot.el --- torch-tidy in eglot -*- lexical-binding: t -*-

;; Eglot runs one server per buffer. This makes torch-tidy that server for C
;; and C++ buffers; keep clangd in the same buffers with lsp-mode instead
;; (torch-tidy-lsp-mode.el), or with a multiplexing server that eglot
;; starts in their place. Load it from your init file, e.g.
;;   (load "/path/to/torch-tidy/editors/emacs/torch-tidy-eglot.el")
;; then M-x eglot in a C or C++ buffer; M-x eglot-code-actions (or
;; eglot-code-action-quickfix) applies the fixes. Set
;; `torch-tidy-eglot-command' first to change the program or pass options.

;;; Code:

(require 'eglot)

(defvar torch-tidy-eglot-command '("torch-tidy" "lsp")
  "The command that starts torch-tidy's language server.")

(add-to-list 'eglot-server-programs
             `((c-mode c++-mode c-ts-mode c++-ts-mode)
               . ,(lambda (&rest _) torch-tidy-eglot-command)))

(provide 'torch-tidy-eglot)
;;; torch-tidy-eglot.el ends here
