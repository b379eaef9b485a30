;;; emacs_lsp_mode_e2e.el --- torch-tidy in Emacs's lsp-mode, driven in batch mode -*- lexical-binding: t -*-

;; Run by editor_e2e.py --editor lsp-mode: loads
;; editors/emacs/torch-tidy-lsp-mode.el, opens the leaky file, waits for
;; torch-tidy's findings, applies the two quick fixes through lsp-mode's
;; code actions, saves after each, and writes what it saw to $E2E_RESULT as
;; JSON (the format neovim_e2e.lua writes). clangd is not needed: only the
;; torch-tidy client is enabled.

;;; Code:

(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'json)
(require 'cl-lib)

(setq lsp-enable-snippet nil
      lsp-session-file (expand-file-name "lsp-session" (getenv "HOME"))
      lsp-auto-guess-root t
      lsp-enable-file-watchers nil
      lsp-diagnostics-provider :none
      lsp-enabled-clients '(torch-tidy)
      lsp-keep-workspace-alive nil)

(defvar e2e-result (list (cons 'steps [])))

(defun e2e-finish (problem)
  (when problem
    (push (cons 'problem problem) e2e-result))
  (with-temp-file (getenv "E2E_RESULT")
    (insert (json-encode e2e-result)))
  (kill-emacs 0))

(defun e2e-ours ()
  "torch-tidy's findings of the file: code, 0-based line, message."
  (let (found)
    (dolist (d (gethash (lsp--fix-path-casing (buffer-file-name))
                        (lsp-diagnostics t)))
      (when (equal (lsp:diagnostic-source? d) "torch-tidy")
        (push (list (cons 'code (lsp:diagnostic-code? d))
                    (cons 'line (lsp:position-line
                                 (lsp:range-start (lsp:diagnostic-range d))))
                    (cons 'message (lsp:diagnostic-message d)))
              found)))
    (sort found (lambda (a b) (< (alist-get 'line a) (alist-get 'line b))))))

(defun e2e-wait-for-change (name before)
  (let ((deadline (+ (float-time) 120)) found)
    (while (and (< (float-time) deadline)
                (= (length (setq found (e2e-ours))) before))
      (accept-process-output nil 0.1))
    (setf (alist-get 'steps e2e-result)
          (vconcat (alist-get 'steps e2e-result)
                   (list (list (cons 'name name)
                               (cons 'diagnostics (vconcat found))))))
    (/= (length found) before)))

(defun e2e-line-of (code)
  (alist-get 'line (seq-find (lambda (d) (equal (alist-get 'code d) code))
                             (e2e-ours))))

(defun e2e-apply-fix (line title)
  (goto-char (point-min))
  (forward-line line)
  (let ((chosen (seq-find (lambda (a) (equal (lsp:code-action-title a) title))
                          (lsp-code-actions-at-point))))
    (when chosen
      (lsp-execute-code-action chosen)
      t)))

(load (getenv "E2E_CONFIG"))
(setq torch-tidy-lsp-command
      (list (getenv "E2E_TORCH_TIDY") "lsp"
            (concat "--cache-dir=" (getenv "E2E_CACHE"))))
(find-file (getenv "E2E_FILE"))
(lsp)
(unless (e2e-wait-for-change "opened" 0)
  (e2e-finish "no diagnostics from torch-tidy after opening the file"))
(unless (e2e-apply-fix (e2e-line-of "torch-graph-kept-across-iterations")
                       "Insert '.detach()'")
  (e2e-finish "no 'Insert .detach()' code action"))
(save-buffer)
(unless (e2e-wait-for-change "detached and saved" 2)
  (e2e-finish "the diagnostics did not change after the fix"))
(unless (e2e-apply-fix (e2e-line-of "torch-missing-no-grad")
                       "Insert 'torch::NoGradGuard no_grad;'")
  (e2e-finish "no NoGradGuard code action"))
(save-buffer)
(unless (e2e-wait-for-change "guarded and saved" 1)
  (e2e-finish "the diagnostics did not change after the second fix"))
(e2e-finish nil)
;;; emacs_lsp_mode_e2e.el ends here
