//! Zed runs language servers only through extensions: this one starts
//! `torch-tidy lsp` (found on the worktree's PATH) for C and C++ files. The
//! server itself finds compile commands and .clang-tidy files.

use zed_extension_api::{self as zed, LanguageServerId, Result};

struct TorchTidy;

impl zed::Extension for TorchTidy {
    fn new() -> Self {
        TorchTidy
    }

    fn language_server_command(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let program = worktree.which("torch-tidy").ok_or_else(|| {
            "torch-tidy is not on PATH; install it (see torch-tidy's README)".to_string()
        })?;
        Ok(zed::Command {
            command: program,
            args: vec!["lsp".to_string()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(TorchTidy);
