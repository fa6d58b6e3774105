// Me: who is signed in, own password change, and the TOTP second factor for admins (setup shows the
// otpauth URI as a QR plus the secret; a verified code turns it on and shows the recovery codes once).
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { SessionUser } from '../../api/types';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { QrCode } from '../../components/QrCode';
import { timeZone, zoneLabel } from '../../format';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import '../screens.css';

function PasswordChange() {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '', repeat: '' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error, ['currentPassword', 'newPassword']);
  const mismatch = form.repeat !== '' && form.repeat !== form.newPassword;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      const body = await api<{ user?: SessionUser }>('/api/auth/password', { body: { currentPassword: form.currentPassword, newPassword: form.newPassword } });
      if (body?.user) currentUser.value = body.user;
      setForm({ currentPassword: '', newPassword: '', repeat: '' });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const input = (k: keyof typeof form, label: string, autoComplete: string) => (
    <label class="field">
      {label}
      <input type="password" name={k} value={form[k]} required autoComplete={autoComplete} onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })} aria-invalid={errors[k] || (k === 'repeat' && mismatch) ? 'true' : undefined} />
      {errors[k] && <span class="field-error">{errors[k]}</span>}
      {k === 'repeat' && mismatch && <span class="field-error">The two new passwords differ.</span>}
    </label>
  );
  return (
    <form class="card" onSubmit={submit} aria-labelledby="pw-title">
      <h2 id="pw-title">Change password</h2>
      {input('currentPassword', 'Current password', 'current-password')}
      {input('newPassword', 'New password (at least 10 characters)', 'new-password')}
      {input('repeat', 'New password again', 'new-password')}
      <ErrorBanner error={Object.keys(errors).length ? null : error} />
      {done && (
        <p class="banner banner-ok" role="status">
          ✔ Password changed. Your other sessions are signed out.
        </p>
      )}
      <button type="submit" class="button button-primary" disabled={busy || mismatch}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}

function TotpSetup() {
  // Turning TOTP on or off needs the current password (the server checks it at every step).
  const [password, setPassword] = useState('');
  const [setup, setSetup] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const start = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      setSetup(await api<{ secret: string; otpauthUri: string }>('/api/auth/totp/setup', { method: 'POST', body: { currentPassword: password } }));
    } catch (err) {
      setError(err);
    }
  };
  const verify = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const body = await api<{ recoveryCodes: string[] }>('/api/auth/totp/verify', { body: { otp: code.trim(), currentPassword: password } });
      setCodes(body.recoveryCodes ?? []);
      setSetup(null);
      setPassword('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="card" aria-labelledby="totp-title">
      <h2 id="totp-title">Two-factor sign-in (TOTP)</h2>
      {codes ? (
        <>
          <p class="banner banner-ok">✔ Two-factor sign-in is on. From now on, sign-in asks for a 6-digit code.</p>
          <p>
            <strong>Recovery codes</strong>: each works once instead of a code. Store them somewhere safe now: <strong>they are not shown again.</strong>
          </p>
          <ul class="codes" data-testid="recovery-codes">
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      ) : setup ? (
        <>
          <p>Scan this with an authenticator app (or enter the secret by hand), then type the 6-digit code it shows.</p>
          <QrCode value={setup.otpauthUri} size={200} label="QR code for your authenticator app" />
          <p>
            Secret: <span class="secret">{setup.secret}</span>
          </p>
          <form class="manual-entry" onSubmit={verify}>
            <label class="field">
              6-digit code
              <input name="otp" value={code} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit" class="button button-primary">
              Turn on
            </button>
          </form>
        </>
      ) : (
        <form onSubmit={start}>
          <p>Admins protect their account with a code from an authenticator app in addition to the password.</p>
          <label class="field">
            Current password
            <input type="password" name="totpCurrentPassword" value={password} required autoComplete="current-password" onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="button button-primary">
            Set up two-factor sign-in
          </button>
        </form>
      )}
      <ErrorBanner error={error} />
      {!codes && !setup && <TotpDisable />}
    </section>
  );
}

function TotpDisable() {
  const [form, setForm] = useState({ currentPassword: '', otp: '' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api('/api/auth/totp/disable', { body: { currentPassword: form.currentPassword, otp: form.otp.trim() } });
      setForm({ currentPassword: '', otp: '' });
      setDone(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <details>
      <summary>Turn two-factor sign-in off</summary>
      <form onSubmit={submit}>
        <label class="field">
          Current password
          <input type="password" name="disableCurrentPassword" value={form.currentPassword} required autoComplete="current-password" onInput={(e) => setForm({ ...form, currentPassword: (e.target as HTMLInputElement).value })} />
        </label>
        <label class="field">
          Code from your authenticator app (or a recovery code)
          <input name="disableOtp" value={form.otp} required autoComplete="one-time-code" onInput={(e) => setForm({ ...form, otp: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="submit" class="button">
          Turn off
        </button>
      </form>
      <ErrorBanner error={error} />
      {done && (
        <p class="banner banner-ok" role="status">
          ✔ Two-factor sign-in is off.
        </p>
      )}
    </details>
  );
}

export default function MeScreen() {
  const user = currentUser.value!;
  return (
    <section>
      <h1>Me</h1>
      <dl class="card facts">
        <div>
          <dt>Username</dt>
          <dd data-testid="me-username">{user.username}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{user.role}</dd>
        </div>
        <div>
          <dt>Area</dt>
          <dd>{user.areaId == null ? 'All areas' : areaName(user.areaId)}</dd>
        </div>
        <div>
          <dt>Times shown in</dt>
          <dd>
            {timeZone()} ({zoneLabel()})
          </dd>
        </div>
      </dl>
      <p>
        <a href="/history">My scan history</a>
      </p>
      <PasswordChange />
      {user.role === 'admin' && <TotpSetup />}
    </section>
  );
}
