// Checks the extension's wiring without VS Code: `vscode` and the language
// client are replaced by recorders, and activate() must start
// `torch-tidy lsp` for C and C++ files with the settings, send changed
// settings to the server, and restart it when its program changes.
// Run: node test/wiring.test.js (no npm packages needed).
'use strict';

const assert = require('assert');
const Module = require('module');
const path = require('path');

const settings = {
  path: '/opt/torch-tidy/bin/torch-tidy',
  arguments: ['--compile-commands-dir=out'],
  checks: '-*,torch-missing-no-grad',
  debounceMs: 250,
  ruleDocsUrl: '',
};
const started = [];
const stopped = [];
const notifications = [];
let configurationListener;

class FakeClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, serverOptions, clientOptions });
  }
  start() { started.push(this); return Promise.resolve(); }
  stop() { stopped.push(this); return Promise.resolve(); }
  sendNotification(method, params) { notifications.push({ method, params }); }
}

const fakes = {
  vscode: {
    workspace: {
      getConfiguration: (section) => {
        assert.strictEqual(section, 'torch-tidy');
        return { get: (key) => settings[key] };
      },
      onDidChangeConfiguration: (listener) => {
        configurationListener = listener;
        return { dispose() {} };
      },
    },
  },
  'vscode-languageclient/node': { LanguageClient: FakeClient },
};
const load = Module._load;
Module._load = function (request, ...rest) {
  return request in fakes ? fakes[request] : load.call(this, request, ...rest);
};

const extension = require(path.join(__dirname, '..', 'extension.js'));

(async () => {
  await extension.activate({ subscriptions: [] });
  assert.strictEqual(started.length, 1);
  const client = started[0];
  assert.deepStrictEqual(client.serverOptions, {
    command: '/opt/torch-tidy/bin/torch-tidy',
    args: ['lsp', '--compile-commands-dir=out'],
  });
  assert.deepStrictEqual(
    client.clientOptions.documentSelector.map((s) => s.language),
    ['c', 'cpp', 'cuda-cpp']);
  assert.deepStrictEqual(client.clientOptions.initializationOptions,
    { debounceMs: 250, checks: '-*,torch-missing-no-grad' });

  // A changed check list goes to the running server.
  settings.checks = '-*,torch-graph-kept-across-iterations';
  await configurationListener({
    affectsConfiguration: (key) => key === 'torch-tidy' ||
      key === 'torch-tidy.checks',
  });
  assert.deepStrictEqual(notifications, [{
    method: 'workspace/didChangeConfiguration',
    params: { settings: { 'torch-tidy': {
      debounceMs: 250, checks: '-*,torch-graph-kept-across-iterations' } } },
  }]);
  assert.strictEqual(started.length, 1);

  // A new program restarts the server.
  settings.path = 'torch-tidy';
  await configurationListener({
    affectsConfiguration: (key) => key === 'torch-tidy' ||
      key === 'torch-tidy.path',
  });
  assert.strictEqual(stopped.length, 1);
  assert.strictEqual(started.length, 2);
  assert.strictEqual(started[1].serverOptions.command, 'torch-tidy');
  console.log('wiring.test.js: PASS');
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
