-- torch-tidy's language server beside clangd, for Neovim's built-in LSP
-- client (0.7 and later). Load it from init.lua with
--   dofile("/path/to/torch-tidy/editors/neovim/torch-tidy.lua")
-- or copy it to ~/.config/nvim/plugin/. Set vim.g.torch_tidy_cmd first to
-- run another program or pass options, e.g.
--   vim.g.torch_tidy_cmd = { "torch-tidy", "lsp", "--compile-commands-dir=out" }
-- test/lsp/neovim_e2e.lua loads this file, so the editor test covers it.

-- The project root: the nearest directory with a compile database or .git
-- (as clangd's own set-up does), else the file's directory.
local function root_of(buffer)
  local file = vim.api.nvim_buf_get_name(buffer)
  local markers = { "compile_commands.json", "compile_flags.txt", ".git" }
  if vim.fs and vim.fs.find then -- Neovim 0.8+
    local found = vim.fs.find(markers,
      { upward = true, path = vim.fs.dirname(file) })[1]
    if found then
      return vim.fs.dirname(found)
    end
  end
  return vim.fn.fnamemodify(file, ":p:h")
end

local client_id -- Neovim 0.7: one client, attached to each buffer.

vim.api.nvim_create_autocmd("FileType", {
  pattern = { "c", "cpp", "cuda" },
  callback = function(args)
    local config = {
      name = "torch-tidy",
      cmd = vim.g.torch_tidy_cmd or { "torch-tidy", "lsp" },
      root_dir = root_of(args.buf),
    }
    if vim.lsp.start then
      vim.lsp.start(config) -- Reuses the client of the same name and root.
    else
      client_id = client_id or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, client_id)
    end
  end,
})
