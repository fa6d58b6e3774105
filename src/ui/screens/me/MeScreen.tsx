// Me: who is signed in, sign-out, language, own password change, and the TOTP second factor for admins
// (setup shows the otpauth URI as a QR plus the secret; a verified code turns it on and shows the recovery
// codes once). Problems are said in our words next to their field.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { SessionUser } from '../../api/types';
import { ErrorBanner, fieldErrors } from '../../components/ErrorBanner';
import { LanguageSettings } from '../../components/LanguageSettings';
import { QrCode } from '../../components/QrCode';
import { roleName } from '../../components/StatusChip';
import { timeZone, zoneLabel } from '../../format';
import { t } from '../../i18n';
import { areaName } from '../../state/areas';
import { currentUser } from '../../state/session';
import { SignOutButton } from '../../shell/SignOutButton';
import '../screens.css';

function PasswordChange() {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '', repeat: '' });
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const server = fieldErrors(error, ['currentPassword', 'newPassword']);
  const wrongCurrent = error instanceof ApiError && error.code === 'FORBIDDEN';
  const badNew = !!server.newPassword || (error instanceof ApiError && error.code === 'INVALID_INPUT' && !server.currentPassword);
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
  const problems: Record<keyof typeof form, string | null> = {
    currentPassword: wrongCurrent || server.currentPassword ? t('me.pwWrong') : null,
    newPassword: badNew ? t('me.pwRule') : null,
    repeat: mismatch ? t('me.pwDiffer') : null,
  };
  const input = (k: keyof typeof form, label: string, autoComplete: string) => (
    <label class="field">
      {label}
      <input type="password" name={k} value={form[k]} required autoComplete={autoComplete} onInput={(e) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value })} aria-invalid={problems[k] ? 'true' : undefined} />
      {problems[k] && <span class="field-error">{problems[k]}</span>}
    </label>
  );
  return (
    <form class="card" onSubmit={submit} aria-labelledby="pw-title">
      <h2 id="pw-title">{t('me.pwTitle')}</h2>
      {input('currentPassword', t('me.pwCurrent'), 'current-password')}
      {input('newPassword', t('me.pwNew'), 'new-password')}
      {input('repeat', t('me.pwRepeat'), 'new-password')}
      <ErrorBanner error={wrongCurrent || badNew || server.currentPassword ? null : error} />
      {done && (
        <p class="banner banner-ok" role="status">
          {t('me.pwDone')}
        </p>
      )}
      <button type="submit" class="button button-primary" disabled={busy || mismatch}>
        {busy ? t('me.pwBusy') : t('me.pwSubmit')}
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
  const wrongCode = setup !== null && error instanceof ApiError && error.status === 400;
  const wrongPassword = error instanceof ApiError && error.code === 'FORBIDDEN';
  return (
    <section class="card" aria-labelledby="totp-title">
      <h2 id="totp-title">{t('me.totpTitle')}</h2>
      {codes ? (
        <>
          <p class="banner banner-ok">{t('me.totpOn')}</p>
          <p>
            <strong>{t('me.recoveryTitle')}</strong>
            {t('me.recoveryText')} <strong>{t('me.recoveryOnce')}</strong>
          </p>
          <ul class="codes" data-testid="recovery-codes">
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      ) : setup ? (
        <>
          <p>{t('me.totpScan')}</p>
          <QrCode value={setup.otpauthUri} size={200} label={t('me.totpQr')} />
          <p>
            {t('me.totpSecret')} <span class="secret">{setup.secret}</span>
          </p>
          <form class="manual-entry" onSubmit={verify}>
            <label class="field">
              {t('me.totpCode')}
              <input name="otp" value={code} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" maxLength={6} required onInput={(e) => setCode((e.target as HTMLInputElement).value)} aria-invalid={wrongCode ? 'true' : undefined} />
              {wrongCode && <span class="field-error">{t('me.totpWrong')}</span>}
            </label>
            <button type="submit" class="button button-primary">
              {t('me.totpEnable')}
            </button>
          </form>
        </>
      ) : (
        <form onSubmit={start}>
          <p>{t('me.totpIntro')}</p>
          <label class="field">
            {t('me.pwCurrent')}
            <input type="password" name="totpCurrentPassword" value={password} required autoComplete="current-password" onInput={(e) => setPassword((e.target as HTMLInputElement).value)} aria-invalid={wrongPassword ? 'true' : undefined} />
            {wrongPassword && <span class="field-error">{t('me.pwWrong')}</span>}
          </label>
          <button type="submit" class="button button-primary">
            {t('me.totpStart')}
          </button>
        </form>
      )}
      <ErrorBanner error={wrongCode || wrongPassword ? null : error} />
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
  const wrongPassword = error instanceof ApiError && error.code === 'FORBIDDEN';
  return (
    <details>
      <summary>{t('me.totpOffTitle')}</summary>
      <form onSubmit={submit}>
        <label class="field">
          {t('me.pwCurrent')}
          <input type="password" name="disableCurrentPassword" value={form.currentPassword} required autoComplete="current-password" onInput={(e) => setForm({ ...form, currentPassword: (e.target as HTMLInputElement).value })} aria-invalid={wrongPassword ? 'true' : undefined} />
          {wrongPassword && <span class="field-error">{t('me.pwWrong')}</span>}
        </label>
        <label class="field">
          {t('me.totpOffCode')}
          <input name="disableOtp" value={form.otp} required autoComplete="one-time-code" onInput={(e) => setForm({ ...form, otp: (e.target as HTMLInputElement).value })} />
        </label>
        <button type="submit" class="button">
          {t('me.totpOff')}
        </button>
      </form>
      <ErrorBanner error={wrongPassword ? null : error} />
      {done && (
        <p class="banner banner-ok" role="status">
          {t('me.totpOffDone')}
        </p>
      )}
    </details>
  );
}

export default function MeScreen() {
  const user = currentUser.value!;
  return (
    <section>
      <h1>{t('me.title')}</h1>
      <dl class="card facts">
        <div>
          <dt>{t('me.username')}</dt>
          <dd data-testid="me-username">{user.username}</dd>
        </div>
        <div>
          <dt>{t('me.role')}</dt>
          <dd>{roleName(user.role)}</dd>
        </div>
        <div>
          <dt>{t('me.area')}</dt>
          <dd>{areaName(user.areaId)}</dd>
        </div>
        <div>
          <dt>{t('me.zone')}</dt>
          <dd>
            {timeZone()} ({zoneLabel()})
          </dd>
        </div>
      </dl>
      <div class="card me-signout">
        <p>{t('me.signedInAs', { name: user.username })}</p>
        <SignOutButton class="button button-big" />
      </div>
      <p>
        <a href="/history">{t('me.history')}</a>
      </p>
      <LanguageSettings userId={user.id} />
      <PasswordChange />
      {user.role === 'admin' && <TotpSetup />}
    </section>
  );
}
