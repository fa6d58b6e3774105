// A dry run of scans (spreadsheet import): what scanning these children would answer, one by one, without
// changing anything. The same rules as a scan (decideScan on a copy of the state, capacity counted across
// the list) plus a read-only registry lookup per child that would be claimed.
import type { SessionUser } from '../../shared/types';
import { registryFor } from '../stubs';
import { applyLink, decideScan, type ParentState } from './parent-logic';
import type { PreviewAnswer } from './types';

export async function previewScans(env: Env, base: ParentState, user: SessionUser, rawQrs: string[]): Promise<PreviewAnswer[]> {
  const sim: ParentState = { ...base, children: new Map(base.children) };
  const answers: PreviewAnswer[] = [];
  for (const raw of rawQrs) {
    const decision = decideScan(sim, raw);
    if (decision.kind === 'duplicate') answers.push({ outcome: 'already' });
    else if (decision.kind === 'reject') answers.push({ outcome: 'conflict', code: decision.error.code, message: decision.error.message });
    else {
      const entry = await registryFor(env, decision.childQr).lookup(decision.childQr);
      if (entry?.role === 'parent') {
        answers.push({ outcome: 'conflict', code: 'QR_ROLE_CONFLICT', message: `${decision.childQr} is a parent bag, not a child.` });
      } else if (entry?.parentQr && entry.parentQr !== sim.qr) {
        answers.push({ outcome: 'conflict', code: 'CHILD_IN_OTHER_PARENT', message: `${decision.childQr} is already in ${entry.parentQr}.`, parentQr: entry.parentQr });
      } else {
        applyLink(sim, decision.childQr, user, 'preview', Date.now());
        answers.push({ outcome: 'would_link' });
      }
    }
  }
  return answers;
}
