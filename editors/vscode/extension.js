// Starts `torch-tidy lsp` for C and C++ files beside clangd. The server
// does the work; this passes the settings on and restarts it when the
// program or its arguments change.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

// The settings the server reads (initializationOptions and
// workspace/didChangeConfiguration); empty values mean its defaults.
function serverSettings() {
  const config = vscode.workspace.getConfiguration('torch-tidy');
  const settings = { debounceMs: config.get('debounceMs') };
  for (const key of ['checks', 'ruleDocsUrl']) {
    if (config.get(key)) {
      settings[key] = config.get(key);
    }
  }
  return settings;
}

function start() {
  const config = vscode.workspace.getConfiguration('torch-tidy');
  const serverOptions = {
    command: config.get('path'),
    args: ['lsp', ...config.get('arguments')],
  };
  const clientOptions = {
    documentSelector: ['c', 'cpp', 'cuda-cpp'].map((language) => ({
      scheme: 'file',
      language,
    })),
    initializationOptions: serverSettings(),
    outputChannelName: 'torch-tidy',
  };
  client = new LanguageClient('torch-tidy', 'torch-tidy', serverOptions,
                              clientOptions);
  return client.start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('torch-tidy') || !client) {
        return;
      }
      if (event.affectsConfiguration('torch-tidy.path') ||
          event.affectsConfiguration('torch-tidy.arguments')) {
        await client.stop();
        await start();
        return;
      }
      client.sendNotification('workspace/didChangeConfiguration', {
        settings: { 'torch-tidy': serverSettings() },
      });
    }));
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
