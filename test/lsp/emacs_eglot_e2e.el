;;; emacs_eglot_e2e.el --- torch-tidy in Emacs's eglot, driven in batch mode -*- lexical-binding: t -*-

;; Run by editor_e2e.py --editor eglot: loads editors/emacs/torch-tidy-eglot.el, opens the
;; leaky file, waits for torch-tidy's findings in flymake, applies the two
;; quick fixes through eglot's code actions, saves after each, and writes
;; what it saw to $E2E_RESULT as JSON (the format neovim_e2e.lua writes).

;;; Code:

(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'json)

(defvar e2e-result (list (cons 'steps [])))

(defun e2e-finish (problem)
  (when problem
    (push (cons 'problem problem) e2e-result))
  (with-temp-file (getenv "E2E_RESULT")
    (insert (json-encode e2e-result)))
  (kill-emacs 0))

(defun e2e-ours ()
  "torch-tidy's findings in flymake: code, 0-based line, message."
  (flymake-start)
  (let (found)
    (dolist (d (flymake-diagnostics))
      (let ((text (flymake-diagnostic-text d)))
        (when (string-match "\\`torch-tidy \\[\\([^]]+\\)\\]: \\(.*\\)" text)
          (push (list (cons 'code (match-string 1 text))
                      (cons 'line (1- (line-number-at-pos
                                       (flymake-diagnostic-beg d))))
                      (cons 'message (match-string 2 text)))
                found))))
    (sort found (lambda (a b) (< (alist-get 'line a) (alist-get 'line b))))))

(defun e2e-wait-for-change (name before)
  "Waits until the number of findings differs from BEFORE; records them."
  (let ((deadline (+ (float-time) 120)) found)
    (while (and (< (float-time) deadline)
                (= (length (setq found (e2e-ours))) before))
      (accept-process-output nil 0.1))
    (setf (alist-get 'steps e2e-result)
          (vconcat (alist-get 'steps e2e-result)
                   (list (list (cons 'name name)
                               (cons 'diagnostics (vconcat found))))))
    (/= (length found) before)))

(defun e2e-apply-fix (line title)
  (goto-char (point-min))
  (forward-line line)
  (let* ((actions (eglot-code-actions (line-beginning-position)
                                      (line-end-position) "quickfix"))
         (chosen (seq-find (lambda (a) (equal (plist-get a :title) title))
                           actions)))
    (when chosen
      (eglot--apply-workspace-edit (plist-get chosen :edit))
      t)))

(defun e2e-line-of (code)
  (alist-get 'line (seq-find (lambda (d) (equal (alist-get 'code d) code))
                             (e2e-ours))))

(load (getenv "E2E_CONFIG"))
(setq torch-tidy-eglot-command
      (list (getenv "E2E_TORCH_TIDY") "lsp"
            (concat "--cache-dir=" (getenv "E2E_CACHE"))))
(find-file (getenv "E2E_FILE"))
(apply #'eglot (eglot--guess-contact))
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
;;; emacs_eglot_e2e.el ends here
