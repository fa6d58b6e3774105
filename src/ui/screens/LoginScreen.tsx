// Sign-in. A second step asks for the authenticator code when the account has TOTP (API answers OTP_REQUIRED).
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
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
      if (err instanceof ApiError && err.code === 'OTP_REQUIRED') {
        setNeedOtp(true);
        setError(needOtp ? err.message : null);
      } else if (err instanceof ApiError && err.isNetwork) {
        setError('No connection to the server. Check the network and try again.');
      } else if (err instanceof ApiError && err.status === 429) {
        const wait = Number(err.details.retryAfter ?? 0);
        setError(`Too many attempts. ${wait > 0 ? `Try again in ${Math.ceil(wait)} s.` : 'Wait a minute and try again.'}`);
      } else {
        setError(err instanceof Error ? err.message : 'Sign-in failed.');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit}>
        <h1>TraceTrack</h1>
        <p class="login-sub">{needOtp ? 'Enter the 6-digit code from your authenticator app.' : 'Sign in to scan, track and bill bags.'}</p>
        {!needOtp ? (
          <>
            <label class="field">
              <span>Username</span>
              <input name="username" autoComplete="username" autoCapitalize="none" spellcheck={false} autoFocus required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>Password</span>
              <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
            </label>
          </>
        ) : (
          <label class="field">
            <span>Authenticator code (or a recovery code)</span>
            <input name="otp" autoComplete="one-time-code" inputMode="numeric" required autoFocus value={otp} onInput={(e) => setOtp(e.currentTarget.value)} />
          </label>
        )}
        {error && (
          <p class="banner banner-error" role="alert">
            {error}
          </p>
        )}
        <button class="button button-primary button-big" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : needOtp ? 'Verify and sign in' : 'Sign in'}
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
            Use another account
          </button>
        )}
      </form>
    </main>
  );
}
