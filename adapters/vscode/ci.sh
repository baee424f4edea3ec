#!/usr/bin/env bash
# CI for the VS Code adapter: install the pinned dev dependencies from the npm registry, type-check and compile
# with tsc (extension.ts against @types/vscode), then run node's test runner. The tests start the real Python
# bridge: IPYKERNEL_LITE_PYTHON, else the repository's .venv, else python3.
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
