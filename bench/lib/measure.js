'use strict';
/**
 * Running and timing commands. Each figure has a wall time and a CPU time (user + sys of the
 * command and all its children, from bash's `times`): the machine is shared, so wall times
 * swing with other load while CPU times mostly do not.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');

function parseTimes(line) {
  // "0m1.234s 0m0.056s"
  const m = line.trim().match(/^(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s$/);
  if (!m) return NaN;
  return (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

const TIMES_MARK = '__nx_spk_bench_times__';

/**
 * Runs argv under bash, returns { wallMs, cpuMs, code, stdout, stderr }. Throws on a non-zero
 * exit unless allowFailure.
 */
function timed(argv, { cwd, env, allowFailure = false, timeoutMs = 3_600_000 } = {}) {
  const quoted = argv.map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted}; rc=$?; echo ${TIMES_MARK} >&2; times >&2; exit $rc`;
  const t0 = process.hrtime.bigint();
  const res = spawnSync('bash', ['-c', script], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 30, timeout: timeoutMs });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.error) throw res.error;
  const stderrAll = res.stderr ?? '';
  const idx = stderrAll.lastIndexOf(TIMES_MARK);
  const stderr = idx >= 0 ? stderrAll.slice(0, idx) : stderrAll;
  const timesLines = idx >= 0 ? stderrAll.slice(idx + TIMES_MARK.length).trim().split('\n') : [];
  const cpuMs = timesLines.length >= 2 ? parseTimes(timesLines[1]) : NaN;
  if (res.status !== 0 && !allowFailure) {
    throw new Error(`command failed (exit ${res.status}): ${argv.join(' ')}\n--- stdout:\n${res.stdout.slice(-4000)}\n--- stderr:\n${stderr.slice(-4000)}`);
  }
  return { wallMs, cpuMs, code: res.status, stdout: res.stdout, stderr };
}

function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** { median, min, max, n } of a list of numbers. */
function stats(xs) {
  const s = xs.filter((x) => Number.isFinite(x));
  return { median: median(s), min: Math.min(...s), max: Math.max(...s), n: s.length };
}

function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

/** "1.23 s (1.10–1.40)" */
function fmtStat(st) {
  if (!st || !Number.isFinite(st.median)) return '–';
  if (st.n <= 1) return fmtMs(st.median);
  return `${fmtMs(st.median)} (${fmtMs(st.min)}–${fmtMs(st.max)})`;
}

function fmtRatio(x, digits = 2) {
  return Number.isFinite(x) ? `${x.toFixed(digits)}×` : '–';
}

/** A ratio of two series: the median ratio and the min–max over paired runs. */
function ratioStat(as, bs) {
  const n = Math.min(as.length, bs.length);
  const r = [];
  for (let i = 0; i < n; i++) r.push(as[i] / bs[i]);
  return stats(r);
}

function fmtRatioStat(st) {
  if (!st || !Number.isFinite(st.median)) return '–';
  if (st.n <= 1) return fmtRatio(st.median);
  return `${fmtRatio(st.median)} (${st.min.toFixed(2)}–${st.max.toFixed(2)})`;
}

function machine() {
  const cpus = os.cpus();
  let osName = `${os.type()} ${os.release()}`;
  try {
    const rel = fs.readFileSync('/etc/os-release', 'utf8');
    const m = rel.match(/^PRETTY_NAME="?([^"\n]*)"?/m);
    if (m) osName = `${m[1]} (kernel ${os.release()})`;
  } catch {
    /* not Linux */
  }
  return {
    nproc: os.availableParallelism ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    os: osName,
    node: process.version,
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}

module.exports = { timed, stats, median, fmtMs, fmtStat, fmtRatio, ratioStat, fmtRatioStat, machine };
