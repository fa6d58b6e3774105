// Sign-in. A second step asks for the authenticator code when the account has TOTP (API answers OTP_REQUIRED).
// Throttled (429 with retryAfterSeconds), the screen counts the wait down and the button waits with it.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { errorText, t } from '../i18n';
import { startSession, type SessionInfo } from '../state/session';

export default function LoginScreen() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [needOtp, setNeedOtp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Throttled until this time (epoch ms); the countdown ticks once a second while it lasts.
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (waitUntil === null) return;
    const tick = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= waitUntil) clearInterval(tick);
    }, 250);
    return () => clearInterval(tick);
  }, [waitUntil]);
  const waitSeconds = waitUntil === null ? 0 : Math.max(0, Math.ceil((waitUntil - now) / 1000));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (waitSeconds > 0) return;
    setBusy(true);
    setError(null);
    setWaitUntil(null);
    try {
      startSession(
        await api<SessionInfo>('/api/auth/login', {
          body: needOtp ? { username, password, otp } : { username, password },
        }),
      );
    } catch (err) {
      const e = err instanceof ApiError ? err : null;
      if (e?.code === 'OTP_REQUIRED') {
        setNeedOtp(true);
        setError(needOtp ? t('login.wrongOtp') : null);
      } else if (e?.code === 'UNAUTHENTICATED') {
        setError(t('login.wrongPair'));
      } else if (e?.status === 429) {
        const wait = Number(e.details.retryAfterSeconds ?? e.details.retryAfter ?? 0);
        if (wait > 0) {
          setNow(Date.now());
          setWaitUntil(Date.now() + Math.ceil(wait) * 1000);
          setError(null);
        } else setError(t('login.tooManyWait'));
      } else {
        // ACCOUNT_DEACTIVATED (said only after the right password), network trouble, anything else: in words.
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit}>
        <h1>TraceTrack</h1>
        <p class="login-sub">{needOtp ? t('login.otpSubtitle') : t('login.subtitle')}</p>
        {!needOtp ? (
          <>
            <label class="field">
              <span>{t('login.username')}</span>
              <input name="username" autoComplete="username" autoCapitalize="none" spellcheck={false} autoFocus required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>{t('login.password')}</span>
              <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            </label>
          </>
        ) : (
          <label class="field">
            <span>{t('login.otp')}</span>
            <input name="otp" autoComplete="one-time-code" inputMode="numeric" required autoFocus value={otp} onInput={(e) => setOtp(e.currentTarget.value)} />
          </label>
        )}
        {error && (
          <p class="banner banner-error" role="alert">
            {error}
          </p>
        )}
        {waitUntil !== null && (
          <p class={waitSeconds > 0 ? 'banner banner-warn' : 'banner banner-info'} role="status" data-testid="login-wait" aria-live="polite">
            {waitSeconds > 0 ? t('login.tooMany', { seconds: waitSeconds }) : t('login.waitOver')}
          </p>
        )}
        <button class="button button-primary button-big" type="submit" disabled={busy || waitSeconds > 0}>
          {busy ? t('login.busy') : waitSeconds > 0 ? t('login.waiting', { seconds: waitSeconds }) : needOtp ? t('login.submitOtp') : t('login.submit')}
        </button>
        {needOtp && (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              setNeedOtp(false);
              setOtp('');
              setError(null);
            }}
          >
            {t('login.otherAccount')}
          </button>
        )}
      </form>
    </main>
  );
}
