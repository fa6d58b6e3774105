// हिन्दी: एडमिन का डैशबोर्ड।
import type { CatalogPart } from '../catalog';
import type { dashboard as en } from '../en/dashboard';

export const dashboard: CatalogPart<typeof en> = {
  'dashboard.title': 'डैशबोर्ड',
  'dashboard.parents': 'पैरेंट बैग',
  'dashboard.children': 'चाइल्ड बैग',
  'dashboard.scansToday': 'आज के स्कैन',
  'dashboard.sessions': 'भरे जा रहे बैग',
  'dashboard.sessionsNote': 'अभी खुले पैरेंट बैग',
  'dashboard.completedToday': 'आज पूरे हुए पैरेंट बैग',
  'dashboard.rejectedHour': 'नामंज़ूर (1 घंटा)',
  'dashboard.billsOpen': 'खुले बिल',
  'dashboard.billsCompleted': 'पूरे बिल',
  'dashboard.byArea': 'क्षेत्र के हिसाब से',
  'dashboard.area': 'क्षेत्र',
  'dashboard.openedToday': 'आज खुले',
  'dashboard.rejectedToday': 'आज नामंज़ूर',
  'dashboard.recent': 'हाल के स्कैन',
  'dashboard.noScans': 'अभी कोई स्कैन नहीं।',
  'dashboard.by': '{name} ने',
  'dashboard.allScans': 'सभी स्कैन',
  'dashboard.chartTitle': 'हर घंटे के स्कैन: आज और कल',
  'dashboard.hour': 'घंटा ({zone})',
  'dashboard.hourShort': 'घंटा',
  'dashboard.scans': 'स्कैन',
  'dashboard.today': 'आज',
  'dashboard.yesterday': 'कल',
  'dashboard.asTable': 'तालिका में देखें',
} as const;
