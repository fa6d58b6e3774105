// Spreadsheet import (issue 13 point 3): choose an .xlsx or .csv file, see what every row would do (dry run),
// apply, download the result file. The file is read and checked in a Web Worker (parse.worker.ts), so a
// 100,000-row file never freezes the page; rows go to POST /api/imports/rows in batches with a progress bar,
// and a run cut off (network, server) resumes where it stopped without applying anything twice.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { AreaSelect } from '../../components/AreaSelect';
import { formatNumber } from '../../format';
import { errorText, t, type MessageKey } from '../../i18n';
import { currentUser } from '../../state/session';
import { countOutcomes, type FileProblem } from '../../../shared/import-rows';
import { ROW_OUTCOMES, type ImportRowsResponse, type RowOutcome, type RowResult } from '../../../shared/import-types';
import { rowText, fileWords, reasonText } from './row-words';
import { runImport, type RunEnd } from './runner';
import type { ParsedSummary, WorkerReply, WorkerRequest } from './worker-protocol';
import '../screens.css';

interface Loaded {
  name: string;
  format: 'xlsx' | 'csv';
  importId: string;
  parsed: ParsedSummary;
}

type Run =
  | { state: 'running'; dryRun: boolean; done: number; total: number }
  | { state: 'paused'; dryRun: boolean; done: number; total: number; reason: string; nextBatch: number; results: Map<number, RowResult> }
  | { state: 'failed'; dryRun: boolean; reason: string }
  | { state: 'done'; dryRun: boolean; results: Map<number, RowResult> };

const PROBLEM_ROWS_SHOWN = 50;

function newWorker(): Worker {
  return new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
}

/** Colour, icon and word together (UI.md): green made or would be, amber already there, red refused. */
function outcomeLook(o: RowOutcome): { cls: string; icon: string } {
  if (o === 'linked' || o === 'added' || o === 'would_link' || o === 'would_add') return { cls: 'chip-ok', icon: '✓' };
  if (o === 'already') return { cls: 'chip-warn', icon: '●' };
  return { cls: 'chip-bad', icon: '✖' };
}

const PROBLEM_WORDS = {
  NOT_A_SPREADSHEET: 'import.problem.NOT_A_SPREADSHEET',
  MISSING_COLUMNS: 'import.problem.MISSING_COLUMNS',
  EMPTY: 'import.problem.EMPTY',
  TOO_LARGE: 'import.problem.TOO_LARGE',
  TOO_MANY_ROWS: 'import.problem.TOO_MANY_ROWS',
} as const satisfies Record<FileProblem['code'], MessageKey>;

export default function ImportScreen() {
  const user = currentUser.value!;
  const worker = useRef<Worker | null>(null);
  const abort = useRef<AbortController | null>(null);
  const [phase, setPhase] = useState<'idle' | 'reading' | 'checking'>('idle');
  const [problem, setProblem] = useState<FileProblem | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [areaId, setAreaId] = useState('');
  const [run, setRun] = useState<Run | null>(null);
  const [dryRunDone, setDryRunDone] = useState(false);
  const pendingFile = useRef<((file: { blob: Blob; name: string }) => void) | null>(null);

  useEffect(() => {
    const w = newWorker();
    worker.current = w;
    w.onmessage = (event: MessageEvent<WorkerReply>) => {
      const msg = event.data;
      if (msg.type === 'phase') setPhase(msg.phase);
      else if (msg.type === 'problem') {
        setPhase('idle');
        setProblem(msg.problem);
      } else if (msg.type === 'parsed') {
        setPhase('idle');
        setLoaded({ name: fileName.current, format: msg.format, importId: msg.importId, parsed: msg.summary });
      } else if (msg.type === 'file') {
        pendingFile.current?.(msg);
        pendingFile.current = null;
      }
    };
    return () => {
      abort.current?.abort();
      w.terminate();
    };
  }, []);

  const fileName = useRef('');
  const post = (msg: WorkerRequest) => worker.current?.postMessage(msg);

  function choose(file: File | undefined) {
    abort.current?.abort();
    setProblem(null);
    setLoaded(null);
    setRun(null);
    setDryRunDone(false);
    if (!file) return;
    fileName.current = file.name;
    setPhase('reading');
    post({ type: 'parse', file });
  }

  const needsArea = loaded?.parsed.kind === 'links' && user.areaId === null;
  const areaMissing = needsArea && areaId === '';

  async function start(dryRun: boolean, resume?: Extract<Run, { state: 'paused' }>) {
    if (!loaded) return;
    const controller = new AbortController();
    abort.current = controller;
    const batches = loaded.parsed.batches;
    const total = loaded.parsed.toSend;
    setRun({ state: 'running', dryRun, done: 0, total });
    const end: RunEnd = await runImport(
      {
        importId: loaded.importId,
        kind: loaded.parsed.kind,
        dryRun,
        fileName: loaded.name,
        areaId: needsArea && areaId !== '' ? Number(areaId) : undefined,
        batches,
        send: (body, signal) => api<ImportRowsResponse>('/api/imports/rows', { method: 'POST', body, signal }),
        describe: (err) => errorText(err),
        onProgress: (done) => setRun({ state: 'running', dryRun, done, total }),
      },
      controller.signal,
      resume?.nextBatch ?? 0,
      resume?.results ?? new Map(),
    );
    const done = [...end.results.values()].length;
    if (end.state === 'done') {
      setRun({ state: 'done', dryRun, results: end.results });
      if (dryRun) setDryRunDone(true);
    } else if (end.state === 'paused') {
      setRun({ state: 'paused', dryRun, done, total, reason: end.reason, nextBatch: end.nextBatch, results: end.results });
    } else {
      setRun({ state: 'failed', dryRun, reason: end.reason });
    }
  }


  function download(results: Map<number, RowResult>, dryRun: boolean) {
    pendingFile.current = ({ blob, name }) => {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    };
    // The server's rows with their words in the user's language (the worker words its own rows).
    const worded = [...results.values()].map((r) => (r.code ? { ...r, message: rowText(r) } : r));
    post({ type: 'result', results: JSON.stringify(worded), dryRun, words: fileWords() });
  }

  const running = run?.state === 'running';

  return (
    <section class="import-screen">
      <h1>{t('import.title')}</h1>
      <p class="muted">{t('import.intro')}</p>
      <div class="card">
        <label class="field">
          {t('import.choose')}
          <input
            type="file"
            name="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={running || phase !== 'idle'}
            onChange={(e) => choose((e.target as HTMLInputElement).files?.[0])}
          />
        </label>
        {phase !== 'idle' && (
          <p class="banner banner-info" role="status">
            <span aria-hidden="true">ℹ </span>
            {t(phase === 'reading' ? 'import.reading' : 'import.checking')}
          </p>
        )}
        {problem && (
          <p class="banner banner-error" role="alert" data-problem={problem.code}>
            <span aria-hidden="true">✖ </span>
            {t(PROBLEM_WORDS[problem.code])} <small>{rowText({ key: problem.key, params: problem.params, message: problem.message })}</small>
          </p>
        )}
      </div>

      {loaded && (
        <div class="card">
          <p class="import-summary">
            {t('import.summary', { name: loaded.name, rows: formatNumber(loaded.parsed.total), kind: t(`import.kind.${loaded.parsed.kind}`) })}
          </p>
          {localCount(loaded.parsed) > 0 && <p class="banner banner-warn">{t('import.localProblems', { count: localCount(loaded.parsed) })}</p>}
          {needsArea && (
            <div class="filters">
              <AreaSelect value={areaId} onChange={setAreaId} label={t('import.area')} allLabel="—" name="importAreaId" />
            </div>
          )}
          {areaMissing && <p class="muted">{t('import.areaNeeded')}</p>}
          <div class="actions">
            <button type="button" class="button button-primary" disabled={running || areaMissing || loaded.parsed.toSend === 0} onClick={() => void start(true)}>
              {t('import.dryRun')}
            </button>
            <button type="button" class="button" disabled={running || !dryRunDone || areaMissing} onClick={() => void start(false)}>
              {t('import.apply')}
            </button>
          </div>
          {!dryRunDone && <p class="muted">{t('import.applyAfterDryRun')}</p>}
        </div>
      )}

      {run && loaded && (
        <div class="card" aria-live="polite">
          {(run.state === 'running' || run.state === 'paused') && (
            <>
              <progress value={run.done} max={Math.max(run.total, 1)} aria-label={t('import.running', { done: run.done, total: run.total })} />
              <p data-progress>{t('import.running', { done: formatNumber(run.done), total: formatNumber(run.total) })}</p>
            </>
          )}
          {run.state === 'running' && (
            <button type="button" class="button" onClick={() => abort.current?.abort()}>
              {t('import.stop')}
            </button>
          )}
          {run.state === 'paused' && (
            <>
              <p class="banner banner-warn" role="alert">
                {t('import.paused', { done: formatNumber(run.done), total: formatNumber(run.total), reason: reasonText(run.reason) })}
              </p>
              <button type="button" class="button button-primary" onClick={() => void start(run.dryRun, run)}>
                {t('import.resume')}
              </button>
            </>
          )}
          {run.state === 'failed' && (
            <p class="banner banner-error" role="alert">
              {t('import.failed', { reason: reasonText(run.reason) })}
            </p>
          )}
          {run.state === 'done' && <Outcomes dryRun={run.dryRun} results={run.results} local={loaded.parsed} onDownload={() => download(run.results, run.dryRun)} />}
        </div>
      )}
    </section>
  );
}

function localCount(summary: ParsedSummary): number {
  return Object.values(summary.localCounts).reduce((a, b) => a + b, 0);
}

function Outcomes({ dryRun, results, local, onDownload }: { dryRun: boolean; results: Map<number, RowResult>; local: ParsedSummary; onDownload: () => void }) {
  const counts = countOutcomes(results.values());
  for (const o of ROW_OUTCOMES) counts[o] += local.localCounts[o];
  const refused = (r: RowResult) => r.outcome === 'conflict' || r.outcome === 'invalid';
  // The first rows that will not go in, in row order: the worker's first page and the server's refusals.
  const problems = [...local.localFirst, ...[...results.values()].filter(refused)].sort((a, b) => a.row - b.row);
  const problemCount = counts.conflict + counts.invalid;
  return (
    <>
      <p class="banner banner-ok" role="status" data-finished={dryRun ? 'dry-run' : 'apply'}>
        <span aria-hidden="true">✓ </span>
        {t(dryRun ? 'import.dryDone' : 'import.applied')}
      </p>
      <table class="import-counts">
        <thead>
          <tr>
            <th scope="col">{t('col.outcome')}</th>
            <th scope="col" class="num">
              {t('col.count')}
            </th>
          </tr>
        </thead>
        <tbody>
          {ROW_OUTCOMES.filter((o) => counts[o] > 0).map((o) => (
            <tr key={o} data-outcome={o}>
              <td>
                <span class={`chip ${outcomeLook(o).cls}`}>
                  <span aria-hidden="true">{outcomeLook(o).icon} </span>
                  {t(`import.outcome.${o}`)}
                </span>
              </td>
              <td class="num">{formatNumber(counts[o])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="button button-primary" onClick={onDownload}>
        {t('import.download')}
      </button>
      {problemCount > 0 && (
        <>
          <h2>{t('import.rowsWithProblems')}</h2>
          <table class="import-problems">
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t('col.row')}
                </th>
                <th scope="col">{t('col.outcome')}</th>
                <th scope="col">{t('col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {problems.slice(0, PROBLEM_ROWS_SHOWN).map((r) => (
                <tr key={r.row}>
                  <td class="num">{r.row}</td>
                  <td>{t(`import.outcome.${r.outcome}`)}</td>
                  <td>
                    {r.code && <code>{r.code}</code>} {rowText(r)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {problemCount > PROBLEM_ROWS_SHOWN && <p class="muted">{t('import.moreRows', { count: problemCount - Math.min(PROBLEM_ROWS_SHOWN, problems.length) })}</p>}
        </>
      )}
    </>
  );
}
