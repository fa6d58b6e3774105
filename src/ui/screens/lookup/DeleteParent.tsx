// Admins free a squatted or mistaken label: "Delete empty parent" on a parent that has no child and is on no
// bill, with one confirmation. The server decides (it also refuses a parent with any history: the answer's
// words come from the error catalog); on success the lookup shows the label as free. The question is the lookup
// screen's (`asking`): a scan closes it without deleting anything, and the scan's answer says so.
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { t } from '../../i18n';

export interface DeleteParentProps {
  qr: string;
  onDeleted: () => void;
  /** The confirmation is open. */
  asking: boolean;
  setAsking: (open: boolean) => void;
}

export function DeleteParent({ qr, onDeleted, asking, setAsking }: DeleteParentProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    setAsking(false);
    setBusy(true);
    setError(null);
    try {
      await api(`/api/parents/${encodeURIComponent(qr)}`, { method: 'DELETE' });
      onDeleted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="actions" data-testid="delete-parent">
      <button type="button" class="button button-danger" disabled={busy} onClick={() => setAsking(true)}>
        {t('lookup.deleteParent')}
      </button>
      <ErrorBanner error={error} />
      <ConfirmDialog open={asking} title={t('lookup.deleteParentTitle', { qr })} confirmLabel={t('lookup.deleteParentConfirm')} danger onConfirm={remove} onCancel={() => setAsking(false)}>
        <p>{t('lookup.deleteParentBody')}</p>
      </ConfirmDialog>
    </div>
  );
}
