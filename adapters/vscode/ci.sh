#!/usr/bin/env bash
# CI for the VS Code adapter: install the pinned dev dependencies from the npm registry, type-check and compile
# with tsc (extension.ts against @types/vscode), run node's test runner, then package the extension as CI's
# artifact, ipykernel-lite-vscode.vsix (vsce runs vscode:prepublish, a fresh tsc build). The tests start the real
# Python bridge: IPYKERNEL_LITE_PYTHON, else the repository's .venv, else python3. The tests in real VS Code
# (code-server) are pytest's: tests/vscode_e2e, which package their own .vsix or take IPYKERNEL_LITE_VSIX.
set -euo pipefail
cd "$(dirname "$0")"

node --version
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
rm -rf out
npx tsc -p .
node --test out/test/*.test.js
rm -f ./*.vsix
npx @vscode/vsce package --no-dependencies -o ipykernel-lite-vscode.vsix
echo "built $PWD/ipykernel-lite-vscode.vsix"
