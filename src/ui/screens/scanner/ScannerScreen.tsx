// The scanner (UI.md "Scanner"): waiting for a parent, then filling it. All the behaviour lives in
// ScannerSession; this file lays it out for arm's length, one thumb or a scanner alone.
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { ComponentType } from 'preact';
import type { SessionUser } from '../../../shared/types';
import { ScanInput } from '../../components/ScanInput';
import { ScannerSession } from '../../scanner/scanner-session';
import { currentUser } from '../../state/session';
import { pendingScans } from '../../state/connection';
import { areas } from '../../state/areas';
import { ChildList } from './ChildList';
import { Counter } from './Counter';
import { ManualEntry } from './ManualEntry';
import { RejectionList } from './RejectionList';
import { ResultBanner } from './ResultBanner';
import type { ViewfinderProps } from './CameraViewfinder';
import './scanner.css';

// One session per signed-in user, kept across route changes (/scan ↔ /scan/SB…) so its socket and
// in-flight scans are not torn down by the router; released shortly after the screen is left.
let session: ScannerSession | null = null;
let navigate: (path: string) => void = () => undefined;
let releaseTimer: ReturnType<typeof setTimeout> | undefined;

function sessionFor(user: SessionUser): ScannerSession {
  clearTimeout(releaseTimer);
  if (!session || session.user.id !== user.id) {
    session?.dispose();
    session = new ScannerSession(user, (qr) => navigate(qr ? `/scan/${qr}` : '/scan'));
  }
  return session;
}

const UNDO_WINDOW_MS = 60 * 60 * 1000;

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
  useEffect(
    () => () => {
      releaseTimer = setTimeout(() => {
        session?.dispose();
        session = null;
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

  const parentQr = s.parentQr.value;
  const parent = s.parent.value;
  const pending = pendingScans.value;
  const newest = parent?.children.reduce<(typeof parent.children)[number] | null>((a, c) => (!a || c.linkedAt > a.linkedAt ? c : a), null);
  const canUndo = !!newest && newest.by === user.username && Date.now() - Date.parse(newest.linkedAt) < UNDO_WINDOW_MS && pending === 0;
  const mayCompleteBelow = user.role === 'supervisor' || user.role === 'admin';
  const switching = s.pendingSwitch.value;

  return (
    <section class="scanner" aria-labelledby="scanner-title">
      <ScanInput label="Scanner input" onScan={(code) => s.handleCode(code)} disabled={!!switching || cameraOpen} />
      <header class="scanner-head">
        {parentQr ? (
          <>
            <p class="scanner-step">Filling parent bag</p>
            <h1 id="scanner-title" class="parent-qr" data-testid="parent-qr">
              {parentQr}
            </h1>
          </>
        ) : (
          <>
            <p class="scanner-step">Step 1</p>
            <h1 id="scanner-title" class="parent-qr parent-qr-waiting">
              Scan a parent bag label
            </h1>
            <p class="muted">SB followed by 5 digits. Then scan its child bags.</p>
            {user.areaId == null && (
              <label class="field">
                <span>Area for new parent bags</span>
                <select value={s.areaForNew.value ?? ''} onChange={(e) => (s.areaForNew.value = Number(e.currentTarget.value) || undefined)}>
                  <option value="">Choose an area</option>
                  {areas.value.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </>
        )}
      </header>

      {parentQr && <Counter count={parent?.childCount ?? null} capacity={parent?.capacity ?? 30} status={parent?.status ?? null} />}

      <ResultBanner outcome={s.last.value} />

      {switching && (
        <div class="card switch-confirm" role="alertdialog" aria-labelledby="switch-title">
          <p id="switch-title">
            <strong>{parentQr}</strong> is not complete ({parent?.childCount} / {parent?.capacity}). Switch to <strong>{switching}</strong>?
          </p>
          <div class="actions">
            <button type="button" class="button button-primary button-big" autoFocus onClick={() => s.confirmSwitch(true)}>
              Switch to {switching}
            </button>
            <button type="button" class="button button-big" onClick={() => s.confirmSwitch(false)}>
              Stay on {parentQr}
            </button>
          </div>
        </div>
      )}

      <div class="actions scanner-actions">
        <button type="button" class="button button-big" onClick={() => void openCamera()}>
          <span aria-hidden="true">◉</span> Camera
        </button>
        {parentQr && canUndo && (
          <button type="button" class="button button-big" disabled={s.busy.value} onClick={() => void s.undo()}>
            <span aria-hidden="true">↶</span> Undo last <small class="undo-qr">{newest!.qr}</small>
          </button>
        )}
        {parentQr && parent?.status === 'open' && mayCompleteBelow && (
          <button type="button" class="button button-big button-primary" disabled={s.busy.value} onClick={() => void s.complete()}>
            <span aria-hidden="true">✓</span> Complete
          </button>
        )}
        {parentQr && (
          <button type="button" class="button button-big" onClick={() => {
              s.leaveParent();
              navigate('/scan');
            }}>
            Done with {parentQr}
          </button>
        )}
      </div>
      {parentQr && parent?.status === 'open' && !mayCompleteBelow && <p class="muted">The bag completes by itself at {parent.capacity}; a supervisor can complete it earlier.</p>}

      <ManualEntry onSubmit={(code) => s.handleCode(code)} />

      <RejectionList items={s.rejected.value} onDismiss={(r) => void s.dismiss(r)} />

      {parent && <ChildList children={parent.children} />}

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
