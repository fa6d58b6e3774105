// Universal lookup: scan or type any QR and see the chain bill → parent → children (the searched bag
// highlighted), its status, area, creator and history; near misses offer "did you mean" links. Each scan gets
// its own answer, like the scanner's (issue 9): a banner (found / not found / refused, with the code), a sound
// and a vibration, one per scan in scan order, also while the "Delete empty parent" question is open (the scan
// closes it, nothing is deleted, and the answer says so).
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api, ApiError } from '../../api/client';
import type { LookupResult } from '../../api/types';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ResultBanner, type ShownOutcome } from '../../components/ResultBanner';
import { ScanInput } from '../../components/ScanInput';
import { StatusChip } from '../../components/StatusChip';
import { formatDateTime } from '../../format';
import { t } from '../../i18n';
import { playFeedback } from '../../scanner/feedback';
import type { Outcome } from '../../scanner/scan-state';
import { answerOffScreen } from '../../scanner/wedge';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { DeleteParent } from './DeleteParent';
import { historyLine } from './history-words';
import { lookupOutcome } from './lookup-answer';
import '../screens.css';

interface ResultProps {
  data: LookupResult;
  siblings: LookupResult['children'];
  onDeleted: () => void;
  asking: boolean;
  setAsking: (open: boolean) => void;
}

function Result({ data, siblings, onDeleted, asking, setAsking }: ResultProps) {
  const { bag } = data;
  const parentQr = bag.type === 'parent' ? bag.qr : data.parent?.qr;
  const parent = bag.type === 'parent' ? bag : data.parent;
  // A child's own answer names its parent only; the parent's children come from the parent's lookup.
  const children = data.children ?? siblings ?? [];
  // Admins may delete a parent nothing depends on (the server checks its whole history too).
  const deletable = currentUser.value?.role === 'admin' && bag.type === 'parent' && !data.bill && children.length === 0 && (bag.childCount ?? 0) === 0;
  return (
    <article class="card" data-testid="lookup-result" aria-labelledby="lookup-title">
      <h2 id="lookup-title">
        {bag.qr} <small class="muted">({bag.type === 'parent' ? t('lookup.typeParent') : t('lookup.typeChild')})</small> <StatusChip status={bag.status} />
      </h2>
      <dl class="facts">
        <div>
          <dt>{t('lookup.area')}</dt>
          <dd>{bag.areaId == null ? '—' : areaName(bag.areaId)}</dd>
        </div>
        <div>
          <dt>{t('lookup.created')}</dt>
          <dd>{formatDateTime(bag.createdAt)}</dd>
        </div>
        <div>
          <dt>{t('lookup.createdBy')}</dt>
          <dd>{bag.createdByName ?? (bag.createdBy == null ? '—' : String(bag.createdBy))}</dd>
        </div>
        {bag.completedAt && (
          <div>
            <dt>{t('lookup.completed')}</dt>
            <dd>{formatDateTime(bag.completedAt)}</dd>
          </div>
        )}
      </dl>
      {deletable && <DeleteParent qr={bag.qr} onDeleted={onDeleted} asking={asking} setAsking={setAsking} />}
      <h3>{t('lookup.chain')}</h3>
      <ol class="chain">
        <li>
          <strong>{t('lookup.bill')} </strong>
          {data.bill ? (
            <>
              <a href={`/bills/${encodeURIComponent(data.bill.billNo)}`}>{data.bill.billNo}</a> {data.bill.destination && `→ ${data.bill.destination}`}{' '}
              {data.bill.finalized ? <StatusChip status="finalized" /> : data.bill.status && <StatusChip status={data.bill.status} />}
            </>
          ) : (
            <span class="muted">{t('lookup.noBill')}</span>
          )}
        </li>
        <li>
          <strong>{t('lookup.parent')} </strong>
          {parentQr ? (
            <a href={`/lookup/${encodeURIComponent(parentQr)}`} class={bag.type === 'parent' ? 'hit' : undefined} aria-current={bag.type === 'parent' ? 'true' : undefined}>
              {parentQr}
            </a>
          ) : (
            <span class="muted">{t('lookup.noParent')}</span>
          )}
          {parent && (
            <>
              {' '}
              <StatusChip status={parent.status} /> {t('lookup.childCount', { count: parent.childCount ?? children.length })}
            </>
          )}
        </li>
        {(bag.type === 'parent' || children.length > 0) && (
          <li>
            <strong>{t('lookup.children', { count: children.length })}</strong>
            <ul class="children">
              {children.map((c) => (
                <li key={c.qr}>
                  <a href={`/lookup/${encodeURIComponent(c.qr)}`} class={c.qr === bag.qr ? 'hit' : undefined} aria-current={c.qr === bag.qr ? 'true' : undefined}>
                    {c.qr}
                  </a>
                </li>
              ))}
            </ul>
          </li>
        )}
      </ol>
      <h3>{t('lookup.history')}</h3>
      {data.history.length === 0 ? (
        <p class="muted">{t('lookup.noHistory')}</p>
      ) : (
        <ol class="timeline">
          {data.history.map((e, i) => {
            const line = historyLine(e);
            return (
              <li key={i}>
                <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                <span class={`chip-line tone-${line.tone}`}>
                  <span aria-hidden="true">{line.icon} </span>
                  {line.text}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </article>
  );
}

/** A scan's lookup, handed to the screen for the label it routes to: the label is not fetched twice. */
const scanned = new Map<string, Promise<LookupResult>>();

const asApiError = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)));

export default function LookupScreen() {
  const { params } = useRoute();
  const { route } = useLocation();
  const qr = params.qr ? decodeURIComponent(params.qr).trim().toUpperCase() : '';
  const [text, setText] = useState(qr);
  const [data, setData] = useState<LookupResult | null>(null);
  const [siblings, setSiblings] = useState<LookupResult['children']>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [deleted, setDeleted] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  // The last scan's answer; a scan of the label already shown looks it up again (`reload`).
  const [answer, setAnswer] = useState<ShownOutcome | null>(null);
  const [reload, setReload] = useState(0);
  const view = useRef({ qr, asking, mounted: true, answers: 0 });
  view.current.qr = qr;
  view.current.asking = asking;
  const chain = useRef<Promise<void>>(Promise.resolve());
  const slot = useRef<HTMLDivElement>(null);
  useEffect(
    () => () => {
      view.current.mounted = false;
    },
    [],
  );

  useEffect(() => {
    setText(qr);
    setData(null);
    setSiblings(undefined);
    setError(null);
    setDeleted(null);
    setAsking(false);
    if (!qr) return;
    let live = true;
    setLoading(true);
    const request = scanned.get(qr) ?? api<LookupResult>(`/api/bags/${encodeURIComponent(qr)}`);
    scanned.delete(qr);
    request
      .then((d) => {
        if (!live) return;
        setData(d);
        if (d.bag.type === 'child' && d.parent?.qr && !d.children) {
          api<LookupResult>(`/api/bags/${encodeURIComponent(d.parent.qr)}`)
            .then((p) => live && setSiblings(p.children ?? []))
            .catch(() => undefined);
        }
      })
      .catch((err) => live && setError(asApiError(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [qr, reload]);

  /** One scan, looked up and answered (in scan order: the chain), then shown. */
  const lookUp = async (code: string, notDeleted: string | undefined) => {
    const request = api<LookupResult>(`/api/bags/${encodeURIComponent(code)}`);
    let outcome: Outcome;
    try {
      outcome = lookupOutcome(code, { found: await request }, notDeleted);
    } catch (err) {
      outcome = lookupOutcome(code, { error: { code: asApiError(err).code } }, notDeleted);
    }
    playFeedback(outcome.kind, outcome.qr, outcome.toScan);
    // Left the screen before this answer came: the shell shows it.
    if (!view.current.mounted) return answerOffScreen(outcome, false);
    setAnswer({ ...outcome, n: ++view.current.answers });
    // On a phone the page may be scrolled down a long history: the answer must be seen without scrolling.
    requestAnimationFrame(() => slot.current?.scrollIntoView({ block: 'nearest' }));
    scanned.set(code, request);
    if (code === view.current.qr) setReload((r) => r + 1);
    else route(`/lookup/${encodeURIComponent(code)}`);
  };

  const onScan = (code: string) => {
    // The delete question closes without deleting (a scan never answers it; its Enter presses no button, the
    // wedge listener keeps it), and the scan's answer says the parent was not deleted.
    const notDeleted = view.current.asking ? view.current.qr : undefined;
    if (notDeleted) setAsking(false);
    chain.current = chain.current.then(() => lookUp(code, notDeleted)).catch(() => undefined);
  };

  const go = (code: string) => {
    const c = code.trim().toUpperCase();
    if (c) route(`/lookup/${encodeURIComponent(c)}`);
  };
  const suggestions = error?.code === 'NOT_FOUND' && Array.isArray(error.details.suggestions) ? (error.details.suggestions as string[]) : [];

  return (
    <section>
      <h1>{t('lookup.title')}</h1>
      <ScanInput label={t('lookup.scan')} onScan={onScan} />
      <form
        class="manual-entry card"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go(text);
        }}
      >
        <label class="field">
          {t('lookup.field')}
          <input name="qr" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} autoComplete="off" autoCapitalize="characters" spellcheck={false} placeholder={t('lookup.placeholder')} />
        </label>
        <button type="submit" class="button button-primary">
          {t('lookup.submit')}
        </button>
      </form>
      {/* Only while it is about the label on screen (a "did you mean" link or a typed lookup moves on). */}
      <div ref={slot}>{answer && answer.qr === qr && <ResultBanner outcome={answer} testId="lookup-answer" />}</div>
      {loading && <p class="muted">{t('lookup.busy', { qr })}</p>}
      {error && error.code === 'NOT_FOUND' ? (
        <div class="banner banner-warn" role="alert" data-testid="lookup-not-found">
          <p>{t('lookup.notFound', { qr })}</p>
          {suggestions.length > 0 && (
            <p>
              {t('lookup.didYouMean')}{' '}
              {suggestions.map((s, i) => (
                <span key={s}>
                  {i > 0 && ', '}
                  <a href={`/lookup/${encodeURIComponent(s)}`}>{s}</a>
                </span>
              ))}
              ?
            </p>
          )}
        </div>
      ) : (
        <ErrorBanner error={error} />
      )}
      {deleted && (
        <p class="banner banner-info" role="status" data-testid="parent-deleted">
          {t('lookup.parentDeleted', { qr: deleted })}
        </p>
      )}
      {data && (
        <Result
          data={data}
          siblings={siblings}
          asking={asking}
          setAsking={setAsking}
          onDeleted={() => {
            // A deletion that ends after a scan moved the screen on changes nothing on it.
            if (view.current.qr !== data.bag.qr) return;
            setDeleted(data.bag.qr);
            setData(null);
          }}
        />
      )}
    </section>
  );
}
