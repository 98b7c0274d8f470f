# nx-spk: spk's version, for the runtime input of spk-build and spk-test (src/plugin/targets.ts
# spkVersionRuntimeInput). Not run directly: the input is `. <this file>`, so it runs in the
# shell Nx starts for the input, and $PPID is the Nx process that hashes (one nx invocation, or
# one daemon). NX_SPK_BIN_OPTION is the plugin's `spkBin` option when set.
#
# It prints the VERSION of the binary the executors will run, never its path: the executors
# pick option `spkBin`, else $SPK_BIN, else `spk` on PATH (executors/shared/spk-process.ts
# resolveSpkBin); a relative `spkBin` is relative to the workspace root, where Nx runs inputs.
#
# Nx runs a runtime input once per task it hashes, and starting spk for each was most of a
# fully cached run, so the answer is memoised in node_modules/.cache/nx-spk/spk-version, one
# file per calling Nx process holding what it was computed for (the option, $SPK_BIN, $PATH),
# the resolved binary and the version. A hit costs no process (read, [, printf are builtins):
# the same selection, and a binary not modified since the memo was written (-nt, so a
# reinstalled spk is asked again). The first shell to miss asks spk; shells hashing in
# parallel wait for its answer (a mkdir lock, bounded so a lock left by a killed shell costs
# 5 s once, not a hang). A missing binary prints a fixed string, so hashing works on machines
# that only restore from cache.
d=node_modules/.cache/nx-spk/spk-version
m=$d/$PPID
s="${NX_SPK_BIN_OPTION:-}|${SPK_BIN:-}|$PATH"
hit() { [ -f "$m" ] && { IFS= read -r k && IFS= read -r p && IFS= read -r v; } < "$m" && [ "$k" = "$s" ] && [ "$m" -nt "$p" ]; }
if hit; then printf '%s\n' "$v"; exit 0; fi
if [ -n "${NX_SPK_BIN_OPTION:-}" ]; then n=$NX_SPK_BIN_OPTION; else n=${SPK_BIN:-spk}; fi
b=$(command -v "$n" 2>/dev/null) || { echo spk-unavailable; exit 0; }
mkdir -p "$d" 2>/dev/null
l="$m.lock"; i=0; own=
if mkdir "$l" 2>/dev/null; then
  own=1
  # The lock holder looks again: another shell may have written the answer in between.
  if hit; then rmdir "$l"; printf '%s\n' "$v"; exit 0; fi
else
  while [ $i -lt 100 ] && [ -d "$l" ] && ! hit; do sleep 0.05; i=$((i+1)); done
  if hit; then printf '%s\n' "$v"; exit 0; fi
fi
v=$("$b" version 2>/dev/null || "$b" --version 2>/dev/null) || v=spk-unavailable
# One line: the hit path reads one line back.
v=$(printf '%s' "$v" | tr '\n' ' ')
printf '%s\n' "$v"
{ printf '%s\n%s\n%s\n' "$s" "$b" "$v" > "$m.$$" && mv -f "$m.$$" "$m"; [ -n "$own" ] && rmdir "$l"; find "$d" -mindepth 1 -mmin +1440 -delete; } 2>/dev/null
exit 0
