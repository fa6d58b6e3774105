// Full-screen camera viewfinder with a guide box. Loaded on demand (dynamic import), so neither this nor the
// decoder counts toward the scanner page's JavaScript. The browser's own BarcodeDetector is used where it
// exists; elsewhere the zxing-wasm based ponyfill, whose .wasm is bundled by Vite and served from our origin.
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, type MessageKey } from '../../i18n';

export interface ViewfinderProps {
  onCode: (code: string) => void;
  onClose: () => void;
}

interface Detector {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}

const FORMATS = ['qr_code', 'code_128', 'code_39', 'data_matrix'];

async function createDetector(): Promise<Detector> {
  const native = (globalThis as { BarcodeDetector?: { new (o: { formats: string[] }): Detector; getSupportedFormats(): Promise<string[]> } }).BarcodeDetector;
  if (native) {
    const supported = await native.getSupportedFormats().catch(() => [] as string[]);
    const formats = FORMATS.filter((f) => supported.includes(f));
    if (formats.length) return new native({ formats });
  }
  const [{ BarcodeDetector, prepareZXingModule }, { default: wasmUrl }] = await Promise.all([
    import('barcode-detector/ponyfill'),
    import('zxing-wasm/reader/zxing_reader.wasm?url'),
  ]);
  // Our own copy of the decoder, never a CDN (CSP and offline use).
  prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? new URL(wasmUrl, location.href).href : prefix + path) } });
  return new BarcodeDetector({ formats: FORMATS as never });
}

/** Why the camera did not start, in the catalog's words (never the browser's English message). */
function cameraProblem(err: unknown): Extract<MessageKey, `camera.${string}`> {
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'camera.denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'camera.noCamera';
  return 'camera.failed';
}

export function CameraViewfinder({ onCode, onClose }: ViewfinderProps) {
  const video = useRef<HTMLVideoElement>(null);
  // A key, not text: the words follow a language switched while the camera is open.
  const [message, setMessage] = useState<Extract<MessageKey, `camera.${string}`>>('camera.starting');

  useEffect(() => {
    let stream: MediaStream | null = null;
    let stopped = false;
    let frame = 0;
    const stop = () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((t) => t.stop());
    };
    // Not awaited: an effect cannot be async. Every failure is caught below and shown; cleanup stops the loop.
    void (async () => {
      try {
        if (!navigator.mediaDevices?.getUserMedia) {
          setMessage('camera.needsHttps');
          return;
        }
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped) return stop();
        const el = video.current!;
        el.srcObject = stream;
        await el.play();
        setMessage('camera.loading');
        const detector = await createDetector();
        setMessage('camera.hold');
        const tick = async () => {
          if (stopped) return;
          try {
            const found = el.readyState >= 2 ? await detector.detect(el) : [];
            const code = found.find((b) => b.rawValue.trim())?.rawValue;
            if (code && !stopped) {
              stop();
              onCode(code);
              return;
            }
          } catch {
            // A frame the decoder could not read: try the next one.
          }
          frame = requestAnimationFrame(() => void tick());
        };
        void tick();
      } catch (err) {
        setMessage(cameraProblem(err));
      }
    })();
    return stop;
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="viewfinder" role="dialog" aria-modal="true" aria-label={t('camera.dialog')}>
      <video ref={video} class="viewfinder-video" playsInline muted />
      <div class="viewfinder-guide" aria-hidden="true" />
      <p class="viewfinder-message" role="status">
        {t(message)}
      </p>
      <button type="button" class="button button-big viewfinder-close" onClick={onClose}>
        {t('camera.close')}
      </button>
    </div>
  );
}
