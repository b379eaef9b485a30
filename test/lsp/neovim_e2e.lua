-- Driven by editor_e2e.py --editor neovim in `nvim --headless`: Neovim's built-in client runs
-- `torch-tidy lsp` on a leaky file, waits for our diagnostics, applies the
-- quick fixes as a user would (code action, then :write), and writes what
-- it saw to $E2E_RESULT as JSON. The client is started by the shipped
-- configuration, editors/neovim/torch-tidy.lua ($E2E_CONFIG).
local env = vim.env
local result = { steps = {} }

local function finish(problem)
  result.problem = problem
  local out = io.open(env.E2E_RESULT, "w")
  out:write(vim.fn.json_encode(result))
  out:close()
  vim.cmd("qall!")
end

-- The shipped configuration starts the client when the file is opened.
vim.g.torch_tidy_cmd = {
  env.E2E_TORCH_TIDY, "lsp", "--cache-dir=" .. env.E2E_CACHE,
}
dofile(env.E2E_CONFIG)
vim.cmd("edit " .. env.E2E_FILE)
local buffer = vim.api.nvim_get_current_buf()
-- A client counts as active once its initialize request is answered.
if not vim.wait(30000, function()
      return #vim.lsp.get_active_clients() == 1
    end, 50) then
  return finish("editors/neovim/torch-tidy.lua started no client")
end

local function ours()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buffer)) do
    if d.source == "torch-tidy" then
      table.insert(found, { code = d.code, line = d.lnum, message = d.message })
    end
  end
  table.sort(found, function(a, b) return a.line < b.line end)
  return found
end

-- Waits until the diagnostics differ from `before` (a count), then records
-- them as a step.
local function wait_for_change(name, before)
  local changed = vim.wait(120000, function() return #ours() ~= before end, 50)
  table.insert(result.steps, { name = name, diagnostics = ours() })
  return changed
end

local function apply_fix(line, title)
  local params = vim.lsp.util.make_range_params()
  params.range = {
    start = { line = line, character = 0 },
    ["end"] = { line = line, character = 0 },
  }
  params.context = { diagnostics = {} }
  local answers = vim.lsp.buf_request_sync(buffer, "textDocument/codeAction",
    params, 30000) or {}
  for _, answer in pairs(answers) do
    for _, action in ipairs(answer.result or {}) do
      if action.title == title then
        vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
        return true
      end
    end
  end
  return false
end

if not wait_for_change("opened", 0) then
  return finish("no diagnostics from torch-tidy after opening the file")
end
local kept
for _, d in ipairs(ours()) do
  if d.code == "torch-graph-kept-across-iterations" then kept = d end
end
if not kept then
  return finish("no torch-graph-kept-across-iterations finding")
end
if not apply_fix(kept.line, "Insert '.detach()'") then
  return finish("no 'Insert .detach()' code action")
end
vim.cmd("write")
if not wait_for_change("detached and saved", #ours()) then
  return finish("the diagnostics did not change after the fix")
end
local guard
for _, d in ipairs(ours()) do
  if d.code == "torch-missing-no-grad" then guard = d end
end
if not guard or not apply_fix(guard.line,
    "Insert 'torch::NoGradGuard no_grad;'") then
  return finish("no NoGradGuard code action")
end
vim.cmd("write")
if not wait_for_change("guarded and saved", #ours()) then
  return finish("the diagnostics did not change after the second fix")
end
finish(nil)
