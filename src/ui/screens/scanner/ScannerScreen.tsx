// The scanner (UI.md "Scanner"): waiting for a parent, filling it, and the bag-complete moment. All behaviour
// lives in ScannerSession; this file lays it out for arm's length, one thumb or a scanner alone. The main
// area (heading, count, answer) takes each answer's state for about a second; the action row keeps four
// fixed slots so nothing under the thumb moves, and a question's yes / no take the first two.
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { ComponentType } from 'preact';
import type { SessionUser } from '../../../shared/types';
import { ScanInput } from '../../components/ScanInput';
import { t } from '../../i18n';
import { capacityOf, childrenShown, countShown, isComplete } from '../../scanner/scan-state';
import { ScannerSession } from '../../scanner/scanner-session';
import { currentUser } from '../../state/session';
import { areas } from '../../state/areas';
import { ChildList } from './ChildList';
import { Counter } from './Counter';
import { ManualEntry } from './ManualEntry';
import { RejectionList } from './RejectionList';
import { ResultBanner } from '../../components/ResultBanner';
import type { ViewfinderProps } from './CameraViewfinder';
import './scanner.css';

// One session per signed-in user, kept across route changes (/scan ↔ /scan/SB…) so its socket and
// in-flight scans are not torn down by the router. Leaving the screen closes the parent's socket, but the
// session stays so scans still waiting on the device keep replaying; signing out (or in as someone
// else) ends it, so nobody's scans are ever sent with another user's session.
let session: ScannerSession | null = null;
let navigate: (path: string) => void = () => undefined;
let releaseTimer: ReturnType<typeof setTimeout> | undefined;

currentUser.subscribe((user) => {
  if (session && user?.id !== session.user.id) {
    session.dispose();
    session = null;
  }
});

function sessionFor(user: SessionUser): ScannerSession {
  clearTimeout(releaseTimer);
  if (!session || session.user.id !== user.id) {
    session?.dispose();
    session = new ScannerSession(user, (qr) => navigate(qr ? `/scan/${qr}` : '/scan'));
  }
  return session;
}

export default function ScannerScreen() {
  const user = currentUser.value!;
  const { route, path } = useLocation();
  const { params } = useRoute();
  navigate = (to) => {
    if (to !== location.pathname) route(to, true);
  };
  const s = sessionFor(user);
  const [Camera, setCamera] = useState<ComponentType<ViewfinderProps> | null>(null);
  const [cameraOpen, setCameraOpen] = useState(false);

  useEffect(() => {
    s.showParent(params.parentQr);
  }, [params.parentQr, path]);
  useEffect(() => s.attach(), [s]);
  useEffect(
    () => () => {
      // Not at once: the router may be swapping this screen for itself.
      releaseTimer = setTimeout(() => {
        navigate = () => undefined;
        session?.leaveParent();
      }, 1000);
    },
    [],
  );

  const openCamera = async () => {
    if (!Camera) {
      // The camera code (and its decoder) loads only when asked for: not part of the page's own JS.
      const mod = await import('./CameraViewfinder');
      setCamera(() => mod.CameraViewfinder);
    }
    setCameraOpen(true);
  };

  const state = s.state.value;
  const parentQr = state.parentQr;
  const parent = state.parent?.qr === parentQr ? state.parent : null;
  const count = parentQr ? countShown(state) : 0;
  const capacity = capacityOf(state);
  const complete = !!parentQr && isComplete(state);
  const question = state.question;
  const undo = parentQr ? s.undoable() : null;
  const undoChild = undo?.kind === 'waiting' ? undo.scan.qr : undo?.qr;
  const mayCompleteBelow = user.role === 'supervisor' || user.role === 'admin';
  const last = s.last.value;
  const busy = s.busy.value;

  const slot = (key: string) => <span key={key} class="slot-empty" aria-hidden="true" />;
  const slots = question
    ? [
        <button key="yes" type="button" class="button button-big button-primary" onClick={() => s.answer(true)}>
          {question.kind === 'switch' ? t('scan.yesSwitch', { to: question.to }) : t('scan.yesComplete', { count, capacity })}
        </button>,
        <button key="no" type="button" class="button button-big" onClick={() => s.answer(false)}>
          {question.kind === 'switch' ? t('scan.noStay', { from: parentQr ?? '' }) : t('scan.noKeepFilling')}
        </button>,
      ]
    : [
        parentQr && undo ? (
          <button key="undo" type="button" class="button button-big" disabled={busy} onClick={() => void s.undo()}>
            <span aria-hidden="true">↶</span> {undo.kind === 'waiting' ? t('scan.undoWaiting') : t('scan.undo')} <small class="undo-qr">{complete ? t('scan.undoReopens', { child: undoChild!, parent: parentQr }) : undoChild}</small>
          </button>
        ) : (
          slot('undo')
        ),
        parentQr && parent?.status === 'open' && !complete && mayCompleteBelow ? (
          <button key="complete" type="button" class="button button-big button-primary" disabled={busy} onClick={() => s.complete()}>
            <span aria-hidden="true">✓</span> {t('scan.complete.button')}
          </button>
        ) : (
          slot('complete')
        ),
      ];

  return (
    <section class="scanner" aria-labelledby="scanner-title">
      <ScanInput
        label={t('scan.input')}
        onScan={(code) => {
          // A wedge scan while the camera is open: the operator chose the wedge.
          setCameraOpen(false);
          s.handleCode(code);
        }}
      />
      <div class={`stage${complete ? ' stage-complete' : ''}`}>
        {last && <div key={last.n} class={`stage-flash flash-${last.kind}`} aria-hidden="true" />}
        <header class="scanner-head">
          {parentQr ? (
            <>
              <p class="scanner-step">{complete ? t('scan.completeTitle') : t('scan.filling')}</p>
              <h1 id="scanner-title" class="parent-qr" data-testid="parent-qr">
                {parentQr}
              </h1>
            </>
          ) : (
            <>
              <p class="scanner-step">{t('scan.step1')}</p>
              <h1 id="scanner-title" class="parent-qr parent-qr-waiting">
                {t('scan.waitingTitle')}
              </h1>
              <p class="muted">{t('scan.waitingHint')}</p>
            </>
          )}
        </header>
        {parentQr && <Counter count={parent || state.waiting.length ? count : null} capacity={capacity} complete={complete} loading={s.loading.value} />}
        <ResultBanner outcome={last} />
      </div>

      {!parentQr && user.areaId == null && (
        <label class="field">
          <span>{t('scan.areaForNew')}</span>
          <select value={s.areaForNew.value ?? ''} onChange={(e) => (s.areaForNew.value = Number(e.currentTarget.value) || undefined)}>
            <option value="">{t('scan.chooseArea')}</option>
            {areas.value.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      )}

      <div class="scanner-actions" data-testid="scanner-actions">
        {slots}
        <button type="button" class="button button-big" onClick={() => void openCamera()}>
          <span aria-hidden="true">◉</span> {t('scan.camera')}
        </button>
        {parentQr ? (
          <button
            type="button"
            class="button button-big"
            onClick={() => {
              s.leaveParent();
              navigate('/scan');
            }}
          >
            {t('scan.done', { parent: parentQr })}
          </button>
        ) : (
          slot('done')
        )}
      </div>
      {question && <p class="question-hint" data-testid="question-hint">{t('scan.questionHint', { label: question.kind === 'switch' ? question.to : parentQr ?? '' })}</p>}
      {parentQr && parent?.status === 'open' && !mayCompleteBelow && !question && <p class="muted">{t('scan.selfCompletes', { capacity })}</p>}

      <ManualEntry onSubmit={(code) => s.handleCode(code)} />

      <RejectionList items={s.rejected.value} onDismiss={(r) => void s.dismiss(r)} />

      {parentQr && <ChildList children={childrenShown(state)} />}

      {cameraOpen && Camera && (
        <Camera
          onCode={(code) => {
            setCameraOpen(false);
            s.handleCode(code);
          }}
          onClose={() => setCameraOpen(false)}
        />
      )}
    </section>
  );
}
