// Sign-in. A second step asks for the authenticator code when the account has TOTP (API answers OTP_REQUIRED).
import { useState } from 'preact/hooks';
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

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
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
        setError(wait > 0 ? t('login.tooMany', { seconds: Math.ceil(wait) }) : t('login.tooManyWait'));
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
        <button class="button button-primary button-big" type="submit" disabled={busy}>
          {busy ? t('login.busy') : needOtp ? t('login.submitOtp') : t('login.submit')}
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
